"""A registrant corrects a person's details through the private link, until a seat
is confirmed; the change is validated as at registration and audited."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.seating import confirm_seats
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus
from evac.registration.person_form import person_form_values
from tests.factories import APP_TODAY, verify
from tests.planning_db.test_plan_commit import make_flight
from tests.registration.test_case_page import case_of, post, registered
from tests.registration.test_form import field_value, person


def edit(
    client: TestClient,
    session: Session,
    reference: str,
    token: str,
    position: int,
    **changes: str,
) -> Any:
    """Open the correction page, then post what it shows with ``changes``."""
    page = client.get(f"/r/{reference}/members/{position}/edit", params={"t": token})
    assert page.status_code == 200, page.text
    case = case_of(session, reference)
    assert f'name="row_version" value="{case.row_version}"' in page.text
    data = person_form_values(case.members[position])
    assert field_value(page.text, "members-0-given_name") == data["members-0-given_name"]
    version = changes.pop("row_version", str(case.row_version))
    data |= {f"members-0-{name}": value for name, value in changes.items()}
    data |= {"t": token, "row_version": version}
    return post(client, f"/r/{reference}/members/{position}/edit", data)


def update_events(session: Session, reference: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent).where(
                AuditEvent.subject_id == reference,
                AuditEvent.action == "registration.member_update",
            )
        ).all()
    )


def test_the_registrant_corrects_a_person_and_the_audit_keeps_before_and_after(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client, person(), person(1, given_name="Omar"))
    response = edit(
        client, session, reference, token, 1,
        given_name="Ömer", passport_given_names="OEMER", date_of_birth="1990-02-03",
        document_number="X9876543",
    )  # fmt: skip
    assert response.status_code == 303, response.text
    assert "saved=member_updated" in response.headers["location"]
    omer = case_of(session, reference).members[1]
    assert (omer.given_name, omer.passport_given_names) == ("Ömer", "OEMER")
    assert omer.date_of_birth.isoformat() == "1990-02-03"
    assert omer.document_number == "X9876543" and omer.is_active
    [event] = update_events(session, reference)
    assert event.actor == "registrant"
    assert event.before["given_name"] == "Omar" and event.after["given_name"] == "Ömer"
    assert event.after["date_of_birth"] == "1990-02-03"
    assert "nationality" not in event.after
    assert case_of(session, reference).row_version == 2


def test_a_correction_is_validated_as_at_registration(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    future = APP_TODAY.replace(year=APP_TODAY.year + 1).isoformat()
    response = edit(
        client, session, reference, token, 0, date_of_birth=future,
        family_name="يلماز", passport_surname="",
    )  # fmt: skip
    assert response.status_code == 422
    assert "The date of birth cannot be in the future." in response.text
    assert "cannot be spelled from" in response.text
    assert field_value(response.text, "members-0-family_name") == "يلماز"
    assert case_of(session, reference).members[0].family_name == "Yılmaz"
    assert update_events(session, reference) == []


def test_a_stale_correction_is_a_conflict_that_keeps_what_was_typed(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client)
    assert edit(client, session, reference, token, 0, given_name="Ayşegül").status_code == 303
    late = edit(client, session, reference, token, 0, given_name="Aysel", row_version="1")
    assert late.status_code == 409
    assert "Someone changed this case while you were editing it" in late.text
    assert field_value(late.text, "members-0-given_name") == "Aysel"
    assert case_of(session, reference).members[0].given_name == "Ayşegül"


def test_the_registrant_can_no_longer_correct_people_once_the_seat_is_confirmed(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client)
    case = verify(session, case_of(session, reference))
    make_flight(session, "TK1700", 5)
    commit_plan(session, actor="planner", country="DE")
    case = case_of(session, reference)
    assert case.status == CaseStatus.assigned
    page = client.get(f"/r/{reference}", params={"t": token})
    assert f"/r/{reference}/members/0/edit" in page.text
    confirm_seats(session, case, actor="registrant")
    session.commit()
    page = client.get(f"/r/{reference}", params={"t": token})
    assert f"/r/{reference}/members/0/edit" not in page.text
    values = person_form_values(case_of(session, reference).members[0])
    version = str(case_of(session, reference).row_version)
    data = values | {"members-0-given_name": "Aysel", "t": token, "row_version": version}
    refused = post(client, f"/r/{reference}/members/0/edit", data)
    assert refused.status_code == 409
    assert "can no longer be changed here" in refused.text
    assert case_of(session, reference).members[0].given_name == "Ayşe"


def test_a_document_held_by_another_case_is_set_aside_not_revealed(
    client: TestClient, session: Session
) -> None:
    other, _ = registered(client, person(document_number="P1111111"))
    reference, token = registered(client, person(given_name="Hatice", document_number="P2222222"))
    response = edit(client, session, reference, token, 0, document_number="P1111111")
    assert response.status_code == 303
    mine = case_of(session, reference)
    assert not mine.members[0].is_active
    assert mine.possible_duplicate_of_id == case_of(session, other).id


def test_a_person_without_a_document_is_corrected_to_have_one(
    client: TestClient, session: Session
) -> None:
    baby = person(
        1, given_name="Deniz", date_of_birth="2026-10-01", document_type="N",
        document_number="", document_country="", document_expiry="",
        document_missing_reason="other", document_missing_note="Not issued yet",
    )  # fmt: skip
    reference, token = registered(client, person(), baby)
    response = edit(
        client, session, reference, token, 1, document_type="P", document_number="U7654321",
        document_country="TR", document_missing_reason="", document_missing_note="",
    )  # fmt: skip
    assert response.status_code == 303, response.text
    deniz = case_of(session, reference).members[1]
    assert (deniz.document_type, deniz.document_missing_reason) == ("P", None)
