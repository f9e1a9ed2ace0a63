"""Check-in person by person: the officer compares each person with the passport and
ticks those who are here; one missing member does not hold the household back."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.flights.models import Assignment
from evac.flights.models import AssignmentStatus as Seat
from evac.lifecycle import service as lifecycle
from evac.lifecycle.airport import board_people, check_in_people
from evac.lifecycle.rules import LIVE_SEATS, SEATED, Action
from evac.lifecycle.service import StaleCase, TransitionRefused
from evac.registration.models import CaseStatus, Person, Registration
from tests.factories import csrf_token, member, sign_in
from tests.planning_db.airport import family, person_ids, seated_flight, seats, status


def _check_in(
    client: TestClient, flight_id: int, case: Registration, people: list[int], **extra: object
) -> str:
    url = f"/staff/checkin/{flight_id}"
    data = {"reference": case.reference, "person": people, "step": "check_in"}
    data |= {"csrf_token": csrf_token(client, url), **extra}
    return client.post(url, data=data).text


def test_one_missing_member_does_not_block_the_others(client: TestClient, session: Session) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    mother, _father, child = person_ids(session, tan)
    sign_in(client, "berlin")

    page = _check_in(client, flight.id, tan, [mother, child])  # type: ignore[arg-type]

    assert f"{tan.reference}: 2 people checked in." in page
    assert status(session, tan) == CaseStatus.checked_in
    assert seats(session, tan) == [Seat.checked_in, Seat.assigned, Seat.checked_in]


def test_the_missing_member_checks_in_later_even_after_the_others_boarded(
    session: Session,
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    mother, father, child = person_ids(session, tan)
    check_in_people(session, tan, flight, [mother], actor="officer")
    assert board_people(session, tan, flight, actor="officer") == 1
    assert seats(session, tan) == [Seat.boarded, Seat.assigned, Seat.assigned]

    check_in_people(session, tan, flight, [father, child], actor="officer")
    board_people(session, tan, flight, actor="officer")
    session.commit()

    assert status(session, tan) == CaseStatus.boarded
    assert seats(session, tan) == [Seat.boarded] * 3
    events = session.exec(
        select(AuditEvent).where(col(AuditEvent.action).in_(["case.check_in", "case.board"]))
    ).all()
    assert [(event.action, event.after["people"]) for event in events] == [  # type: ignore[index]
        ("case.check_in", 1),
        ("case.board", 1),
        ("case.check_in", 2),
        ("case.board", 2),
    ]
    assert [event.after["row_version"] for event in events] == [  # type: ignore[index]
        event.before["row_version"] + 1  # type: ignore[index]
        for event in events
    ]


def test_every_step_keeps_the_household_seated_on_one_flight(session: Session) -> None:
    """A case at the airport is in a seated status and all its live seats are on the flight."""
    flight, (tan,) = seated_flight(session, [family()])
    mother, father, child = person_ids(session, tan)
    steps = [
        lambda: check_in_people(session, tan, flight, [father], actor="officer"),
        lambda: board_people(session, tan, flight, actor="officer"),
        lambda: check_in_people(session, tan, flight, [mother, child], actor="officer"),
    ]
    for step in steps:
        step()
        assert CaseStatus(status(session, tan)) in SEATED
        live = session.exec(
            select(Assignment.flight_id).where(
                Assignment.registration_id == tan.id,
                col(Assignment.status).in_(LIVE_SEATS),
            )
        ).all()
        assert set(live) == {flight.id} and len(live) == 3


def test_someone_of_another_household_cannot_be_checked_in_through_this_one(
    client: TestClient, session: Session
) -> None:
    flight, (tan, er) = seated_flight(session, [family(), [member("Oya", "Er")]])
    sign_in(client, "berlin")
    page = _check_in(client, flight.id, tan, person_ids(session, er))  # type: ignore[arg-type]
    assert "None of the people chosen is still to check in." in page
    assert status(session, tan) == status(session, er) == CaseStatus.assigned


def test_ticking_nobody_checks_nobody_in(client: TestClient, session: Session) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    sign_in(client, "berlin")
    page = _check_in(client, flight.id, tan, [])  # type: ignore[arg-type]
    assert "Tick the people who are here." in page
    assert status(session, tan) == CaseStatus.assigned


def test_a_card_someone_else_changed_meanwhile_is_refused(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    mother, father, _ = person_ids(session, tan)
    old_version = tan.row_version
    check_in_people(session, tan, flight, [father], actor="another officer")
    session.commit()
    sign_in(client, "berlin")
    page = _check_in(client, flight.id, tan, [mother], version=old_version)  # type: ignore[arg-type]
    assert "Someone else changed this case" in page
    assert seats(session, tan)[0] == Seat.assigned


def test_the_lifecycle_refuses_a_stale_version(session: Session) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    with pytest.raises(StaleCase):
        check_in_people(
            session,
            tan,
            flight,
            person_ids(session, tan),
            actor="officer",
            expected_version=tan.row_version - 1,
        )


def test_a_withdrawn_household_cannot_be_checked_in(session: Session) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    lifecycle.apply(session, tan, Action.withdraw, actor="registrant")
    with pytest.raises(TransitionRefused):
        check_in_people(session, tan, flight, person_ids(session, tan), actor="officer")


def test_the_airport_page_shows_each_person_as_in_the_passport(
    client: TestClient, session: Session
) -> None:
    flight, _ = seated_flight(session, [family()])
    child = session.exec(select(Person).where(Person.given_name == "Deniz")).one()
    sign_in(client, "berlin")
    page = client.get(f"/staff/checkin/{flight.id}").text
    assert "TAN, DENIZ" in page
    assert "Mar 2, 2019" in page  # as the reader's locale writes a day
    assert child.document_number in page
    assert f'name="person" value="{child.id}"' in page
    assert "<table" not in page  # cards on a phone, not a wide table
    assert "Seats held on a flight" in page and ">assigned<" not in page  # statuses in words


@pytest.mark.parametrize(
    "typed",
    ["tan", "Kerem", "kerem tan", "TAN", "reference", "document"],
)
def test_search_finds_a_household_by_name_reference_or_document(
    client: TestClient, session: Session, typed: str
) -> None:
    flight, (tan, er) = seated_flight(session, [family(), [member("Oya", "Er")]])
    kerem = session.exec(select(Person).where(Person.given_name == "Kerem")).one()
    query = {
        "reference": tan.reference.lower().replace("-", " "),
        "document": kerem.document_number.lower(),
    }.get(typed, typed)
    sign_in(client, "berlin")
    page = client.get(f"/staff/checkin/{flight.id}", params={"q": query}).text
    assert f'id="household-{tan.reference}"' in page
    assert f'id="household-{er.reference}"' not in page
    assert "1 household matches." in page


def test_a_search_typo_keeps_what_was_typed_and_says_what_did_not_match(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    sign_in(client, "berlin")
    page = client.get(f"/staff/checkin/{flight.id}", params={"q": "Tanq"}).text
    assert "Nothing on this flight matches “Tanq”." in page
    assert 'value="Tanq"' in page and 'aria-invalid="true"' in page

    last = tan.reference[-1]
    typo = tan.reference[:-1] + ("A" if last != "A" else "B")
    page = client.get(f"/staff/checkin/{flight.id}", params={"q": typo}).text
    assert f"“{typo}” is not a valid reference: a letter or digit is mistyped." in page
    assert f'value="{typo}"' in page


def test_the_airport_page_speaks_arabic_and_keeps_passport_names_in_latin(
    client: TestClient, session: Session
) -> None:
    flight, (tan,) = seated_flight(session, [family()])
    sign_in(client, "berlin")
    page = client.get(f"/staff/checkin/{flight.id}", params={"q": "Tanq", "lang": "ar"}).text
    assert 'dir="rtl"' in page
    assert "البحث عن أسرة" in page
    assert "لا شيء على هذه الرحلة يطابق “Tanq”" in page
    page = client.get(f"/staff/checkin/{flight.id}/close", params={"lang": "ar"}).text
    assert "إغلاق تسجيل الوصول للرحلة TK500؟" in page
    assert '<span class="passport-name ltr">TAN, AYLIN</span>' in page
    assert tan.reference in page
