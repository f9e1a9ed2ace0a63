"""Splitting a household into two linked cases, and merging duplicate cases.

A household travels together, so the planner never splits one; when people
must travel apart (a stretcher patient with one companion on an ambulance
plane, the rest on a regular flight), an officer splits the case explicitly.
Merging folds a duplicate case into the case that is kept: members who are not
already there move over, the duplicate is closed and points to the kept case,
and both keep their own history.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from evac.audit.service import record_event
from evac.cases.service import bump_version
from evac.errors import InvalidInput
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import CASE_TRANSITIONS, Action
from evac.registration.flags import refresh_case_flags
from evac.registration.models import Person, Registration
from evac.registration.reference import hash_token, new_access_token, new_reference
from evac.settings import get_settings
from evac.staff.auth import StaffContext

# Only cases without a seat on a flight can be reshaped.
RESHAPEABLE = CASE_TRANSITIONS[Action.mark_duplicate].sources


def _require_reshapeable(case: Registration) -> None:
    if case.status not in RESHAPEABLE:
        raise InvalidInput(
            N_("Only a registered, verified or deferred case can be split or merged.")
        )


def split_household(
    session: Session,
    staff: StaffContext,
    case: Registration,
    person_ids: Sequence[int],
    *,
    expected_version: int,
    today: date,
) -> Registration:
    """Move the chosen members into a new case linked to this one; returns the new case."""
    _require_reshapeable(case)
    chosen = [m for m in case.members if m.id in set(person_ids)]
    if not chosen or len(chosen) == len(case.members):
        raise InvalidInput(N_("Choose some members, but not all, to move to the new case."))
    bump_version(session, case, expected_version)
    new_case = Registration(
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
    session.add(new_case)
    for position, person in enumerate(chosen):
        case.members.remove(person)
        person.position = position
        new_case.members.append(person)
    _renumber(case.members)
    home = get_settings().home_country
    refresh_case_flags(case, today=today, home_country=home)
    refresh_case_flags(new_case, today=today, home_country=home)
    session.flush()
    moved = [f"{p.given_name} {p.family_name}" for p in chosen]
    for subject, other in ((case, new_case), (new_case, case)):
        record_event(
            session,
            actor=staff.actor,
            action="case.split",
            subject_type="registration",
            subject_id=subject.reference,
            after={"from": case.reference, "to": new_case.reference, "moved": moved},
            before={"linked_case": other.reference},
        )
    session.commit()
    return new_case


def merge_cases(
    session: Session,
    staff: StaffContext,
    kept: Registration,
    duplicate: Registration,
    *,
    expected_version: int,
    today: date,
) -> list[str]:
    """Fold ``duplicate`` into ``kept``; returns the names of the members moved."""
    if kept.id == duplicate.id:
        raise InvalidInput(N_("Choose two different cases to merge."))
    _require_reshapeable(kept)
    _require_reshapeable(duplicate)
    bump_version(session, kept, expected_version)
    known = {_identity(p) for p in kept.members} | {_document(p) for p in kept.members}
    movers = [
        p for p in duplicate.members if _identity(p) not in known and _document(p) not in known
    ]
    for person in movers:
        duplicate.members.remove(person)
        kept.members.append(person)
    _renumber(kept.members)
    duplicate.merged_into_id = kept.id
    session.flush()
    lifecycle.apply(
        session, duplicate, Action.mark_duplicate, actor=staff.actor,
        details={"merged_into": kept.reference},
    )  # fmt: skip
    home = get_settings().home_country
    refresh_case_flags(kept, today=today, home_country=home)
    refresh_case_flags(duplicate, today=today, home_country=home)
    moved = [f"{p.given_name} {p.family_name}" for p in movers]
    for subject in (kept, duplicate):
        record_event(
            session,
            actor=staff.actor,
            action="case.merge",
            subject_type="registration",
            subject_id=subject.reference,
            after={"kept": kept.reference, "duplicate": duplicate.reference, "moved": moved},
        )
    session.commit()
    return moved


def _identity(person: Person) -> tuple[str, object]:
    return (person.name_key, person.date_of_birth)


def _document(person: Person) -> tuple[str, str, str]:
    return (person.document_type, person.document_number_key, person.document_country)


def _renumber(members: list[Person]) -> None:
    for position, person in enumerate(members):
        person.position = position
