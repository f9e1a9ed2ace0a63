"""`evac db backup` copies a live SQLite database; PostgreSQL is sent to pg_dump."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest
from sqlmodel import Session, select

from evac import migrations
from evac.backup import backup_sqlite
from evac.db import create_db_engine
from evac.errors import InvalidInput
from evac.registration.models import Registration
from tests.databases import on_postgres
from tests.factories import make_case
from tests.foundation.test_cli import run_evac


def _live_database(tmp_path: Path, cases: int) -> tuple[str, Path]:
    path = tmp_path / "live.sqlite3"
    url = f"sqlite:///{path}"
    engine = create_db_engine(url)
    migrations.upgrade(engine)
    with Session(engine) as session:
        for _ in range(cases):
            make_case(session)
    engine.dispose()
    return url, path


def _counts(path: Path) -> tuple[str, int, int, int]:
    with closing(sqlite3.connect(path)) as copy:
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
        cases = copy.execute("SELECT count(*) FROM registration").fetchone()[0]
        people = copy.execute("SELECT count(*) FROM person").fetchone()[0]
        counted = copy.execute("SELECT coalesce(sum(people_count), 0) FROM registration")
        return integrity, cases, people, counted.fetchone()[0]


def test_backup_of_a_live_sqlite_database_restores_every_case(tmp_path: Path) -> None:
    url, live = _live_database(tmp_path, cases=20)
    engine = create_db_engine(url)
    written = threading.Event()
    stop = threading.Event()

    def keep_registering() -> None:
        with Session(engine) as session:
            while not stop.is_set():
                make_case(session)
                written.set()

    writer = threading.Thread(target=keep_registering)
    writer.start()
    try:
        assert written.wait(30)
        size = backup_sqlite(live, tmp_path / "copy.sqlite3")
        written.clear()
        assert written.wait(30), "the application kept writing during the backup"
    finally:
        stop.set()
        writer.join(30)
    engine.dispose()

    copy = tmp_path / "copy.sqlite3"
    integrity, cases, people, counted = _counts(copy)
    assert (integrity, size) == ("ok", copy.stat().st_size)
    assert cases > 20 and people == counted == cases
    assert not copy.with_name("copy.sqlite3-wal").exists()
    restored = create_db_engine(f"sqlite:///{copy}")
    assert migrations.is_up_to_date(restored)
    with Session(restored) as session:
        case = session.exec(select(Registration).order_by(Registration.id)).first()  # type: ignore[arg-type]
        assert case is not None and case.members[0].given_name == "Ayşe"
    restored.dispose()


def test_backup_refuses_to_overwrite(tmp_path: Path) -> None:
    url, _ = _live_database(tmp_path, cases=1)
    target = tmp_path / "backup.sqlite3"
    target.write_bytes(b"yesterday's backup")

    refused = run_evac("db", "backup", str(target), database_url=url, cwd=tmp_path)
    assert refused.returncode == 2
    assert refused.stderr.strip() == f"evac: {target} already exists; add --force to replace it."
    assert target.read_bytes() == b"yesterday's backup"

    replaced = run_evac("db", "backup", str(target), "--force", database_url=url, cwd=tmp_path)
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(f"backed up to {target} (")
    assert _counts(target)[:2] == ("ok", 1)
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["backup.sqlite3"]


def test_backup_writes_a_new_file_and_never_overwrites_from_code(tmp_path: Path) -> None:
    _, live = _live_database(tmp_path, cases=1)
    target = tmp_path / "new.sqlite3"
    assert backup_sqlite(live, target) == target.stat().st_size
    with pytest.raises(InvalidInput, match="already exists"):
        backup_sqlite(live, target)


def test_backup_on_postgresql_points_to_pg_dump(fresh_database: str, tmp_path: Path) -> None:
    # The refusal depends on the URL only: the SQLite suite checks it without a server.
    url = fresh_database if on_postgres() else "postgresql+psycopg://evac@127.0.0.1:1/evac"
    result = run_evac("db", "backup", str(tmp_path / "x.dump"), database_url=url, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "evac: db backup copies SQLite files only; back up PostgreSQL with pg_dump -Fc "
        "(see docs/operations.md)."
    )
    assert not (tmp_path / "x.dump").exists()
