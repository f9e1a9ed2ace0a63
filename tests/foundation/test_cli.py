"""The `evac` command works from any directory and fails with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

EVAC = str(Path(sys.executable).with_name("evac"))


def run_evac(
    *args: str, database_url: str, cwd: Path, stdin: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVAC_DATABASE_URL": database_url}
    return subprocess.run(
        [EVAC, *args], input=stdin, capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def test_db_upgrade_works_from_any_directory(fresh_database: str, tmp_path: Path) -> None:
    result = run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "database at revision" in result.stdout
    assert "registration" in sa.inspect(sa.create_engine(fresh_database)).get_table_names()


def test_staff_account_password_comes_from_stdin_never_argv(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    created = run_evac(
        "users", "create", "ayse", "--role", "coordinator",
        database_url=fresh_database, cwd=tmp_path, stdin="a-long-enough-password\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "created coordinator ayse"

    refused = run_evac(
        "users", "create", "mehmet", "--role", "admin", "--password", "x",
        database_url=fresh_database, cwd=tmp_path,
    )  # fmt: skip
    assert refused.returncode != 0
    assert "--password" in refused.stderr


def test_officer_needs_a_known_mission_and_the_error_is_one_line(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    result = run_evac(
        "users", "create", "ali", "--role", "officer", "--mission", "NOWHERE",
        database_url=fresh_database, cwd=tmp_path, stdin="a-long-enough-password\n",
    )  # fmt: skip
    assert result.returncode != 0
    assert result.stderr.strip() == "evac: Unknown mission code(s): NOWHERE."


def test_seed_demo_creates_missions_flights_and_people(fresh_database: str, tmp_path: Path) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    result = run_evac(
        "seed", "demo", "--people", "300", "--seed", "7", database_url=fresh_database, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    engine = sa.create_engine(fresh_database)
    with engine.connect() as connection:
        people = connection.execute(sa.text("SELECT count(*) FROM person")).scalar_one()
        flights = connection.execute(sa.text("SELECT count(*) FROM flight")).scalar_one()
        missions = connection.execute(sa.text("SELECT count(*) FROM mission")).scalar_one()
    engine.dispose()
    assert people == 300
    assert flights > 0 and missions > 0

    again = run_evac("seed", "demo", "--people", "10", database_url=fresh_database, cwd=tmp_path)
    assert again.returncode != 0
    assert "already has" in again.stderr


def test_a_broken_database_url_fails_with_one_line(tmp_path: Path) -> None:
    result = run_evac(
        "db", "upgrade", database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", cwd=tmp_path
    )
    assert result.returncode != 0
    assert result.stderr.startswith("evac: ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_refuses_production_without_a_secret(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database, "EVAC_MODE": "production"}
    env.pop("EVAC_SECRET_KEY", None)
    result = subprocess.run(
        [EVAC, "serve"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60
    )
    assert result.returncode != 0
    assert "EVAC_SECRET_KEY" in result.stderr
