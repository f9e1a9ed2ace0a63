"""``evac db``: schema migrations and backups."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import typer

from evac import migrations
from evac.db import SQLITE_BUSY_TIMEOUT_MS, get_engine
from evac.errors import InvalidInput

app = typer.Typer(help="Database schema and backups.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    migrations.upgrade(get_engine(), revision)
    typer.echo(f"database at revision {migrations.current_revision(get_engine())}")


@app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base")) -> None:
    """Migrate the database back to REVISION."""
    migrations.downgrade(get_engine(), revision)
    typer.echo(f"database at revision {migrations.current_revision(get_engine())}")


@app.command("current")
def current() -> None:
    """Print the database's schema revision."""
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
    url = get_engine().url
    if url.get_backend_name() != "sqlite":
        raise InvalidInput(POSTGRES_BACKUP)
    if not url.database or url.database == ":memory:":
        raise InvalidInput("This SQLite database has no file to back up.")
    size = backup_sqlite(Path(url.database), path, force=force)
    typer.echo(f"backed up to {path.resolve()} ({size:,} bytes)")


def backup_sqlite(source: Path, target: Path, *, force: bool = False) -> int:
    """Copy ``source`` to ``target`` with SQLite's online backup; returns its size.

    The copy is made in one step, so it is one consistent snapshot (in WAL mode
    writers go on meanwhile); it is written beside ``target`` and moved into
    place only once checked, so a failed backup never leaves a partial file.
    """
    if not source.is_file():
        raise InvalidInput(f"No SQLite database at {source}.")
    if target.exists() and not force:
        raise InvalidInput(f"{target} already exists; add --force to replace it.")
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        _copy(source, partial)
        _move_into_place(partial, target, force=force)
    finally:
        partial.unlink(missing_ok=True)
    return target.stat().st_size


def _move_into_place(partial: Path, target: Path, *, force: bool) -> None:
    if force:
        partial.replace(target)
        return
    try:
        target.hardlink_to(partial)  # unlike a rename, refuses an existing file
    except FileExistsError:
        raise InvalidInput(f"{target} already exists; add --force to replace it.") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise InvalidInput(f"{target} already exists; add --force to replace it.") from None
        partial.replace(target)


def _copy(source: Path, target: Path) -> None:
    live = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
    with closing(live), closing(sqlite3.connect(target)) as copy:
        live.backup(copy)  # pages=-1: every page in one step, one snapshot
        # A self-contained file: no -wal beside it (evac turns WAL on again).
        copy.execute("PRAGMA journal_mode=DELETE")
        check = copy.execute("PRAGMA integrity_check").fetchone()
        if check is None or check[0] != "ok":
            raise InvalidInput(f"The copy failed its integrity check: {check}.")
