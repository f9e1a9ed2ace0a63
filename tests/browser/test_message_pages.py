"""Messages in a real browser: a coordinator's broadcast with its preview, and a
registrant opening the seat link of a seat notice."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.flights.models import Assignment
from evac.flights.schemas import parse_flight
from evac.flights.service import create_flight
from evac.registration.models import CaseStatus
from evac.registration.seat_links import seat_pass, seat_path
from evac.staff.models import Role
from tests.factories import PASSWORD, make_case, make_staff
from tests.flights.conftest import flight_fields

pytestmark = pytest.mark.browser
AMMAN = {"city": "Amman", "position": (31.95, 35.93)}


@pytest.fixture(scope="module")
def seat_link(live_engine: Engine) -> str:
    """A coordinator, two households waiting in Jordan, one of them seated on a flight."""
    with Session(live_engine, expire_on_commit=False) as session:
        make_staff(session, "messages-coordinator", Role.coordinator)
        make_case(session, "JO", **AMMAN)  # type: ignore[arg-type]
        case = make_case(session, "JO", **AMMAN)  # type: ignore[arg-type]
        fields = flight_fields(flight_number="RJ1001", departure_airport="AMM")
        flight = create_flight(
            session, parse_flight(fields | {"meeting_point": "Gate 3"}), actor=SYSTEM
        )
        session.add(
            Assignment(flight_id=flight.id, person_id=case.members[0].id, registration_id=case.id)  # type: ignore[arg-type]
        )
        case.status = CaseStatus.assigned
        session.add(case)
        session.commit()
        return seat_path(case.reference, seat_pass(case.id, case.access_token_hash, flight.id))  # type: ignore[arg-type]


def test_coordinator_previews_a_broadcast_then_sends_it(
    page: Page, seat_link: str, screenshot_dir: Path
) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill("messages-coordinator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("Menu", exact=True).click()  # on a phone, the staff menu is folded
    page.get_by_role("link", name="Broadcasts").click()

    page.get_by_label("Everyone still waiting in a country").check()
    page.get_by_label("Country", exact=True).select_option("JO")
    page.locator("#subject_en").fill("Curfew tonight")
    page.locator("#body_en").fill("Stay indoors after 20:00; the airport road stays open.")
    page.get_by_role("button", name="Preview").click()

    expect(page.locator(".broadcast-count")).to_contain_text("2 households")
    expect(page.locator(".broadcast-preview")).to_contain_text("Stay indoors after 20:00")
    page.screenshot(path=screenshot_dir / "broadcast-preview.png", full_page=True)
    page.get_by_role("button", name="Send to 2 households").click()

    expect(page.get_by_text("The broadcast is queued for 2 households.")).to_be_visible()
    expect(page.locator("table")).to_contain_text("Curfew tonight")


def test_a_registrant_confirms_the_seat_from_the_link_and_gets_boarding_passes(
    page: Page, seat_link: str
) -> None:
    page.goto(seat_link)
    expect(page.get_by_role("heading", name="Your seat")).to_be_visible()
    expect(page.locator("#seat")).to_contain_text("RJ1001")
    expect(page.locator("#seat")).to_contain_text("Gate 3")

    page.get_by_role("button", name="Confirm that we will travel").click()

    passes = page.get_by_role("link", name="Boarding passes (PDF)")
    expect(passes).to_be_visible()
    response = page.request.get(passes.get_attribute("href") or "")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"


def test_the_seat_page_reads_right_to_left_in_arabic(
    page_in: Callable[[str], Page], seat_link: str, screenshot_dir: Path
) -> None:
    page = page_in("ar-JO")
    page.goto(seat_link + "&lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="مقعدك")).to_be_visible()
    expect(page.locator("#seat")).to_contain_text("RJ1001")
    page.screenshot(path=screenshot_dir / "seat-ar.png", full_page=True)
