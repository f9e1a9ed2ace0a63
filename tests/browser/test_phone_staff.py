"""An officer at the airport works on a 360 px phone: the staff menu opens from one
button, lists read as cards whose status is on screen, nothing scrolls sideways, and
the manifest is searched instead of scrolled."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.db import utcnow
from evac.flights.models import Assignment, AssignmentStatus
from evac.flights.schemas import parse_flight
from evac.flights.service import create_flight
from evac.staff.models import Role
from tests.browser.conftest import WAIT_MS, _only_local
from tests.factories import PASSWORD, make_case, make_mission, make_staff, member

pytestmark = pytest.mark.browser

NARROW = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def airport_day(live_engine: Engine) -> dict[str, object]:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-SANTIAGO", ["CL"])
        make_staff(session, "phone-officer", Role.officer, ["TR-EMB-SANTIAGO"])
        santiago = {"city": "Santiago", "position": (-33.45, -70.66)}
        seated = make_case(session, "CL", [member("Mariana", "Quaresma-Albuquerque")], **santiago)
        other = make_case(session, "CL", [member("João", "Silva")], **santiago)
        fields = {
            "flight_number": "TK1799",
            "kind": "regular",
            "departure_airport": "SCL",
            "destination_airport": "IST",
            "departure_time": utcnow().isoformat(),
            "seats": "180",
            "stretchers": "0",
            "meeting_point": "",
        }
        flight = create_flight(session, parse_flight(fields), actor=SYSTEM)
        for case in (seated, other):
            session.add(
                Assignment(
                    flight_id=flight.id,  # type: ignore[arg-type]
                    person_id=case.members[0].id,  # type: ignore[arg-type]
                    registration_id=case.id,  # type: ignore[arg-type]
                    status=AssignmentStatus.confirmed,
                )
            )
        session.commit()
        return {"flight": flight.id, "seated": seated.reference, "other": other.reference}


def _open(browser: Browser, live_server: str, viewport: dict[str, int]) -> BrowserContext:
    context = browser.new_context(base_url=live_server, viewport=viewport)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    context.route("**/*", _only_local(live_server))
    return context


@pytest.fixture
def phone(browser: Browser, live_server: str) -> Iterator[Page]:
    context = _open(browser, live_server, NARROW)
    yield context.new_page()
    context.close()


@pytest.fixture
def desk(browser: Browser, live_server: str) -> Iterator[Page]:
    context = _open(browser, live_server, WIDE)
    yield context.new_page()
    context.close()


def _sign_in(page: Page) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill("phone-officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def _fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{page.url} scrolls sideways: {width}px"


def test_officer_opens_the_menu_on_a_phone_and_lands_on_today(
    phone: Page, airport_day: dict[str, object]
) -> None:
    _sign_in(phone)
    expect(phone).to_have_url(re.compile(r"/staff/today$"))
    expect(phone.locator("#today-flights")).to_contain_text("TK1799")
    _fits(phone)
    cases_link = phone.locator(".staff-nav").get_by_role("link", name="Cases")
    expect(cases_link).to_be_hidden()
    phone.locator(".staff-nav summary").click()
    expect(cases_link).to_be_visible()
    cases_link.click()
    expect(phone.get_by_role("heading", name="Cases")).to_be_visible()


def test_case_list_reads_as_cards_with_status_on_screen(
    phone: Page, airport_day: dict[str, object]
) -> None:
    _sign_in(phone)
    phone.goto("/staff/cases")
    # The filters are folded away until asked for.
    expect(phone.get_by_label("Country")).to_be_hidden()
    phone.get_by_text("Search and filters").click()
    expect(phone.get_by_label("Country")).to_be_visible()
    row = phone.locator("tbody tr", has_text=str(airport_day["seated"]))
    status = row.locator("td[data-label='Status'] .badge")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    _fits(phone)


def test_officer_searches_the_manifest_on_a_phone(
    phone: Page, airport_day: dict[str, object]
) -> None:
    _sign_in(phone)
    phone.goto(f"/staff/manifests/{airport_day['flight']}")
    phone.get_by_label("Find a household").fill("quaresma")
    phone.get_by_role("button", name="Search", exact=True).click()
    expect(phone.get_by_role("link", name=str(airport_day["seated"]))).to_be_visible()
    expect(phone.get_by_role("link", name=str(airport_day["other"]))).to_have_count(0)
    expect(phone.get_by_text("1 of 2 households")).to_be_visible()
    _fits(phone)


def test_wide_screens_show_the_menu_and_filters_open(
    desk: Page, airport_day: dict[str, object]
) -> None:
    _sign_in(desk)
    desk.goto("/staff/cases")
    expect(desk.locator(".staff-nav summary")).to_be_hidden()
    expect(desk.locator(".staff-nav").get_by_role("link", name="Cases")).to_be_visible()
    expect(desk.get_by_label("Country")).to_be_visible()
