"""Engine, sessions and the column types every domain shares."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Annotated, Any
from weakref import WeakKeyDictionary

import sqlalchemy as sa
from fastapi import Depends
from sqlalchemy.dialects import postgresql, sqlite
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
# The execution option that marks the connections of a read-only engine.
READ_ONLY = "evac_read_only"


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
        # A writer's IMMEDIATE takes the write lock at the start, so it waits on
        # the busy timeout instead of failing with "database is locked" mid-way.
        # A reader's deferred BEGIN takes no lock: in WAL mode it reads its
        # snapshot beside the writer. query_only is the connection's flag, not
        # the transaction's, so every BEGIN sets it: a pooled connection that
        # served a reader never keeps refusing writes, and a reader that tries
        # to write fails at once instead of upgrading a stale snapshot.
        read_only = bool(connection.get_execution_options().get(READ_ONLY))
        connection.connection.dbapi_connection.execute(  # type: ignore[union-attr]
            f"PRAGMA query_only={int(read_only)}"
        )
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


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


_read_only_engines: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def read_only_engine(engine: Engine) -> Engine:
    """The same engine and pool, for transactions that only read.

    On SQLite they begin deferred with ``query_only`` on; on PostgreSQL they are
    READ ONLY transactions (psycopg's ``read_only``, no extra round trip).
    """
    if engine not in _read_only_engines:
        options: dict[str, Any] = {READ_ONLY: True}
        if engine.dialect.name == "postgresql":
            options["postgresql_readonly"] = True
        _read_only_engines[engine] = engine.execution_options(**options)
    return _read_only_engines[engine]


class WriteInReadOnlySession(RuntimeError):
    """A write reached a session opened for reading: a bug, never a user's mistake."""


class ReadOnlySession(Session):
    """A session that only reads, on its own short-lived or long snapshot.

    Writes are refused twice: here, before any SQL (so a test notices even on a
    shared test connection), and by the database itself (``read_only_engine``).
    """


@sa.event.listens_for(ReadOnlySession, "before_flush")
def _refuse_flush(session: Session, _flush_context: Any, _instances: Any) -> None:
    raise WriteInReadOnlySession("an object was added, changed or deleted in a read-only session")


@sa.event.listens_for(ReadOnlySession, "do_orm_execute")
def _refuse_writing_statement(state: sa.orm.ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        raise WriteInReadOnlySession("a write statement was sent through a read-only session")


@contextmanager
def read_session(bind: Engine | sa.Connection | None = None) -> Iterator[Session]:
    """A session for work that only reads (exports, previews, pages).

    On SQLite its transaction takes no lock, so a long export never makes a
    registration wait. Bound to a connection already in a transaction (a test's),
    it joins it without ever committing or rolling it back.
    """
    bind = bind if bind is not None else get_engine()
    if isinstance(bind, sa.Connection):
        session = ReadOnlySession(
            bind=bind, join_transaction_mode="rollback_only", expire_on_commit=False
        )
    else:
        session = ReadOnlySession(read_only_engine(bind), expire_on_commit=False)
    with session:
        yield session


def get_session() -> Iterator[Session]:
    """FastAPI dependency: one session per request; services commit explicitly.

    It opens no transaction until it is used: on SQLite its first statement
    takes the write lock (BEGIN IMMEDIATE) until the service commits.
    """
    with Session(get_engine(), expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


def get_read_session(session: SessionDep) -> Iterator[Session]:
    """FastAPI dependency for what only reads; a write through it raises.

    It reads through the request session's engine (or a test's connection), so
    overriding ``get_session`` overrides both. Streamed responses keep it open
    while they stream: its snapshot stays consistent and blocks no writer.
    """
    with read_session(session.bind) as reader:
        yield reader


ReadSessionDep = Annotated[Session, Depends(get_read_session)]


def utc_today() -> date:
    return utcnow().date()


def insert_many(
    session: Session,
    table: sa.Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    skip_duplicates_of: str | None = None,
) -> None:
    """Insert plain rows (all with the same keys) in the session's transaction, in one
    executemany.

    SQLAlchemy's own executemany builds and converts every parameter of every
    row; for a plan commit's 60,000 seats, 50,000 audit events and 45,000
    messages that bookkeeping was a fifth of the command. Here each column's
    converter is the one SQLAlchemy would use (so stored values are the same),
    called once per run of the same object: a commit's rows share their
    timestamps and statuses. ``skip_duplicates_of`` names a unique column whose
    duplicates are skipped (ON CONFLICT DO NOTHING).
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    insert = postgresql.insert if dialect.name == "postgresql" else sqlite.insert
    statement = insert(table)
    if skip_duplicates_of:
        statement = statement.on_conflict_do_nothing(index_elements=[skip_duplicates_of])
    compiled = statement.compile(dialect=dialect, column_keys=list(rows[0]))
    names = list(compiled.positiontup or compiled.binds)
    if set(names) != set(rows[0]):
        raise ValueError(f"{table.name}: columns with defaults must be given: {names}")
    columns = [
        _converted([row[name] for row in rows], table.c[name].type, dialect) for name in names
    ]
    values = list(zip(*columns, strict=True))
    if dialect.name == "postgresql":
        _copy_rows(connection, table, names, values, skip_duplicates_of)
        return
    if not compiled.positiontup:  # named parameters (psycopg)
        values = [dict(zip(names, row, strict=True)) for row in values]  # type: ignore[misc]
    connection.exec_driver_sql(compiled.string, values)  # type: ignore[arg-type]


def _copy_rows(
    connection: sa.Connection,
    table: sa.Table,
    names: list[str],
    values: list[tuple[Any, ...]],
    skip_duplicates_of: str | None,
) -> None:
    """PostgreSQL's COPY, in the same transaction: an executemany still runs one INSERT
    per row on the server (a plan commit's 130,000 rows took 9 s of its wall time).
    Rows whose duplicates are skipped go through a temporary table first, since COPY
    itself cannot skip a conflict."""
    quote = connection.dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    target = quote(table.name)
    cursor = connection.connection.cursor()
    try:
        if skip_duplicates_of:
            target = quote(f"evac_copy_{table.name}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {target} "
                f"(LIKE {quote(table.name)} INCLUDING DEFAULTS) ON COMMIT DROP"
            )
        with cursor.copy(f"COPY {target} ({columns}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for row in values:
                copy.write_row(row)
        if skip_duplicates_of:
            cursor.execute(  # names from the table's metadata, quoted; the rows are data
                f"INSERT INTO {quote(table.name)} ({columns}) SELECT {columns} FROM {target} "  # noqa: S608
                f"ON CONFLICT ({quote(skip_duplicates_of)}) DO NOTHING"
            )
            cursor.execute(f"DROP TABLE {target}")
    finally:
        cursor.close()


def _converted(
    values: list[Any], column_type: sa.types.TypeEngine[Any], dialect: sa.Dialect
) -> list[Any]:
    convert = column_type.dialect_impl(dialect).bind_processor(dialect)
    if convert is None:
        return values
    converted: list[Any] = []
    last: object = object()
    last_converted: Any = None
    for value in values:
        if value is not last:
            last, last_converted = value, convert(value)
        converted.append(last_converted)
    return converted
