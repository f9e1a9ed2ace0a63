"""An officer lands on their day: the flights leaving their missions' countries today
(each airport's local day), the cases waiting for verification, and the cases that
need someone to look at them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.db import utcnow
from evac.flights.schemas import parse_flight
from evac.flights.service import create_flight
from evac.flights.today import officer_today
from evac.staff.auth import StaffContext
from evac.staff.models import Role
from tests.factories import make_case, member, sign_in, verify

pytestmark = pytest.mark.usefixtures("missions")


def flight(session: Session, number: str, airport: str, when: str) -> None:
    fields = {
        "flight_number": number,
        "kind": "regular",
        "departure_airport": airport,
        "destination_airport": "IST",
        "departure_time": when,
        "seats": "180",
        "stretchers": "0",
        "meeting_point": "",
    }
    create_flight(session, parse_flight(fields), actor=SYSTEM)


def test_officer_lands_on_today_after_sign_in(client: TestClient) -> None:
    sign_in(client, "berlin")
    page = client.get("/staff")
    assert page.url.path == "/staff/today"
    assert 'href="/staff/today"' in page.text


def test_officer_sees_todays_flights_of_their_missions_only(
    client: TestClient, session: Session
) -> None:
    now = utcnow()
    flight(session, "TK1001", "FRA", now.isoformat())
    flight(session, "TK1002", "FRA", (now + timedelta(days=3)).isoformat())
    flight(session, "TK1003", "CDG", now.isoformat())  # Paris's mission
    sign_in(client, "berlin")
    page = client.get("/staff/today")
    assert page.status_code == 200
    assert "TK1001" in page.text
    assert "TK1002" not in page.text
    assert "TK1003" not in page.text
    assert "0 of 0 people checked in" in page.text


def test_officer_sees_cases_waiting_and_cases_needing_attention(
    client: TestClient, session: Session
) -> None:
    waiting = make_case(session, "DE")
    done = verify(session, make_case(session, "DE"))
    medical = make_case(session, "DE", [member(needs_wheelchair=True)])
    children = make_case(session, "DE", [member("Ali", "Musa", born="2019-05-01")])
    in_france = make_case(session, "FR", city="Paris", position=(48.85, 2.35))
    sign_in(client, "berlin")
    page = client.get("/staff/today")
    waiting_part = page.text.split('id="waiting"')[1].split("</section>")[0]
    assert waiting.reference in waiting_part
    assert done.reference not in waiting_part
    assert in_france.reference not in page.text
    medical_part = page.text.split('id="medical"')[1].split("</section>")[0]
    assert medical.reference in medical_part and waiting.reference not in medical_part
    minors_part = page.text.split('id="minors"')[1].split("</section>")[0]
    assert children.reference in minors_part and waiting.reference not in minors_part


def test_children_with_an_adult_are_not_flagged(session: Session) -> None:
    family = make_case(session, "DE", [member(), member("Ali", "Musa", born="2019-05-01")])
    staff = StaffContext(1, "x", Role.coordinator, (), (), "t")
    today = officer_today(session, staff, utcnow(), date.today())
    assert family.id not in {c.id for c in today.minors_alone.cases}
    assert today.minors_alone.count == 0


def test_administrators_have_no_today_page(client: TestClient) -> None:
    sign_in(client, "root")
    assert client.get("/staff/today").status_code == 403


@pytest.mark.parametrize(
    ("lang", "heading"),
    [
        ("tr", "Bugün kalkanlar"),
        ("fr", "Départs aujourd’hui"),
        ("ar", "المغادرة اليوم"),
    ],
)
def test_officer_reads_today_in_their_language(client: TestClient, lang: str, heading: str) -> None:
    sign_in(client, "berlin")
    page = client.get("/staff/today", params={"lang": lang})
    assert heading in page.text
