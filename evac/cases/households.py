"""Splitting a household into two linked cases.

A household travels together, so the planner never splits one; when people
must travel apart (a stretcher patient with one companion on an ambulance
plane, the rest on a regular flight), an officer splits the case explicitly,
giving the reason, which the history keeps. A split that would leave a child
without an adult in either case is carried out only once the officer has
confirmed it. Merging is in ``evac.cases.merge``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from evac.audit.service import record_event
from evac.errors import Conflict, InvalidInput
from evac.i18n import N_
from evac.lifecycle.rules import CASE_TRANSITIONS, Action
from evac.lifecycle.service import StaleCase
from evac.planning.tiers import age_on
from evac.registration.flags import refresh_case_flags
from evac.registration.models import Person, Registration
from evac.registration.reference import new_access_token, new_reference
from evac.row_versions import claim_next_version
from evac.settings import get_settings
from evac.staff.auth import StaffContext
from evac.tokens import hash_token

# Only cases without a seat on a flight can be reshaped.
RESHAPEABLE = CASE_TRANSITIONS[Action.mark_duplicate].sources
ADULT_AGE = 18
MAX_REASON_LENGTH = 500


class ChildrenWithoutAdult(Conflict):
    """The split would leave these children without an adult; ask before doing it."""

    code = "children_without_adult"

    def __init__(self, children: list[Person]) -> None:
        super().__init__(N_("This split would leave a child without an adult."))
        self.children = children


def require_reshapeable(case: Registration) -> None:
    if case.status not in RESHAPEABLE:
        raise InvalidInput(
            N_("Only a registered, verified or deferred case can be split or merged.")
        )


def children_left_alone(
    staying: Sequence[Person], leaving: Sequence[Person], today: date
) -> list[Person]:
    """The under-18s of either group that has no one aged 18 or more."""
    alone: list[Person] = []
    for group in (staying, leaving):
        minors = [p for p in group if age_on(p.date_of_birth, today) < ADULT_AGE]
        if minors and len(minors) == len(group):
            alone += minors
    return alone


def split_household(
    session: Session,
    staff: StaffContext,
    case: Registration,
    person_ids: Sequence[int],
    *,
    reason: str,
    expected_version: int,
    today: date,
    children_alone_confirmed: bool = False,
) -> Registration:
    """Move the chosen members into a new case linked to this one; returns the new case."""
    require_reshapeable(case)
    reason = reason.strip()
    if not reason:
        raise InvalidInput(N_("Give the reason for the split."))
    if len(reason) > MAX_REASON_LENGTH:
        raise InvalidInput(N_("The reason is at most 500 characters."))
    chosen = [m for m in case.members if m.id in set(person_ids)]
    if not chosen or len(chosen) == len(case.members):
        raise InvalidInput(N_("Choose some members, but not all, to move to the new case."))
    staying = [m for m in case.members if m not in chosen]
    children = children_left_alone(staying, chosen, today)
    if children and not children_alone_confirmed:
        raise ChildrenWithoutAdult(children)
    claim_next_version(session, case, expected_version, StaleCase)
    new_case = _linked_case(case)
    session.add(new_case)
    for position, person in enumerate(chosen):
        case.members.remove(person)
        person.position = position
        new_case.members.append(person)
    renumber(case.members)
    home = get_settings().home_country
    refresh_case_flags(case, today=today, home_country=home)
    refresh_case_flags(new_case, today=today, home_country=home)
    session.flush()
    moved = [f"{p.given_name} {p.family_name}" for p in chosen]
    after = {"from": case.reference, "to": new_case.reference, "moved": moved, "reason": reason}
    if children:
        after["children_without_adult"] = [f"{p.given_name} {p.family_name}" for p in children]
    for subject, other in ((case, new_case), (new_case, case)):
        record_event(
            session,
            actor=staff.actor,
            action="case.split",
            subject_type="registration",
            subject_id=subject.reference,
            after=after,
            before={"linked_case": other.reference},
        )
    session.commit()
    return new_case


def _linked_case(case: Registration) -> Registration:
    """A new case with this one's contact, place and status, pointing back to it."""
    return Registration(
        reference=new_reference(),
        external_reference=case.external_reference,
        phone=case.phone,
        email=case.email,
        language=case.language,
        country=case.country,
        city=case.city,
        address=case.address,
        latitude=case.latitude,
        longitude=case.longitude,
        status=case.status,
        registered_at=case.registered_at,
        access_token_hash=hash_token(new_access_token()),
        consent_processing=case.consent_processing,
        consent_share_with_own_mission=case.consent_share_with_own_mission,
        split_from_id=case.id,
    )


def renumber(members: list[Person]) -> None:
    for position, person in enumerate(members):
        person.position = position
