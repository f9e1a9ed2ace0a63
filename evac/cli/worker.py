"""``evac worker``: the message sender's loop (``evac.notifications.worker``)."""

from __future__ import annotations

import typer


def worker_command(
    once: bool = typer.Option(False, "--once", help="Send what is due, then stop."),
    batch: int = typer.Option(50, "--batch", min=1, max=1000, help="Messages per claim."),
    interval: float = typer.Option(5.0, "--interval", min=0.1, help="Seconds between polls."),
) -> None:
    """Send queued emails and SMS (EVAC_SMTP_URL, EVAC_SMS_WEBHOOK_URL).

    Once a minute it also queues the reminders of flights leaving within a day,
    and every five minutes it clears expired personal data (housekeeping).
    """
    from evac.notifications.worker import run_worker

    run_worker(once=once, batch=batch, interval=interval)
