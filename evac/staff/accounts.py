"""An administrator's changes to one account: its role and missions, and the state
each account is in (active, deactivated, locked after failed sign-ins)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel import Session, col, select

from evac.audit.service import record_event
from evac.errors import InvalidInput, NotFound
from evac.i18n import N_
from evac.missions.models import Mission
from evac.staff.models import LoginAttempt, Role, StaffMission, StaffUser


class AccountState(StrEnum):
    active = "active"
    deactivated = "deactivated"
    locked = "locked"


STATE_LABELS = {
    AccountState.active: N_("Active"),
    AccountState.deactivated: N_("Deactivated"),
    AccountState.locked: N_("Locked after failed sign-ins"),
}


def account_states(session: Session, users: Sequence[StaffUser], now: datetime) -> dict[int, str]:
    """Each account's state: deactivated by an administrator, locked for now by too
    many failed sign-ins (from any address), or active."""
    locked = set(
        session.exec(
            select(LoginAttempt.username).where(col(LoginAttempt.locked_until) > now)
        ).all()
    )
    states = {}
    for user in users:
        if not user.is_active:
            state = AccountState.deactivated
        elif user.username in locked:
            state = AccountState.locked
        else:
            state = AccountState.active
        states[user.id or 0] = state
    return states


def get_account(session: Session, user_id: int) -> StaffUser:
    user = session.get(StaffUser, user_id)
    if user is None:
        raise NotFound(N_("No such account."))
    return user


@dataclass(frozen=True)
class AccountChange:
    """What saving the form would change, for the page that asks first."""

    role_before: str
    role_after: str
    added: list[str]
    removed: list[str]

    @property
    def changes_anything(self) -> bool:
        return self.role_before != self.role_after or bool(self.added or self.removed)


def mission_codes_of(session: Session, user: StaffUser) -> list[str]:
    ids = [link.mission_id for link in user.mission_links]
    if not ids:
        return []
    return sorted(session.exec(select(Mission.code).where(col(Mission.id).in_(ids))).all())


def missions_by_code(session: Session, codes: Sequence[str]) -> list[Mission]:
    wanted = sorted({code.strip().upper() for code in codes if code.strip()})
    found = list(session.exec(select(Mission).where(col(Mission.code).in_(wanted))).all())
    if len(found) != len(wanted):
        raise InvalidInput(N_("Choose missions from the list."))
    return found


def account_change(
    session: Session, user: StaffUser, role: Role, codes: Sequence[str]
) -> AccountChange:
    before = set(mission_codes_of(session, user))
    after = {m.code for m in missions_by_code(session, codes)}
    return AccountChange(
        role_before=str(user.role),
        role_after=str(role),
        added=sorted(after - before),
        removed=sorted(before - after),
    )


def update_account(
    session: Session,
    user: StaffUser,
    role: Role,
    codes: Sequence[str],
    *,
    actor: str,
    actor_id: int,
) -> None:
    """Set the account's role and missions, audited as ``staff.update``, and commit."""
    missions = missions_by_code(session, codes)
    if role is Role.officer and not missions:
        raise InvalidInput(N_("An officer must belong to at least one mission."))
    if user.id == actor_id and role is not Role.admin:
        raise InvalidInput(N_("You cannot take your own administrator role away."))
    before = {"role": str(user.role), "missions": mission_codes_of(session, user)}
    user.role = role
    wanted = {m.id for m in missions}
    for link in [link for link in user.mission_links if link.mission_id not in wanted]:
        user.mission_links.remove(link)
    held = {link.mission_id for link in user.mission_links}
    user.mission_links += [StaffMission(mission_id=i) for i in sorted(wanted - held)]  # type: ignore[arg-type]
    record_event(
        session,
        actor=actor,
        action="staff.update",
        subject_type="staff_user",
        subject_id=user.id,  # type: ignore[arg-type]
        before=before,
        after={"role": str(role), "missions": sorted(m.code for m in missions)},
    )
    session.commit()
