"""Signing staff in and out, and knowing who is signed in.

A session is a random token: its hash is a row in the database (so every
worker and every machine sees it, and logout ends it everywhere) and the
token itself travels in an HttpOnly, SameSite=Lax cookie signed with the
secret key. Sign-in attempts are rows too, so throttling holds across workers
(see evac.staff.throttle).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session, delete, select

from evac.audit.service import record_event, staff_actor
from evac.db import utcnow
from evac.errors import EvacError
from evac.geo.countries import country_choices
from evac.i18n import N_
from evac.missions.models import MissionCountry
from evac.settings import get_settings
from evac.staff.models import Role, StaffMission, StaffSession, StaffUser
from evac.staff.passwords import hash_password, verify_password
from evac.staff.throttle import count_attempt, forget_attempts
from evac.tokens import hash_token

SESSION_COOKIE = "evac_session"


class LoginRefused(EvacError):
    status_code = 401
    code = "login_refused"


@dataclass(frozen=True)
class StaffContext:
    """Who is acting, with what they may see; built once per request."""

    user_id: int
    username: str
    role: Role
    mission_ids: tuple[int, ...]
    countries: tuple[str, ...]
    csrf_token: str
    must_change_password: bool = False

    @property
    def actor(self) -> str:
        return staff_actor(self.username)

    @property
    def sees_all_countries(self) -> bool:
        return self.role is Role.coordinator

    def country_choices(self, language: str) -> list[tuple[str, str]]:
        """The countries this person works on, named in ``language``, for filters."""
        return [
            (code, name)
            for code, name in country_choices(language)
            if self.sees_all_countries or code in self.countries
        ]


@lru_cache(maxsize=4)
def _signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="evac/staff-session")


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def sign_cookie(token: str) -> str:
    return _signer(get_settings().secret_key).dumps(token)


def unsign_cookie(value: str) -> str | None:
    try:
        return _signer(get_settings().secret_key).loads(value)
    except BadSignature:
        return None


def sign_in(session: Session, username: str, password: str, ip: str) -> tuple[StaffUser, str]:
    """Check the password and open a session; returns the user and the raw session token."""
    settings = get_settings()
    username = username.strip().lower()[:64]
    count_attempt(session, settings, username, ip[:45], utcnow())
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
    session.commit()  # hold no transaction (on SQLite: the write lock) while hashing
    valid, new_hash = verify_password(password, user.password_hash if user else _decoy_hash())
    if user is None or not valid or not user.is_active:
        raise LoginRefused(N_("The username or the password is wrong."))
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = utcnow()
    forget_attempts(session, username, ip[:45])
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(
            token_hash=hash_token(token),
            staff_user_id=user.id,  # type: ignore[arg-type]
            csrf_token=secrets.token_urlsafe(32),
            expires_at=utcnow() + timedelta(seconds=settings.session_max_age_seconds),
        )
    )
    record_event(
        session,
        actor=staff_actor(user.username),
        action="staff.sign_in",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        after={"ip": ip},
    )
    session.commit()
    return user, token


def sign_out(session: Session, token: str) -> None:
    session.exec(delete(StaffSession).where(StaffSession.token_hash == hash_token(token)))  # type: ignore[call-overload]
    session.commit()


def staff_context(session: Session, token: str) -> StaffContext | None:
    """The signed-in staff member behind a session token, or None if it has ended."""
    row = session.exec(
        select(StaffSession, StaffUser)
        .join(StaffUser, StaffUser.id == StaffSession.staff_user_id)  # type: ignore[arg-type]
        .where(StaffSession.token_hash == hash_token(token), StaffSession.expires_at > utcnow())
    ).first()
    if row is None or not row[1].is_active:
        return None
    staff_session, user = row
    return build_context(session, user, staff_session.csrf_token)


def build_context(session: Session, user: StaffUser, csrf_token: str) -> StaffContext:
    mission_ids = tuple(
        session.exec(
            select(StaffMission.mission_id).where(StaffMission.staff_user_id == user.id)
        ).all()
    )
    countries = tuple(
        sorted(
            set(
                session.exec(
                    select(MissionCountry.country).where(
                        MissionCountry.mission_id.in_(mission_ids)  # type: ignore[attr-defined]
                    )
                ).all()
            )
        )
    )
    return StaffContext(
        user_id=user.id,  # type: ignore[arg-type]
        username=user.username,
        role=Role(user.role),
        mission_ids=mission_ids,
        countries=countries,
        csrf_token=csrf_token,
        must_change_password=user.must_change_password,
    )
