"""Personal API tokens: created and revoked by their owner, stored hashed.

Every token expires (``EVAC_API_TOKEN_DAYS`` by default, at most a year), and
deactivating an account revokes its tokens for good.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.db import utcnow
from evac.errors import InvalidInput, NotFound
from evac.i18n import N_
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.staff.models import ApiToken, StaffUser
from evac.tokens import hash_token

TOKEN_PREFIX = "evac_"  # noqa: S105  (a visible prefix, so leaked tokens are recognizable)
MAX_TOKEN_DAYS = 365


def create_api_token(
    session: Session, *, user_id: int, name: str, actor: str, days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token lasting ``days``; the raw value is returned once and never stored."""
    name = name.strip()
    if not 1 <= len(name) <= 100:
        raise InvalidInput(N_("Give the token a name of 1 to 100 characters."))
    days = get_settings().api_token_days if days is None else days
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise InvalidInput(N_("A token lasts 1 to 365 days."))
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=days)
    token = ApiToken(
        staff_user_id=user_id, name=name, token_hash=hash_token(raw), expires_at=expires_at
    )
    session.add(token)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="api_token.create",
        subject_type="api_token",
        subject_id=token.id,  # type: ignore[arg-type]
        after={"name": name, "staff_user_id": user_id, "expires_at": expires_at},
    )
    session.commit()
    return token, raw


def list_api_tokens(session: Session, staff: StaffContext) -> list[ApiToken]:
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.staff_user_id == staff.user_id)
            .order_by(ApiToken.created_at.desc())  # type: ignore[attr-defined]
        ).all()
    )


def revoke_api_token(session: Session, staff: StaffContext, token_id: int) -> None:
    token = session.get(ApiToken, token_id)
    if token is None or token.staff_user_id != staff.user_id:
        raise NotFound(N_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        record_event(
            session,
            actor=staff.actor,
            action="api_token.revoke",
            subject_type="api_token",
            subject_id=token_id,
            after={"name": token.name},
        )
        session.commit()


def revoke_all_api_tokens(session: Session, user_id: int, *, actor: str) -> int:
    """Revoke every live token of an account (its deactivation); not committed here."""
    now = utcnow()
    live = session.exec(
        select(ApiToken).where(
            ApiToken.staff_user_id == user_id,
            ApiToken.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).all()
    for token in live:
        token.revoked_at = now
        record_event(
            session,
            actor=actor,
            action="api_token.revoke",
            subject_type="api_token",
            subject_id=token.id,  # type: ignore[arg-type]
            after={"name": token.name, "reason": "account deactivated"},
        )
    return len(live)


def staff_of_api_token(session: Session, token: str) -> StaffUser | None:
    """The active account a live token belongs to, noting (and committing) when the
    token was last used; None for an unknown, revoked or expired token."""
    row = session.exec(
        select(ApiToken, StaffUser)
        .join(StaffUser, StaffUser.id == ApiToken.staff_user_id)  # type: ignore[arg-type]
        .where(
            ApiToken.token_hash == hash_token(token.strip()),
            ApiToken.revoked_at.is_(None),  # type: ignore[union-attr]
            ApiToken.expires_at > utcnow(),
        )
    ).first()
    if row is None or not row[1].is_active:
        return None
    api_token, user = row
    api_token.last_used_at = utcnow()
    session.commit()
    return user
