"""``evac db``: schema migrations and backups."""

from __future__ import annotations

from pathlib import Path

import typer

app = typer.Typer(help="Database schema and backups.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    from evac import migrations
    from evac.db import get_engine

    migrations.upgrade(get_engine(), revision)
    typer.echo(f"database at revision {migrations.current_revision(get_engine())}")


@app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base")) -> None:
    """Migrate the database back to REVISION."""
    from evac import migrations
    from evac.db import get_engine

    migrations.downgrade(get_engine(), revision)
    typer.echo(f"database at revision {migrations.current_revision(get_engine())}")


@app.command("current")
def current() -> None:
    """Print the database's schema revision."""
    from evac import migrations
    from evac.db import get_engine

    typer.echo(migrations.current_revision(get_engine()) or "empty")


POSTGRES_BACKUP = (
    "db backup copies SQLite files only; back up PostgreSQL with pg_dump -Fc "
    "(see docs/operations.md)."
)


@app.command("backup")
def backup(
    path: Path = typer.Argument(..., help="The file to write the copy to."),
    force: bool = typer.Option(False, "--force", help="Replace PATH if it exists."),
) -> None:
    """Copy the live SQLite database to PATH, consistently, while the app keeps writing."""
    from evac.backup import backup_sqlite
    from evac.db import get_engine
    from evac.errors import InvalidInput

    url = get_engine().url
    if url.get_backend_name() != "sqlite":
        raise InvalidInput(POSTGRES_BACKUP)
    if not url.database or url.database == ":memory:":
        raise InvalidInput("This SQLite database has no file to back up.")
    size = backup_sqlite(Path(url.database), path, force=force)
    typer.echo(f"backed up to {path.resolve()} ({size:,} bytes)")
