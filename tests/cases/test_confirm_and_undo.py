"""Officers confirm a change that closes a case or releases its seats, and can undo it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action, needs_confirmation, way_back
from evac.registration.models import CaseStatus as S
from evac.registration.models import Registration
from tests.cases.test_staff_api import _auth, _token_for
from tests.factories import SYSTEM, csrf_token, make_case, member, sign_in, verify
from tests.planning_db.test_plan_commit import make_flight

pytestmark = pytest.mark.usefixtures("missions")


def _seat(session: Session, case: Registration, flight: Flight) -> None:
    seats = [lifecycle.NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
    lifecycle.add_seats(session, case, flight, seats)
    lifecycle.apply(session, case, Action.seat, actor=SYSTEM)
    session.commit()


def _post_status(client: TestClient, case: Registration, to: str, **extra: str):  # type: ignore[no-untyped-def]
    data = {"to": to, "row_version": str(case.row_version), "csrf_token": csrf_token(client)}
    return client.post(f"/staff/cases/{case.reference}/status", data={**data, **extra})


def test_the_rules_say_which_changes_are_asked_first_and_which_have_a_way_back() -> None:
    assert needs_confirmation(S.verified, S.withdrawn)
    assert needs_confirmation(S.registered, S.duplicate)
    assert needs_confirmation(S.confirmed, S.verified)  # offload
    assert not needs_confirmation(S.registered, S.verified)
    assert way_back(S.verified, S.withdrawn) == (Action.reopen, Action.verify)
    assert way_back(S.confirmed, S.verified) == (Action.seat, Action.confirm)
    assert way_back(S.confirmed, S.withdrawn) == (
        Action.reopen,
        Action.verify,
        Action.seat,
        Action.confirm,
    )
    assert way_back(S.no_show, S.withdrawn) is None


def test_officer_is_asked_before_withdrawing_and_told_how_many_people(
    client: TestClient, session: Session
) -> None:
    case = verify(session, make_case(session, "DE", [member(), member()]))
    sign_in(client, "berlin")
    page = _post_status(client, case, "withdrawn")
    assert page.status_code == 200
    assert "Confirm the change" in page.text
    assert "This concerns 2 people." in page.text
    assert 'name="confirmed" value="yes"' in page.text
    session.refresh(case)
    assert case.status == "verified"


def test_officer_withdraws_after_confirming_and_undoes_it(
    client: TestClient, session: Session
) -> None:
    case = verify(session, make_case(session, "DE"))
    sign_in(client, "berlin")
    done = _post_status(client, case, "withdrawn", confirmed="yes")
    assert "Status changed." in done.text
    session.refresh(case)
    assert case.status == "withdrawn"
    assert 'id="undo-status"' in done.text
    event_id = done.text.split('name="event_id" value="')[1].split('"')[0]
    undone = client.post(
        f"/staff/cases/{case.reference}/undo",
        data={"event_id": event_id, "csrf_token": csrf_token(client)},
    )
    assert "Undone" in undone.text
    session.refresh(case)
    assert case.status == "verified"
    assert all(person.is_active for person in case.members)
    steps = session.exec(
        select(AuditEvent).where(AuditEvent.subject_id == case.reference).order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in steps][-2:] == ["case.reopen", "case.verify"]
    assert steps[-1].after["undo_of"] == int(event_id)
    assert 'id="undo-status"' not in undone.text


def test_mark_as_duplicate_asks_of_which_case(client: TestClient, session: Session) -> None:
    original = make_case(session, "DE")
    copy = make_case(session, "DE")
    sign_in(client, "berlin")
    page = _post_status(client, copy, "duplicate")
    assert 'name="duplicate_of"' in page.text
    unknown = _post_status(client, copy, "duplicate", confirmed="yes", duplicate_of="ZZZZ-ZZZZ")
    assert unknown.status_code == 400
    session.refresh(copy)
    assert copy.status == "registered"
    _post_status(client, copy, "duplicate", confirmed="yes", duplicate_of=original.reference)
    session.refresh(copy)
    assert copy.status == "duplicate"
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.mark_duplicate")).one()
    assert event.after["duplicate_of"] == original.reference


def test_offloading_names_the_flight_and_can_be_undone_while_the_seats_are_free(
    client: TestClient, session: Session
) -> None:
    case = verify(session, make_case(session, "DE", [member(), member()]))
    flight = make_flight(session, "TK777", 2)
    _seat(session, case, flight)
    sign_in(client, "berlin")
    asked = _post_status(client, case, "verified")
    assert "TK777" in asked.text and "will be released" in asked.text
    done = _post_status(client, case, "verified", confirmed="yes")
    session.refresh(case)
    assert case.status == "verified"
    event_id = done.text.split('name="event_id" value="')[1].split('"')[0]
    client.post(
        f"/staff/cases/{case.reference}/undo",
        data={"event_id": event_id, "csrf_token": csrf_token(client)},
    )
    session.refresh(case)
    assert case.status == "assigned"
    live = session.exec(
        select(Assignment).where(
            Assignment.registration_id == case.id, Assignment.status == AssignmentStatus.assigned
        )
    ).all()
    assert len(live) == 2 and {s.flight_id for s in live} == {flight.id}


def test_undo_is_refused_when_the_seats_were_taken_meanwhile(
    client: TestClient, session: Session
) -> None:
    case = verify(session, make_case(session, "DE"))
    flight = make_flight(session, "TK778", 1)
    _seat(session, case, flight)
    sign_in(client, "berlin")
    done = _post_status(client, case, "verified", confirmed="yes")
    event_id = done.text.split('name="event_id" value="')[1].split('"')[0]
    _seat(session, verify(session, make_case(session, "DE")), flight)
    refused = client.post(
        f"/staff/cases/{case.reference}/undo",
        data={"event_id": event_id, "csrf_token": csrf_token(client)},
    )
    assert "no room for the whole household" in refused.text
    session.refresh(case)
    assert case.status == "verified"


def test_api_asks_for_confirmation_with_428(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE")
    token = _token_for(client, "berlin")
    url = f"/api/v1/cases/{case.reference}/transitions"
    asked = client.post(url, json={"to": "withdrawn"}, headers=_auth(token))
    assert asked.status_code == 428
    assert asked.json()["code"] == "confirmation_needed"
    done = client.post(url, json={"to": "withdrawn", "confirm": True}, headers=_auth(token))
    assert done.status_code == 200 and done.json()["status"] == "withdrawn"


@pytest.mark.parametrize(
    ("lang", "question"),
    [("tr", "Değişikliği onaylayın"), ("ar", "أكّد التغيير"), ("fr", "Confirmez le changement")],
)
def test_the_question_is_asked_in_the_officers_language(
    client: TestClient, session: Session, lang: str, question: str
) -> None:
    case = make_case(session, "DE", [member(), member()])
    sign_in(client, "berlin")
    data = {"to": "withdrawn", "row_version": str(case.row_version),
            "csrf_token": csrf_token(client)}  # fmt: skip
    page = client.post(f"/staff/cases/{case.reference}/status?lang={lang}", data=data)
    assert question in page.text
    assert "This concerns" not in page.text


def test_withdrawing_a_seated_household_names_its_flight_and_undo_seats_it_again(
    client: TestClient, session: Session
) -> None:
    case = verify(session, make_case(session, "DE"))
    flight = make_flight(session, "TK779", 1)
    _seat(session, case, flight)
    lifecycle.apply(session, case, Action.confirm, actor=SYSTEM)
    session.commit()
    sign_in(client, "berlin")
    asked = _post_status(client, case, "withdrawn")
    assert "TK779" in asked.text and "You can undo this" in asked.text
    done = _post_status(client, case, "withdrawn", confirmed="yes")
    event_id = done.text.split('name="event_id" value="')[1].split('"')[0]
    client.post(
        f"/staff/cases/{case.reference}/undo",
        data={"event_id": event_id, "csrf_token": csrf_token(client)},
    )
    session.refresh(case)
    assert case.status == "confirmed"
    assert all(person.is_active for person in case.members)
