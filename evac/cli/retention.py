"""``evac retention``: removing personal data from cases closed long ago."""

from __future__ import annotations

import typer
from sqlmodel import Session

from evac.db import get_engine, utcnow
from evac.retention.service import count_purgeable, purge, purge_cutoff

app = typer.Typer(help="Data retention.", no_args_is_help=True)


@app.command("purge")
def purge_command(
    older_than: int = typer.Option(
        ..., "--older-than", metavar="DAYS", help="Closed cases unchanged for more than DAYS days."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count them and change nothing."),
) -> None:
    """Anonymize closed cases (arrived, withdrawn, duplicate) last changed DAYS days ago."""
    cutoff = purge_cutoff(utcnow(), older_than)
    since = f"last changed before {cutoff:%Y-%m-%d %H:%M} UTC"
    with Session(get_engine(), expire_on_commit=False) as session:
        if dry_run:
            typer.echo(f"would anonymize {count_purgeable(session, cutoff)} closed cases {since}")
            return
        done = purge(session, cutoff)
    typer.echo(
        f"anonymized {done.cases} closed cases {since}: {done.people} people, "
        f"{done.notes} notes, {done.messages} messages, {done.audit_events} audit events"
    )
