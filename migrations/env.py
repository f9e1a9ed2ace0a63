"""Alembic environment: evac's metadata, and the URL from EVAC_DATABASE_URL.

Tests and the CLI may hand over an open connection in
``config.attributes["connection"]``; it is used as it is.
"""

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

import evac.models  # noqa: F401  (registers every table)
from evac.db import UTCDateTime, create_db_engine, metadata
from evac.migrations import migration_connection
from evac.settings import get_settings

config = context.config
if config.config_file_name is not None and not config.attributes.get("skip_logging_config"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Write our UTC datetime as a plain timezone-aware DateTime in migrations."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=get_settings().database_url,
        target_metadata=metadata,
        literal_binds=True,
        compare_type=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_db_engine(get_settings().database_url)
    with migration_connection(engine) as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
