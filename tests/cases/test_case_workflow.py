"""Officers move cases through the workflow; forbidden moves say why; all is audited."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.registration.models import CaseStatus
from tests.factories import csrf_token, make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def test_officer_verifies_a_case_and_the_history_shows_it(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE")
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "verified", "row_version": case.row_version, "csrf_token": csrf_token(client)},
    )
    assert "Status changed." in page.text
    session.refresh(case)
    assert case.status == "verified"
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "case.verify", AuditEvent.subject_id == case.reference
        )
    ).one()
    assert event.actor == "staff:berlin"
    assert event.before["status"] == "registered" and event.after["status"] == "verified"
    assert "case.verify" in page.text


def test_forbidden_transition_is_refused_with_the_reason(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE")
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "arrived", "row_version": case.row_version, "csrf_token": csrf_token(client)},
    )
    assert "This status cannot follow the current one." in page.text
    session.refresh(case)
    assert case.status == "registered"


def test_second_officer_with_a_stale_page_gets_a_conflict(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE")
    stale_version = case.row_version
    sign_in(client, "berlin")
    token = csrf_token(client)
    client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "verified", "row_version": stale_version, "csrf_token": token},
    )
    second = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "deferred", "row_version": stale_version, "csrf_token": token},
    )
    assert "Someone else changed this case" in second.text
    session.refresh(case)
    assert case.status == "verified"


def test_state_changing_forms_need_the_csrf_token(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE")
    sign_in(client, "berlin")
    response = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "verified", "row_version": case.row_version, "csrf_token": "wrong"},
    )
    assert response.status_code == 403
    session.refresh(case)
    assert case.status == "registered"


def test_bulk_verify_reports_changed_and_refused_cases(
    client: TestClient, session: Session
) -> None:
    fresh = [make_case(session, "DE") for _ in range(2)]
    withdrawn = make_case(session, "DE")
    withdrawn.status = CaseStatus.withdrawn
    session.commit()
    sign_in(client, "berlin")
    page = client.post(
        "/staff/cases/bulk",
        data={
            "action": "verify",
            "references": [c.reference for c in [*fresh, withdrawn]],
            "csrf_token": csrf_token(client),
        },
    )
    assert "2 cases changed, 1 refused." in page.text
    assert f"{withdrawn.reference}: The case was withdrawn" in page.text


def test_marking_a_duplicate_frees_its_documents_for_a_new_case(
    client: TestClient, session: Session
) -> None:
    original, case = make_case(session, "DE"), make_case(session, "DE")
    sign_in(client, "berlin")
    client.post(
        "/staff/cases/bulk",
        data={
            "action": "duplicate",
            "references": [case.reference],
            "duplicate_of": original.reference,
            "confirmed": "yes",
            "expected": "1",
            "csrf_token": csrf_token(client),
        },
    )
    session.refresh(case)
    assert case.status == "duplicate"
    assert all(not person.is_active for person in case.members)


def test_notes_are_kept_and_audited(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE", [member("Zeynep", "Arslan")])
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/notes",
        data={"text": "Called: family of four waiting in Köln.", "csrf_token": csrf_token(client)},
    )
    assert "Called: family of four waiting in Köln." in page.text
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.note")).one()


def test_case_page_shows_members_and_nearest_airports(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE", [member("Zeynep", "Arslan")])
    sign_in(client, "berlin")
    page = client.get(f"/staff/cases/{case.reference}")
    assert "Zeynep Arslan" in page.text
    assert "BER" in page.text  # Berlin Brandenburg, nearest to the case's position


def test_a_refusal_with_details_is_shown_filled_in(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evac.cases import status_routes
    from evac.errors import Conflict

    def refuse(*_: object, **__: object) -> None:
        raise Conflict("The flight %(flight)s is full.", flight="TK42")

    monkeypatch.setattr(status_routes, "transition_case", refuse)
    case = make_case(session, "DE")
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "verified", "row_version": case.row_version, "csrf_token": csrf_token(client)},
    )
    assert "The flight TK42 is full." in page.text
