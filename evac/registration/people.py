"""Correcting a person's details after registering: one path for the registrant
(through the private link, until a seat is confirmed) and for officers (always).

A change is validated exactly as a registration is (``rules.check_registration``
on the case with this person replaced), takes the ``row_version`` the editor
saw, and records the fields it changed, before and after, in one audit event.

A travel document held by another active case: an officer is told so (they
may see which case); a registrant's change is accepted and the person set
aside, as when registering (see ``evac.registration.duplicates``), so that
the form never tells whether a passport is registered.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.errors import Conflict
from evac.i18n import N_
from evac.lifecycle.rules import SEATED
from evac.notifications.service import enqueue_document_reused
from evac.registration.flags import refresh_case_flags
from evac.registration.forms import MEMBER_FIELDS
from evac.registration.models import CaseStatus, DocumentType, Person, Registration
from evac.registration.rules import Problem, check_registration
from evac.registration.schemas import MemberIn
from evac.registration.self_service import (
    CaseLocked,
    StaleCase,
    as_input,
    member_at,
)
from evac.registration.service import CLOSED_STATUSES, InvalidRegistration, person_values
from evac.row_versions import claim_next_version
from evac.settings import get_settings

# Before a seat is confirmed, the registrant corrects their people themselves.
REGISTRANT_EDITABLE = frozenset(
    {CaseStatus.registered, CaseStatus.verified, CaseStatus.assigned, CaseStatus.deferred}
)
# Every field a person has on the form is audited when it changes.
AUDITED = MEMBER_FIELDS
DOCUMENT_HELD = N_(
    "This document is registered to a person in another active case (%(reference)s). "
    "Check the number; if it is the same household, merge the cases."
)
DOCUMENT_TAKEN = N_(
    "This document was registered in another case a moment ago. Check the number, then save again."
)
NEEDS_OTHER_SEATS = N_(
    "This household holds seats on a flight, and this change needs a stretcher place or "
    "a travel document. The mission must release the seats first; then make the change."
)


class SeatsInTheWay(Conflict):
    def __init__(self) -> None:
        super().__init__(NEEDS_OTHER_SEATS)


@dataclass(frozen=True)
class Editor:
    """Who changes the person: the audit's actor, and whether it is an officer."""

    actor: str
    staff: bool


def can_edit_people(registration: Registration, *, staff: bool = False) -> bool:
    return staff or registration.status in REGISTRANT_EDITABLE


def edit_person(
    session: Session,
    registration: Registration,
    position: int,
    member: MemberIn,
    *,
    editor: Editor,
    row_version: int,
    today: date,
) -> None:
    """Replace one person's details, or raise: InvalidRegistration (problems at
    ``("members", position, …)``), StaleCase, SeatsInTheWay or CaseLocked."""
    if not can_edit_people(registration, staff=editor.staff):
        raise CaseLocked()
    person = member_at(registration, position)
    index = registration.members.index(person)
    data = as_input(registration, replaced=(index, member))
    problems = [
        problem
        for problem in check_registration(data, today=today, staff=editor.staff)
        if problem.loc[:2] == ("members", index)
    ]
    if problems:
        raise InvalidRegistration([_at(problem, position) for problem in problems])
    values = person_values(member, person.position)
    _refuse_other_seats(registration, person, values)
    holder = _document_holder(session, values, person)
    changed = _document_changed(person, values)
    if holder is not None and editor.staff and changed:
        problem = Problem(("members", position, "document", "number"), DOCUMENT_HELD, holder[1])
        raise InvalidRegistration([problem])
    before = {name: getattr(person, name) for name in AUDITED}
    claim_next_version(session, registration, row_version, StaleCase)
    for name, value in values.items():
        setattr(person, name, value)
    person.is_active = holder is None and registration.status not in CLOSED_STATUSES
    if holder is not None and changed:
        registration.possible_duplicate_of_id = registration.possible_duplicate_of_id or holder[0]
        enqueue_document_reused(session, [holder[0]], day=today)
    refresh_case_flags(registration, today=today, home_country=get_settings().home_country)
    _flush(session, position)
    _audit(session, registration, editor, person, before)
    session.commit()


def _at(problem: Problem, position: int) -> Problem:
    return Problem(("members", position, *problem.loc[2:]), problem.message, problem.params)


def _refuse_other_seats(registration: Registration, person: Person, values: dict[str, Any]) -> None:
    """Seats are given for the household as it was: a stretcher, or losing the travel
    document, needs the planner again, so the seats must be released first."""
    if registration.status not in SEATED:
        return
    stretcher = values["needs_stretcher"] != person.needs_stretcher
    loses_document = (
        values["document_type"] == DocumentType.none and person.document_type != DocumentType.none
    )
    if stretcher or loses_document:
        raise SeatsInTheWay()


def _document_changed(person: Person, values: dict[str, Any]) -> bool:
    columns = ("document_number_key", "document_country", "document_type")
    return any(getattr(person, column) != values[column] for column in columns)


def _document_holder(
    session: Session, values: dict[str, Any], person: Person
) -> tuple[int, dict[str, str]] | None:
    """Another active case holding this document: its id, and its reference to show."""
    if values["document_type"] == DocumentType.none:
        return None
    row = session.exec(
        select(Person.registration_id, Registration.reference)
        .join(Registration, Registration.id == Person.registration_id)  # type: ignore[arg-type]
        .where(
            Person.is_active,
            Person.id != person.id,
            Person.document_number_key == values["document_number_key"],
            Person.document_country == values["document_country"],
            Person.document_type == values["document_type"],
        )
    ).first()
    return (row[0], {"reference": row[1]}) if row else None


def _flush(session: Session, position: int) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Another case took the document since it was looked up.
        session.rollback()
        problem = Problem(("members", position, "document", "number"), DOCUMENT_TAKEN)
        raise InvalidRegistration([problem]) from None


def _audit(
    session: Session,
    registration: Registration,
    editor: Editor,
    person: Person,
    before: dict[str, Any],
) -> None:
    after = {name: getattr(person, name) for name in AUDITED}
    changed = [name for name in AUDITED if before[name] != after[name]]
    record_event(
        session,
        actor=editor.actor,
        action="registration.member_update",
        subject_type="registration",
        subject_id=registration.reference,
        before={"position": person.position, **{n: _plain(before[n]) for n in changed}},
        after={"position": person.position, **{n: _plain(after[n]) for n in changed}},
    )


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


__all__ = ["CaseLocked", "Editor", "SeatsInTheWay", "StaleCase", "can_edit_people", "edit_person"]
