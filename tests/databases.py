"""Throwaway databases for tests: a SQLite file, or a fresh PostgreSQL database.

Set ``EVAC_TEST_DATABASE_URL`` to a PostgreSQL URL to run the suite on
PostgreSQL: each test run (and each xdist worker) creates its own database on
that server and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

POSTGRES_URL = os.environ.get("EVAC_TEST_DATABASE_URL", "")


def on_postgres() -> bool:
    return POSTGRES_URL.startswith("postgresql")


@contextmanager
def throwaway_database(tmp_dir: Path) -> Iterator[str]:
    """Yield the URL of an empty database that is removed afterwards."""
    if not on_postgres():
        yield f"sqlite:///{tmp_dir / f'evac-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    name = f"evac_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()
