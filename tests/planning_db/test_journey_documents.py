"""A household on a journey of several legs reads all of it: on its boarding passes
and on its private page, every leg in order with its times on the place's clocks.
Bus and train legs print a convoy list for counting people on and off, not a
manifest, and offer no PAXLST."""

from __future__ import annotations

import io

from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from evac.flights.seating import confirm_seats
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.registration.models import Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from tests.factories import TODAY, member, registration_payload, sign_in, verify
from tests.planning_db.journeys import make_four_legs
from tests.planning_db.test_plan_pages import _staff

NUMBERS = ["B1", "TK1724", "TK2140", "B2"]


def _text(pdf: bytes) -> str:
    """The PDF's text, its runs of spaces and line breaks made one space."""
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf)).pages)


def _in_order(text: str, parts: list[str]) -> bool:
    """Whether ``parts`` all occur in ``text``, each after the one before."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def _on_four_legs(session: Session, *, confirmed: bool = True) -> tuple[Registration, str]:
    """A household of two, waiting in central Berlin, seated on the four legs; its token."""
    people = [member("Ayşe", "Ağaoğlu"), member("İlker", "Işık")]
    data = RegistrationIn.model_validate(registration_payload("DE", people))
    registered = register_household(session, data, actor="registrant", today=TODAY)
    case = verify(session, registered.case(session))
    legs = make_four_legs(session)
    seats = [NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
    journeys.seat_journey(session, case, legs, seats, actor="planner")
    session.commit()
    if confirmed:
        confirm_seats(session, case, actor="registrant")
    return case, registered.access_token


def test_boarding_passes_list_every_leg_in_order_on_each_places_clocks(
    client: TestClient, session: Session
) -> None:
    case, token = _on_four_legs(session)
    pdf = client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}")
    assert pdf.status_code == 200
    text = _text(pdf.content)
    assert _in_order(text, NUMBERS)
    journey = text[text.index("Your journey") :]
    assert _in_order(journey, ["Bus", "B1", "Flight", "TK1724", "Flight", "TK2140", "Bus", "B2"])
    assert "Rotes Rathaus" in text and "Kızılay Meydanı" in text  # the places' names
    # 09:00 UTC leaves Berlin at 10:00 its time; 19:00 UTC leaves Istanbul at 22:00.
    assert "10:00 AM (Germany (Berlin) Time, UTC+01:00)" in journey
    assert "10:00 PM (Türkiye Time, UTC+03:00)" in journey
    assert "Rotes Rathaus, bus stop" in text and "Gate B12" in text  # the meeting points

    tickets = client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}&layout=tickets")
    pages = PdfReader(io.BytesIO(tickets.content)).pages
    assert len(pages) == 2  # still one ticket per passenger
    assert all(_in_order(page.extract_text(), NUMBERS) for page in pages)


def test_boarding_passes_in_arabic_list_the_journey(client: TestClient, session: Session) -> None:
    case, token = _on_four_legs(session)
    case.language = "ar"
    session.commit()
    text = _text(client.get(f"/r/{case.reference}/boarding-passes.pdf?t={token}").content)
    assert _in_order(text, NUMBERS)
    assert "حافلة" in text  # Bus


def test_the_registrant_sees_the_whole_journey_and_where_to_start(
    client: TestClient, session: Session
) -> None:
    case, token = _on_four_legs(session, confirmed=False)
    page = client.get(f"/r/{case.reference}?t={token}").text
    journey = page[page.index('id="journey"') :]
    assert _in_order(journey, [f">{number}<" for number in NUMBERS])
    first = journey[: journey.index('id="leg-2"')]
    assert "Rotes Rathaus, bus stop" in first  # the first leg's meeting point
    assert "km from where you said you are waiting" in first
    assert "for the whole journey" in page
    assert "Gate B12" in journey[journey.index('id="leg-3"') :]

    arabic = client.get(f"/r/{case.reference}?t={token}&lang=ar").text
    assert 'dir="rtl"' in arabic
    journey = arabic[arabic.index('id="journey"') :]
    assert _in_order(journey, [f">{number}<" for number in NUMBERS])
    assert "حافلة" in journey


def test_a_bus_leg_prints_a_convoy_list_and_offers_no_paxlst(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    case, _ = _on_four_legs(session)
    bus, flight = journeys.legs_of(session, case.id)[:2]  # type: ignore[arg-type]
    sign_in(client, "berlin")

    text = _text(client.get(f"/staff/manifests/{bus.id}/manifest.pdf").content)
    assert "Convoy list" in text and "Passenger manifest" not in text
    assert "B1" in text and "Rotes Rathaus" in text and "Got on" in text and "Got off" in text
    page = client.get(f"/staff/manifests/{bus.id}").text
    assert "/paxlst" not in page and "Convoy list (PDF)" in page

    text = _text(client.get(f"/staff/manifests/{flight.id}/manifest.pdf").content)
    assert "Passenger manifest" in text and "Convoy list" not in text
    page = client.get(f"/staff/manifests/{flight.id}").text
    assert f"/staff/manifests/{flight.id}/paxlst" in page
