"""``evac retention``: removing personal data from cases closed long ago, and
clearing expired rows (housekeeping)."""

from __future__ import annotations

import typer

app = typer.Typer(help="Data retention.", no_args_is_help=True)


@app.command("purge")
def purge_command(
    older_than: int = typer.Option(
        ..., "--older-than", metavar="DAYS", help="Closed cases unchanged for more than DAYS days."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Count them and change nothing."),
) -> None:
    """Anonymize closed cases (arrived, withdrawn, duplicate) last changed DAYS days ago."""
    from sqlmodel import Session

    from evac.db import get_engine, utcnow
    from evac.retention.service import count_purgeable, purge, purge_cutoff

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


@app.command("housekeeping")
def housekeeping_command(
    dry_run: bool = typer.Option(False, "--dry-run", help="Count them and change nothing."),
) -> None:
    """Delete expired sessions, old failed sign-ins, idempotency records and rate-limit
    counters, and remove private links from sent messages (evac worker does it every
    five minutes)."""
    from sqlmodel import Session

    from evac.db import get_engine, utcnow
    from evac.retention.housekeeping import housekeeping
    from evac.settings import get_settings

    with Session(get_engine(), expire_on_commit=False) as session:
        done = housekeeping(session, utcnow(), get_settings(), dry_run=dry_run)
    if done.skipped:
        typer.echo("another process is running the housekeeping; nothing done")
        return
    counts = ", ".join(f"{value} {key.replace('_', ' ')}" for key, value in done.summary().items())
    typer.echo(f"{'would clear' if dry_run else 'cleared'}: {counts}")
