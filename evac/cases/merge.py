"""Merging a duplicate case into the case that continues, and undoing it.

The officer sees both cases, chooses which one continues (by default the one
registered first, whichever page they started from) and whose contact details
it keeps (by default its own), and confirms a plan that names who moves. The
other case is marked a duplicate through the lifecycle and points to the one
that continues. The survivor's ``case.merge`` audit event holds what an undo
needs: the contact details before, the people moved and the absorbed case's
status and order before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from sqlmodel import Session, col, select

from evac.audit.service import record_event
from evac.cases.households import renumber, require_reshapeable
from evac.errors import InvalidInput
from evac.flights.models import Assignment, Flight
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import LIVE_SEATS, Action
from evac.lifecycle.service import StaleCase
from evac.registration.flags import refresh_case_flags
from evac.registration.models import Person, Registration
from evac.row_versions import claim_next_version
from evac.settings import get_settings
from evac.staff.auth import StaffContext

CONTACT_FIELDS = ("phone", "email", "language")


class ContactChoice(StrEnum):
    """Whose contact details the case that continues keeps."""

    survivor = "survivor"
    other = "other"


@dataclass(frozen=True)
class MergePlan:
    """What a merge will do, for the review page and for the merge itself."""

    survivor: Registration
    absorbed: Registration
    contact: ContactChoice
    movers: list[Person]
    staying: list[Person]

    @property
    def contact_after(self) -> dict[str, Any]:
        source = self.survivor if self.contact is ContactChoice.survivor else self.absorbed
        return contact_of(source)


def contact_of(case: Registration) -> dict[str, Any]:
    return {name: getattr(case, name) for name in CONTACT_FIELDS}


def earlier(first: Registration, second: Registration) -> Registration:
    """The case registered first (the lower id on a tie): it continues by default."""
    return min(first, second, key=lambda case: (case.registered_at, case.id or 0))


def plan_merge(survivor: Registration, absorbed: Registration, contact: ContactChoice) -> MergePlan:
    """Who moves: the absorbed case's people not already in the survivor (same
    name and date of birth, or same document); the others stay with the duplicate."""
    if survivor.id == absorbed.id:
        raise InvalidInput(N_("Choose two different cases to merge."))
    known = {_identity(p) for p in survivor.members} | {_document(p) for p in survivor.members}
    movers = [p for p in absorbed.members if not {_identity(p), _document(p)} & known]
    staying = [p for p in absorbed.members if p not in movers]
    return MergePlan(survivor, absorbed, contact, movers, staying)


def seats_held(session: Session, case: Registration) -> list[tuple[str, int]]:
    """The flights (legs, in travel order) the case holds live seats on, with how many."""
    numbers = session.exec(
        select(Flight.flight_number)
        .join(Assignment, col(Assignment.flight_id) == col(Flight.id))
        .where(
            Assignment.registration_id == case.id,
            col(Assignment.status).in_(LIVE_SEATS),
        )
        .order_by(col(Flight.departure_time), col(Flight.id))
    ).all()
    return [(number, numbers.count(number)) for number in dict.fromkeys(numbers)]


def merge_cases(
    session: Session,
    staff: StaffContext,
    plan: MergePlan,
    *,
    survivor_version: int,
    absorbed_version: int,
    today: date,
) -> None:
    """Carry out ``plan`` and commit, or raise (a stale page gets a conflict)."""
    survivor, absorbed = plan.survivor, plan.absorbed
    require_reshapeable(survivor)
    require_reshapeable(absorbed)
    contact_before, status_before = contact_of(survivor), absorbed.status
    order_before = [p.id for p in absorbed.members]
    contact_after = plan.contact_after
    claim_next_version(session, survivor, survivor_version, StaleCase)
    for person in plan.movers:
        absorbed.members.remove(person)
        survivor.members.append(person)
    renumber(survivor.members)
    for name, value in contact_after.items():
        setattr(survivor, name, value)
    absorbed.merged_into_id = survivor.id
    session.flush()
    lifecycle.apply(
        session, absorbed, Action.mark_duplicate, actor=staff.actor,
        expected_version=absorbed_version, details={"merged_into": survivor.reference},
    )  # fmt: skip
    _refresh_flags(survivor, absorbed, today)
    moved = [f"{p.given_name} {p.family_name}" for p in plan.movers]
    link = {"kept": survivor.reference, "duplicate": absorbed.reference, "moved": moved}
    record_event(
        session,
        actor=staff.actor,
        action="case.merge",
        subject_type="registration",
        subject_id=survivor.reference,
        before={
            "contact": contact_before,
            "duplicate_status": status_before,
            "duplicate_order": order_before,
        },
        after={
            **link,
            "moved_ids": [p.id for p in plan.movers],
            "contact": contact_after,
            "contact_from": plan.contact,
        },
    )
    record_event(
        session,
        actor=staff.actor,
        action="case.merge",
        subject_type="registration",
        subject_id=absorbed.reference,
        after=link,
    )
    session.commit()


def _refresh_flags(first: Registration, second: Registration, today: date) -> None:
    home = get_settings().home_country
    refresh_case_flags(first, today=today, home_country=home)
    refresh_case_flags(second, today=today, home_country=home)


def _identity(person: Person) -> tuple[str, object]:
    return (person.name_key, person.date_of_birth)


def _document(person: Person) -> tuple[str, str, str]:
    return (person.document_type, person.document_number_key, person.document_country)
