"""Engine, sessions and the column types every domain shares."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import Depends
from sqlalchemy.engine import Engine
from sqlmodel import Session, SQLModel

from evac.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata = SQLModel.metadata

SQLITE_BUSY_TIMEOUT_MS = 15_000


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every backend.

    SQLite has no time zones: values are stored as naive UTC and given their
    UTC zone back when read. Naive datetimes are refused on the way in, so
    that a local time can never be stored by mistake.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _configure_sqlite(engine: Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, issue BEGIN so that transactions and
        # savepoints behave as on PostgreSQL.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # IMMEDIATE takes the write lock at the start, so a writer waits on the
        # busy timeout instead of failing with "database is locked" mid-way.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def create_db_engine(
    url: str, *, pool_size: int = 10, max_overflow: int = 10, pool_timeout: float = 30.0
) -> Engine:
    """An engine whose pool waits at most ``pool_timeout`` seconds for a free connection.

    Its errors never show the statement's parameters (``hide_parameters``): they
    hold names, documents and phone numbers, and an error ends up in a log.
    """
    if url.startswith("sqlite"):
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_timeout=pool_timeout,
            hide_parameters=True,
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(
        url,
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        pool_timeout=pool_timeout,
        hide_parameters=True,
    )


@lru_cache
def get_engine() -> Engine:
    settings = get_settings()
    return create_db_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout_seconds,
    )


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request; services commit explicitly."""
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def utc_today() -> date:
    return utcnow().date()
