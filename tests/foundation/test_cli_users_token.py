"""`evac users token` gives scripts a personal API token without a browser."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlmodel import Session, select

from evac import migrations
from evac.audit.models import AuditEvent
from evac.audit.service import SYSTEM
from evac.db import create_db_engine, utcnow
from evac.staff.models import ApiToken, Role
from evac.staff.service import create_staff_user, set_staff_active
from evac.tokens import hash_token
from tests.factories import PASSWORD
from tests.foundation.test_cli import run_evac


def test_users_token_prints_an_audited_expiring_token_and_refuses_unknown_or_inactive_users(
    fresh_database: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as session:
        users = [
            create_staff_user(
                session, username=name, password=PASSWORD, role=Role.coordinator, actor=SYSTEM
            )
            for name in ("monitor", "gone")
        ]
        set_staff_active(session, users[1], False, actor=SYSTEM)

    made = run_evac(
        "users", "token", "monitor", "--name", "nagios", "--expires-days", "7",
        database_url=fresh_database, cwd=tmp_path,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    raw = made.stdout.strip()
    assert raw.startswith("evac_") and "\n" not in raw

    unknown = run_evac("users", "token", "nobody", database_url=fresh_database, cwd=tmp_path)
    inactive = run_evac("users", "token", "gone", database_url=fresh_database, cwd=tmp_path)
    assert unknown.returncode != 0 and inactive.returncode != 0
    assert unknown.stderr.strip() == "evac: No staff account is named 'nobody'."
    assert inactive.stderr.strip() == "evac: The account 'gone' is deactivated."

    with Session(engine) as session:
        token = session.exec(select(ApiToken)).one()
        assert token.token_hash == hash_token(raw) and token.name == "nagios"
        assert timedelta(days=6) < token.expires_at - utcnow() <= timedelta(days=7)
        event = session.exec(
            select(AuditEvent).where(AuditEvent.action == "api_token.create")
        ).one()
        assert event.actor == "cli"
    engine.dispose()
