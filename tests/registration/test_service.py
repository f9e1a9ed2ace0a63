"""Registering a household through the service: duplicates and travel documents."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.audit.service import REGISTRANT
from evac.registration.models import CaseStatus
from evac.registration.schemas import RegistrationIn
from evac.registration.service import Registered, register_household
from tests.factories import APP_TODAY
from tests.registration import household, member

TODAY = APP_TODAY


def register(session: Session, *members: dict[str, Any], **options: Any) -> Registered:
    data = RegistrationIn.model_validate(household(*members))
    return register_household(session, data, actor=REGISTRANT, today=TODAY, **options)


def test_same_name_and_birth_date_with_another_document_is_flagged_as_possible_duplicate(
    session: Session,
) -> None:
    first = register(session, member(document={"number": "U1111111"}))
    second = register(
        session,
        member(given_name="Can", sex="M", document={"number": "U3333333"}),
        member(given_name="AYSE", family_name="YILMAZ", document={"number": "C2222222"}),
    )
    assert first.possible_duplicate_of_id is None
    assert second.possible_duplicate_of_id == first.id


def test_different_person_is_not_flagged(session: Session) -> None:
    register(session, member(document={"number": "U1111111"}))
    other = register(session, member(date_of_birth="1984-05-13", document={"number": "U2"}))
    assert other.possible_duplicate_of_id is None


def test_a_document_held_by_an_active_case_stays_with_it_and_flags_the_new_case(
    session: Session,
) -> None:
    first = register(session, member(document={"number": "U1111111"}))
    second = register(
        session,
        member(given_name="Can", sex="M", document={"number": "U2222222"}),
        member(given_name="Zeynep", document={"number": "u 111-1111"}),
    )
    assert second.id != first.id
    assert second.possible_duplicate_of_id == first.id
    people = second.case(session).members
    assert [(p.given_name, p.is_active) for p in people] == [("Can", True), ("Zeynep", False)]
    assert [p.is_active for p in first.case(session).members] == [True]


def test_withdrawn_case_frees_its_documents(session: Session) -> None:
    withdrawn = register(session, member(document={"number": "U1111111"})).case(session)
    withdrawn.status = CaseStatus.withdrawn
    for person in withdrawn.members:
        person.is_active = False
    session.commit()

    again = register(session, member(document={"number": "U1111111"}))
    assert again.id != withdrawn.id
    assert again.possible_duplicate_of_id is None


def test_retry_with_the_same_key_returns_the_first_registration(session: Session) -> None:
    first = register(session, member(), idempotency_key="form:abc")
    again = register(session, member(), idempotency_key="form:abc")
    assert again.replayed and not first.replayed
    assert (again.id, again.access_token) == (
        first.id,
        first.access_token,
    )
    events = session.exec(select(AuditEvent).where(AuditEvent.subject_id == first.reference)).all()
    assert [event.action for event in events] == ["registration.create"]
