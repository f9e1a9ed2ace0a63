"""An officer at the airport finds a household on a long manifest by name, reference or
document number instead of scrolling through it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.flights.airport_list import matching_households
from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.registration.models import Registration
from tests.factories import make_case, member, sign_in
from tests.flights.conftest import make_flight

pytestmark = pytest.mark.usefixtures("missions")


def seat(session: Session, flight: Flight, case: Registration) -> None:
    for person in case.members:
        session.add(
            Assignment(
                flight_id=flight.id,  # type: ignore[arg-type]
                person_id=person.id,  # type: ignore[arg-type]
                registration_id=case.id,  # type: ignore[arg-type]
                status=AssignmentStatus.confirmed,
            )
        )
    session.commit()


@pytest.fixture
def on_board(session: Session) -> tuple[Flight, Registration, Registration, Registration]:
    flight = make_flight(session)
    ayse = make_case(session, "DE", [member("Ayşe", "Yılmaz")])
    omar = make_case(session, "DE", [member("Omar", "Haddad", nationality="SD")])
    elsewhere = make_case(session, "DE", [member("Ayşe", "Demir")])  # not on the flight
    seat(session, flight, ayse)
    seat(session, flight, omar)
    return flight, ayse, omar, elsewhere


def test_officer_finds_a_household_on_the_manifest_by_name(
    client: TestClient, on_board: tuple[Flight, Registration, Registration, Registration]
) -> None:
    flight, ayse, omar, elsewhere = on_board
    sign_in(client, "berlin")
    page = client.get(f"/staff/manifests/{flight.id}", params={"q": "yilmaz"})
    assert page.status_code == 200
    assert ayse.reference in page.text
    assert omar.reference not in page.text
    assert elsewhere.reference not in page.text
    assert "1 of 2 households" in page.text


def test_officer_finds_a_household_by_reference_or_document_number(
    client: TestClient, on_board: tuple[Flight, Registration, Registration, Registration]
) -> None:
    flight, ayse, omar, _ = on_board
    sign_in(client, "berlin")
    by_reference = client.get(f"/staff/manifests/{flight.id}", params={"q": omar.reference})
    assert omar.reference in by_reference.text and ayse.reference not in by_reference.text
    number = ayse.members[0].document_number
    by_document = client.get(f"/staff/manifests/{flight.id}", params={"q": number.lower()})
    assert ayse.reference in by_document.text and omar.reference not in by_document.text


def test_officer_is_told_when_nobody_on_the_manifest_matches(
    client: TestClient, on_board: tuple[Flight, Registration, Registration, Registration]
) -> None:
    flight, ayse, _, _ = on_board
    sign_in(client, "berlin")
    page = client.get(f"/staff/manifests/{flight.id}", params={"q": "Nobody Here"})
    assert "No household on this flight matches" in page.text
    assert ayse.reference not in page.text
    # The counts still describe the whole flight.
    assert "Households (2)" in page.text


def test_search_reads_only_the_flights_households(
    session: Session, on_board: tuple[Flight, Registration, Registration, Registration]
) -> None:
    flight, ayse, _, elsewhere = on_board
    assert matching_households(session, flight, "Ayşe") == {ayse.id}
    assert matching_households(session, flight, "   ") == set()
    assert elsewhere.id not in matching_households(session, flight, "demir")
