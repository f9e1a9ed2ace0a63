"""A coordinator opens the dashboard in a real browser and sees every country at a glance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightStatus
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus, Registration
from evac.staff.models import Role
from tests.browser.test_staff_journey import _sign_in
from tests.factories import leg_row, make_case, make_staff, member


def _letters(number: int) -> str:
    """A number as letters (a passport name has no digits): 0 → A, 27 → BB."""
    return chr(65 + number % 26) * (1 + number // 26)


pytestmark = pytest.mark.browser

PLACES = {
    "DE": [("Berlin", (52.52, 13.40)), ("München", (48.14, 11.58))],
    "FR": [("Paris", (48.86, 2.35)), ("Lyon", (45.76, 4.84))],
    "EG": [("Cairo", (30.04, 31.24))],
    "AE": [("Dubai", (25.20, 55.27))],
    "US": [("New York", (40.71, -74.01))],
    "ID": [("Jakarta", (-6.21, 106.85))],
    "PE": [("Lima", (-12.05, -77.04))],
}
NATIONALITIES = ["TR", "TR", "TR", "SY", "AZ", "TR", "IR", "TR", "AF", "TR"]


def _flight(session: Session, number: str, country: str, airport: str, days: int) -> Flight:
    departure = datetime.now(UTC) + timedelta(days=days)
    flight = leg_row(
        session, flight_number=number, kind="regular", departure_airport=airport,
        destination_airport="IST", country=country, departure_time=departure,
        departure_date=departure.date(), seats=12, status=FlightStatus.open,
    )  # fmt: skip
    session.add(flight)
    session.commit()
    return flight


@pytest.fixture(scope="module")
def dashboard_world(live_engine: Engine) -> None:
    with Session(live_engine, expire_on_commit=False) as session:
        make_staff(session, "center-dash", Role.coordinator)
        n = 0
        for country, places in PLACES.items():
            for i in range({"DE": 14, "FR": 10, "EG": 7, "AE": 6}.get(country, 3)):
                city, (lat, lon) = places[i % len(places)]
                people = [
                    member(f"G{_letters(n)}{_letters(k)}", "Demo",
                           nationality=NATIONALITIES[(n + k) % 10],
                           needs_wheelchair=(n % 9 == 0 and k == 0))
                    for k in range(1 + n % 3)
                ]  # fmt: skip
                make_case(session, country, people, city=city, position=(lat + i * 0.1, lon))
                n += 1
        past = _flight(session, "TK1720", "DE", "BER", -1)
        _flight(session, "TK1722", "DE", "MUC", 2)
        _flight(session, "TK1820", "FR", "CDG", 1)
        commit_plan(session, actor="planner")
        seats = session.exec(select(Assignment).where(Assignment.flight_id == past.id)).all()
        for seat in seats:
            seat.status = AssignmentStatus.boarded
            case = session.get(Registration, seat.registration_id)
            assert case is not None
            case.status = CaseStatus.boarded
        session.commit()


def test_coordinator_sees_the_dashboard(
    page: Page, dashboard_world: None, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, "center-dash")
    page.get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("heading", name="Coordination dashboard")).to_be_visible()
    expect(page.locator("#country-EG")).to_contain_text("Egypt")
    world = page.locator("svg.world-map")
    expect(world.locator("path.land").first).to_be_attached()
    cairo = world.locator("g.cluster", has=page.locator("title", has_text="Cairo (Egypt): "))
    expect(cairo).to_have_count(1)
    expect(page.locator("svg.chart").first).to_be_visible()
    page.screenshot(path=str(screenshot_dir / "dashboard.png"), full_page=True)
    cairo.click()
    expect(page.get_by_role("heading", name="Egypt")).to_be_visible()
    expect(page.locator("#cities")).to_contain_text("Cairo")
    page.go_back()
    page.locator("#show-recommendations").click()
    expect(page.get_by_role("columnheader", name="Extra flights")).to_be_visible()


def test_a_countrys_page_fits_a_phone(
    page: Page, dashboard_world: None, screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 360, "height": 740})
    _sign_in(page, "center-dash")
    page.goto("/staff/dashboard/countries/DE")
    expect(page.get_by_role("heading", name="Germany")).to_be_visible()
    expect(page.locator("#cities")).to_contain_text("München")
    expect(page.locator("svg.world-map g.cluster").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(screenshot_dir / "country-360.png"), full_page=True)
