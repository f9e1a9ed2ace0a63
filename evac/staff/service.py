"""Creating and finding staff accounts."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.errors import Conflict, InvalidInput
from evac.missions.models import Mission
from evac.staff.models import Role, StaffMission, StaffSession, StaffUser
from evac.staff.passwords import MIN_PASSWORD_LENGTH, hash_password

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
    """Create an account; an officer must belong to at least one mission."""
    username = username.strip().lower()
    if not USERNAME_PATTERN.match(username):
        raise InvalidInput(
            "A username is 2 to 64 characters: lowercase letters, digits, '.', '_' or '-'."
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
        raise Conflict(f"The username {username!r} is already taken.")
    missions = _missions_by_code(session, mission_codes)
    if role is Role.officer and not missions:
        raise InvalidInput("An officer must belong to at least one mission (--mission CODE).")
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
    return user


def _missions_by_code(session: Session, codes: Sequence[str]) -> list[Mission]:
    wanted = sorted({code.strip().upper() for code in codes})
    if not wanted:
        return []
    found = session.exec(select(Mission).where(Mission.code.in_(wanted))).all()  # type: ignore[attr-defined]
    missing = sorted(set(wanted) - {m.code for m in found})
    if missing:
        raise InvalidInput(f"Unknown mission code(s): {', '.join(missing)}.")
    return list(found)


def set_staff_active(session: Session, user: StaffUser, active: bool, *, actor: str) -> None:
    """(De)activate an account; deactivation ends its sessions everywhere at once."""
    user.is_active = active
    if not active:
        for staff_session in session.exec(
            select(StaffSession).where(StaffSession.staff_user_id == user.id)
        ).all():
            session.delete(staff_session)
    record_event(
        session,
        actor=actor,
        action="staff.activate" if active else "staff.deactivate",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        after={"username": user.username, "active": active},
    )
    session.commit()


def list_staff(session: Session) -> list[StaffUser]:
    return list(session.exec(select(StaffUser).order_by(StaffUser.username)).all())
