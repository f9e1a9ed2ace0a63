"""``evac db``: schema migrations."""

from __future__ import annotations

import typer

from evac import schema
from evac.db import get_engine

app = typer.Typer(help="Database schema.", no_args_is_help=True)


@app.command("upgrade")
def upgrade(revision: str = typer.Argument("head")) -> None:
    """Migrate the database to the newest schema (or REVISION)."""
    schema.upgrade(get_engine(), revision)
    typer.echo(f"database at revision {schema.current_revision(get_engine())}")


@app.command("downgrade")
def downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base")) -> None:
    """Migrate the database back to REVISION."""
    schema.downgrade(get_engine(), revision)
    typer.echo(f"database at revision {schema.current_revision(get_engine())}")


@app.command("current")
def current() -> None:
    """Print the database's schema revision."""
    typer.echo(schema.current_revision(get_engine()) or "empty")
