"""`evac plan --commit` on a full-size crisis, on SQLite and PostgreSQL (run by hand).

    python bench/plan_commit.py --people 70000 --database sqlite:////tmp/plan70k.sqlite3
    python bench/plan_commit.py --people 70000 \
        --database postgresql+psycopg://postgres@127.0.0.1:5432/evac_plan70k

Builds the database (dropped and made anew), seeds the people and about 470
flights (440 regular, 30 ambulance planes), then times `evac plan --commit`
as a user runs it (process start-up included), twice: the first commit seats
everyone it can, the second re-plans an unchanged situation. Every household
may be seated (EVAC_SEAT_REQUIRES=registered): the full-size commit, not the
few verified households of the demo data. `evac --help` is timed first.

Each line gives the wall time and the CPU time of the command's process: on a
machine shared with other work the CPU time is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine
from evac.demo.loader import seed_demo

EVAC = str(Path(sys.executable).with_name("evac"))


def fresh_database(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{parsed.database}{suffix}").unlink(missing_ok=True)
        return
    admin = sa.create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{parsed.database}"')
    admin.dispose()


def build(url: str, people: int) -> None:
    fresh_database(url)
    engine = create_db_engine(url)
    migrations.upgrade(engine)
    started = time.perf_counter()
    with Session(engine) as session:
        summary = seed_demo(
            session,
            people=people,
            seed=2020,
            today=date(2026, 11, 24),
            home_country="TR",
            flights=(440, 30),
        )
        session.commit()
    engine.dispose()
    print(
        f"seeded {summary.people} people, {summary.households} households, "
        f"{summary.flights} flights in {time.perf_counter() - started:.1f} s"
    )


def timed(*args: str, env: dict[str, str]) -> tuple[float, float, str]:
    """Wall and CPU seconds of ``evac ARGS`` (start-up included), and its first line."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([EVAC, *args], env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, (result.stdout.splitlines() or [""])[0]


def timed_plan(url: str) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": url, "EVAC_SEAT_REQUIRES": "registered"}
    wall, cpu, first_line = timed("plan", "--commit", env=env)
    print(f"  {wall:5.1f} s wall  {cpu:5.1f} s CPU  {first_line}")


def timed_help() -> None:
    wall, cpu, _ = timed("--help", env=dict(os.environ))
    print(f"evac --help: {wall:.2f} s wall, {cpu:.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=70_000)
    parser.add_argument("--database", required=True)
    args = parser.parse_args()
    timed_help()
    build(args.database, args.people)
    print("evac plan --commit (first, then an unchanged re-plan):")
    timed_plan(args.database)
    timed_plan(args.database)


if __name__ == "__main__":
    main()
