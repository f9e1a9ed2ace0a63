"""`evac retention purge` from the command line, against a database of its own."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine
from evac.registration.models import CaseStatus
from tests.factories import member
from tests.foundation.test_cli import run_evac
from tests.operations.conftest import close, register


def _emails_and_purges(url: str) -> tuple[list[str | None], int]:
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        emails = connection.execute(sa.text("SELECT email FROM registration ORDER BY id"))
        purges = connection.execute(
            sa.text("SELECT count(*) FROM audit_event WHERE action = 'retention.purge'")
        )
        found = [row[0] for row in emails], purges.scalar_one()
    engine.dispose()
    return found


def test_purge_command_dry_run_counts_then_purge_anonymizes(
    fresh_database: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as session:
        old = register(session, [member("Cli", "Closed")], email="closed@example.org")
        close(session, old, CaseStatus.arrived, days_ago=100)
        register(session, [member("Cli", "Open")], email="open@example.org")
    engine.dispose()

    dry = run_evac("retention", "purge", "--older-than", "90", "--dry-run",
                   database_url=fresh_database, cwd=tmp_path)  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("would anonymize 1 closed cases last changed before ")
    assert _emails_and_purges(fresh_database) == (["closed@example.org", "open@example.org"], 0)

    done = run_evac("retention", "purge", "--older-than", "90",
                    database_url=fresh_database, cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.strip().splitlines()) == 1
    assert done.stdout.startswith("anonymized 1 closed cases last changed before ")
    # The confirmation went by email and by SMS.
    assert ": 1 people, 0 notes, 2 messages, 0 audit events" in done.stdout
    assert _emails_and_purges(fresh_database) == ([None, "open@example.org"], 1)


def test_purge_command_refuses_less_than_a_day(fresh_database: str, tmp_path: Path) -> None:
    result = run_evac("retention", "purge", "--older-than", "0",
                      database_url=fresh_database, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == "evac: --older-than must be at least 1 day."
