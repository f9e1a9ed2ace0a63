"""A registrant on a journey of four legs reads it on a 360 px phone, in Arabic: every
leg in order, right to left, the first one marked with its meeting point."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from tests.browser.conftest import _context, server_of_its_own
from tests.browser.test_accessibility import AXE, RUN_AXE, WCAG_22_AA
from tests.factories import TODAY, member, registration_payload, verify
from tests.planning_db.journeys import make_four_legs

pytestmark = pytest.mark.browser
NARROW = {"width": 360, "height": 740}


# Its bus and ship legs would switch the shared database's plans to the journey planner.
live_engine, live_server = server_of_its_own("journey-page")


@pytest.fixture(scope="module")
def journey_link(live_engine: Engine) -> str:
    """The private link of a household seated on four legs, Berlin to Ankara."""
    with Session(live_engine, expire_on_commit=False) as session:
        people = [member("Ayşe", "Ağaoğlu"), member("İlker", "Işık")]
        data = RegistrationIn.model_validate(registration_payload("DE", people))
        registered = register_household(session, data, actor="registrant", today=TODAY)
        case = verify(session, registered.case(session))
        legs = make_four_legs(session)
        seats = [NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
        journeys.seat_journey(session, case, legs, seats, actor="planner")
        session.commit()
        return f"/r/{case.reference}?t={registered.access_token}"


@pytest.fixture
def arabic_phone(browser: Browser, live_server: str) -> Iterator[Page]:
    """A 360 px phone speaking Arabic; axe-core may be added to its pages."""
    context = _context(browser, live_server, locale="ar", bypass_csp=True)
    page = context.new_page()
    page.set_viewport_size(NARROW)
    yield page
    context.close()


def test_the_registrant_reads_the_whole_journey_in_arabic_on_a_small_phone(
    arabic_phone: Page, journey_link: str, screenshot_dir: Path
) -> None:
    page = arabic_phone
    page.goto(journey_link + "&lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    legs = page.locator("#journey > li")
    expect(legs).to_have_count(4)
    for number, leg in enumerate(["B1", "TK1724", "TK2140", "B2"]):
        expect(legs.nth(number)).to_contain_text(leg)
    first = legs.nth(0)
    expect(first).to_have_class("leg first")
    expect(first).to_contain_text("ابدأوا من هنا")  # Start here
    expect(first).to_contain_text("Rotes Rathaus, bus stop")  # its meeting point
    expect(first).to_contain_text("كم")  # how far it is from where they wait
    expect(legs.nth(2)).to_contain_text("Gate B12")
    expect(page.locator("#seat")).to_contain_text("الرحلة كلها")  # for the whole journey

    # Nothing runs off a 360 px screen, and the leg's title starts at its right edge.
    box = first.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= NARROW["width"]
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    title = first.locator(".leg-title").bounding_box()
    assert title is not None and title["x"] + title["width"] > box["x"] + box["width"] / 2
    page.screenshot(path=screenshot_dir / "journey-ar-360.png", full_page=True)

    page.add_script_tag(path=AXE)
    assert page.evaluate(RUN_AXE, WCAG_22_AA) == []
