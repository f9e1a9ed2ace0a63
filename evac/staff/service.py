"""Creating and finding staff accounts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlmodel import Session, delete, select

from evac.audit.service import record_event, staff_actor
from evac.db import utcnow
from evac.errors import Conflict, InvalidInput
from evac.i18n import N_
from evac.missions.models import Mission
from evac.settings import get_settings
from evac.staff.models import Role, StaffMission, StaffSession, StaffUser
from evac.staff.passwords import (
    check_password_strength,
    hash_password,
    one_time_password,
    verify_password,
)
from evac.staff.throttle import count_attempt, forget_attempts
from evac.staff.tokens import revoke_all_api_tokens

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")


def create_staff_user(
    session: Session,
    *,
    username: str,
    password: str,
    role: Role,
    mission_codes: Sequence[str] = (),
    full_name: str | None = None,
    actor: str,
) -> StaffUser:
    """Create an account and commit; an officer must belong to at least one mission."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            N_("A username is 2 to 64 characters: lowercase letters, digits, '.', '_' or '-'.")
        )
    check_password_strength(password, (username, full_name))
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise Conflict(N_("The username %(username)s is already taken."), username=username)
    missions = _missions_by_code(session, mission_codes)
    if role is Role.officer and not missions:
        raise InvalidInput(N_("An officer must belong to at least one mission."))
    user = StaffUser(
        username=username,
        full_name=full_name,
        password_hash=hash_password(password),
        role=role,
        mission_links=[StaffMission(mission_id=m.id) for m in missions],  # type: ignore[arg-type]
    )
    session.add(user)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="staff.create",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        after={"username": username, "role": role, "missions": [m.code for m in missions]},
    )
    session.commit()
    return user


def _missions_by_code(session: Session, codes: Sequence[str]) -> list[Mission]:
    wanted = sorted({code.strip().upper() for code in codes})
    if not wanted:
        return []
    found = session.exec(select(Mission).where(Mission.code.in_(wanted))).all()  # type: ignore[attr-defined]
    missing = sorted(set(wanted) - {m.code for m in found})
    if missing:
        raise InvalidInput(N_("Unknown mission code(s): %(codes)s."), codes=", ".join(missing))
    return list(found)


def set_staff_active(session: Session, user: StaffUser, active: bool, *, actor: str) -> None:
    """(De)activate an account. Deactivation ends its sessions everywhere at once
    and revokes its API tokens for good: reactivating it revives neither."""
    user.is_active = active
    revoked = 0
    if not active:
        _end_sessions(session, user.id)  # type: ignore[arg-type]
        revoked = revoke_all_api_tokens(session, user.id, actor=actor)  # type: ignore[arg-type]
    record_event(
        session,
        actor=actor,
        action="staff.activate" if active else "staff.deactivate",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        after={"username": user.username, "active": active, "tokens_revoked": revoked},
    )
    session.commit()


def change_password(
    session: Session,
    user: StaffUser,
    *,
    current: str,
    new: str,
    repeated: str,
    keep_session_hash: str | None,
    address: str,
) -> None:
    """The signed-in person sets their own password; their other sessions end.

    The current password is asked, and throttled like a sign-in from ``address``:
    a borrowed session cannot be used to guess it."""
    count_attempt(session, get_settings(), user.username, address, utcnow())
    valid, _ = verify_password(current, user.password_hash)
    if not valid:
        raise InvalidInput(N_("The current password is wrong."))
    if new != repeated:
        raise InvalidInput(N_("The two new passwords are not the same."))
    if new == current:
        raise InvalidInput(N_("Choose a password other than the current one."))
    check_password_strength(new, (user.username, user.full_name))
    user.password_hash = hash_password(new)
    user.must_change_password = False
    _end_sessions(session, user.id, keep=keep_session_hash)  # type: ignore[arg-type]
    record_event(
        session,
        actor=staff_actor(user.username),
        action="staff.password_change",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
    )
    forget_attempts(session, user.username, address)
    session.commit()


def reset_password(session: Session, user: StaffUser, new: str, *, actor: str) -> str:
    """An administrator sets a password (or, given none, a generated one) that the
    user must replace at the next sign-in; all their sessions end. Returns it."""
    password = new or one_time_password()
    if new:
        check_password_strength(new, (user.username, user.full_name))
    user.password_hash = hash_password(password)
    user.must_change_password = True
    _end_sessions(session, user.id)  # type: ignore[arg-type]
    record_event(
        session,
        actor=actor,
        action="staff.password_reset",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        after={"username": user.username, "generated": not new},
    )
    session.commit()
    return password


def _end_sessions(session: Session, user_id: int, keep: str | None = None) -> None:
    ended = delete(StaffSession).where(StaffSession.staff_user_id == user_id)  # type: ignore[arg-type]
    if keep is not None:
        ended = ended.where(StaffSession.token_hash != keep)  # type: ignore[arg-type]
    session.exec(ended)  # type: ignore[call-overload]


def list_staff(session: Session) -> list[StaffUser]:
    return list(session.exec(select(StaffUser).order_by(StaffUser.username)).all())
