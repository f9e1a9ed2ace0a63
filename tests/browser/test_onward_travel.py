"""Someone left behind on the way home, in a real browser: an officer opens the case,
arranges onward travel, chooses the next bus to the airport, confirms, and the case
page shows the new leg. The journeys read on a 360 px phone in Arabic too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.flights.models import LegMode
from evac.staff.auth import build_context
from evac.staff.models import Role
from tests.browser.conftest import _context, server_of_its_own
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_22_AA
from tests.browser.test_staff_journey import _sign_in
from tests.factories import PASSWORD, make_mission, make_staff
from tests.planning_db.onward import leave_behind, make_route

pytestmark = pytest.mark.browser

OFFICER = "jeddah-desk"
NARROW = {"width": 360, "height": 740}

# Its bus and ship legs would switch the shared database's plans to the journey planner.
live_engine, live_server = server_of_its_own("onward")


@pytest.fixture(scope="module")
def left_behind(live_engine: Engine) -> dict[str, str]:
    """Two Khartoum households who each left someone at Jeddah's port, and the next bus
    from there to the airport; their references by family."""
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-KHARTOUM", ["SD"])
        officer = make_staff(session, OFFICER, Role.officer, ["TR-EMB-KHARTOUM"])
        staff = build_context(session, officer, csrf_token="")
        route = make_route(session)
        households = leave_behind(session, staff, route, {"Demir": False, "Kaya": False})
        route.add("B3", LegMode.bus, ("SA", "JED-PORT", "JED"), (46, 47), 50)
        return {"Demir": households[0].case.reference, "Kaya": households[1].case.reference}


def _no_axe_violations(page: Page) -> None:
    page.add_script_tag(path=AXE)
    assert page.evaluate(RUN_AXE, WCAG_22_AA) == []


@pytest.fixture
def axe_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A page that axe-core may be added to (its inline script needs CSP bypassed)."""
    context = _context(browser, live_server, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_an_officer_puts_someone_left_behind_on_the_next_bus(
    axe_page: Page, left_behind: dict[str, str], screenshot_dir: Path
) -> None:
    page = axe_page
    reference = left_behind["Demir"]
    _sign_in(page, OFFICER)
    page.goto(f"/staff/cases/{reference}")
    warning = page.locator("#left-behind")
    expect(warning).to_contain_text("Ayse Demir")
    warning.get_by_role("link", name="Arrange onward travel").click()

    expect(page.get_by_role("heading", name="Arrange onward travel")).to_be_visible()
    expect(page.locator("#waiting-1 h2")).to_have_text("Waiting at Jeddah Islamic Port (JED-PORT)")
    option = page.locator(".onward-option").first
    expect(option.get_by_role("listitem")).to_have_count(2)
    expect(option.get_by_role("listitem").first).to_contain_text("B3 (Bus)")
    _no_axe_violations(page)
    option.get_by_role("button", name=re.compile("Choose this journey")).click()

    expect(page.get_by_role("heading", name="Confirm onward travel")).to_be_visible()
    expect(page.locator("#what-will-happen")).to_contain_text("Ayse Demir will travel on:")
    expect(page.locator("#new-legs li")).to_have_count(2)
    _no_axe_violations(page)
    page.screenshot(path=screenshot_dir / "onward-confirm.png", full_page=True)
    page.get_by_role("button", name="Yes, give them this journey").click()

    expect(page.get_by_text("Onward travel arranged: 1 person on B3, F1.")).to_be_visible()
    expect(page.locator("#journey li").filter(has_text="B3")).to_contain_text("JED-PORT")
    expect(page.locator("#left-behind")).to_have_count(0)


def test_the_journeys_read_in_arabic_on_a_small_phone(
    browser: Browser, live_server: str, left_behind: dict[str, str], screenshot_dir: Path
) -> None:
    context = _context(browser, live_server, locale="ar", bypass_csp=True)
    page = context.new_page()
    page.set_viewport_size(NARROW)
    try:
        _sign_in_in_arabic(page)
        page.goto(f"/staff/cases/{left_behind['Kaya']}/onward?lang=ar")
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.get_by_role("heading", name="ترتيب متابعة السفر")).to_be_visible()
        expect(page.locator(".onward-option").first).to_contain_text("حافلة")  # Bus
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{overflow} px too wide"
        page.screenshot(path=screenshot_dir / "onward-ar-360.png", full_page=True)
        _no_axe_violations(page)
    finally:
        context.close()


def _sign_in_in_arabic(page: Page) -> None:
    page.goto("/staff/login")
    page.locator("#username").fill(OFFICER)
    page.locator("#password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/staff/login" not in url)
