"""An officer at the airport, on a 390 px phone: find a household, check in the people
who came, board them, close check-in after reading who becomes a no-show, reopen it
and put a no-show back."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.flights.models import FlightStatus
from evac.planning.service import commit_plan
from evac.staff.models import Role
from tests.factories import PASSWORD, leg_row, make_case, make_mission, make_staff, member, verify

pytestmark = pytest.mark.browser
MADRID = {"city": "Madrid", "position": (40.42, -3.70)}


@pytest.fixture(scope="module")
def airport(live_engine: Engine) -> dict[str, str | int]:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-MADRID", ["ES"])
        make_staff(session, "madrid", Role.officer, ["TR-EMB-MADRID"])
        garcia = make_case(
            session,
            "ES",
            [member("Ana", "García"), member("Luis", "García"), member("Sofía", "García")],
            **MADRID,
        )
        haddad = make_case(
            session,
            "ES",
            [
                member(
                    "ليلى",
                    "حداد",
                    nationality="LB",
                    passport_surname="HADDAD",
                    passport_given_names="LAYLA",
                )
            ],
            **MADRID,
        )
        for case in (garcia, haddad):
            verify(session, case)
        departure = datetime.now(UTC) + timedelta(days=1)
        flight = leg_row(
            session,
            flight_number="TK1860",
            kind="regular",
            departure_airport="MAD",
            destination_airport="IST",
            country="ES",
            departure_time=departure,
            departure_date=departure.date(),
            seats=20,
            status=FlightStatus.open,
        )
        session.add(flight)
        session.commit()
        commit_plan(session, actor="planner", country="ES")
        return {"flight": flight.id, "garcia": garcia.reference, "haddad": haddad.reference}  # type: ignore[dict-item]


def _fits_the_screen(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_checks_in_person_by_person_closes_reopens_and_puts_back(
    page: Page, airport: dict[str, str | int], screenshot_dir: Path
) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill("madrid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/checkin/{airport['flight']}")
    search = page.get_by_label(re.compile("Find a household"))

    search.fill("Garcai")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Nothing on this flight matches “Garcai”.")).to_be_visible()
    expect(search).to_have_value("Garcai")

    search.fill("garcia")
    page.get_by_role("button", name="Search").click()
    card = page.locator(f"#household-{airport['garcia']}")
    expect(card.get_by_text("GARCIA, SOFIA")).to_be_visible()
    _fits_the_screen(page)
    card.get_by_label(re.compile("GARCIA, ANA")).check()
    card.get_by_label(re.compile("GARCIA, SOFIA")).check()
    card.get_by_role("button", name="Check in the people ticked").click()
    expect(page.get_by_text(f"{airport['garcia']}: 2 people checked in.")).to_be_visible()
    expect(search).to_have_value("garcia")
    page.screenshot(path=screenshot_dir / "checkin-people-phone.png", full_page=True)
    page.locator(f"#household-{airport['garcia']}").get_by_role(
        "button", name="Board everyone checked in"
    ).click()
    expect(page.get_by_text(f"{airport['garcia']}: 2 people boarded.")).to_be_visible()

    page.get_by_role("link", name="Close check-in").click()
    expect(page.get_by_role("heading", name="Close check-in for TK1860?")).to_be_visible()
    expect(page.get_by_text("2 people have not checked in.")).to_be_visible()
    expect(page.get_by_text("GARCIA, LUIS")).to_be_visible()
    expect(page.get_by_text("HADDAD, LAYLA")).to_be_visible()
    _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "checkin-close-confirm-phone.png", full_page=True)
    page.get_by_role("button", name="Close check-in: 2 no-shows").click()
    expect(
        page.get_by_text(re.compile("2 people did not come and lost their seats"))
    ).to_be_visible()
    expect(page.locator("#flight-status")).to_have_text("Check-in closed")

    page.get_by_role("button", name="Reopen check-in").click()
    expect(page.get_by_text(re.compile("Check-in for TK1860 is open again"))).to_be_visible()
    no_shows = page.locator("#no-shows")
    expect(no_shows.get_by_text("HADDAD, LAYLA")).to_be_visible()
    no_shows.get_by_role("listitem").filter(has_text="HADDAD, LAYLA").get_by_role(
        "button", name="Put 1 person back on the flight"
    ).click()
    expect(page.get_by_text(f"{airport['haddad']}: 1 person is expected again")).to_be_visible()
    haddad = page.locator(f"#household-{airport['haddad']}")
    expect(haddad.get_by_text("ليلى حداد")).to_be_visible()
    haddad.get_by_label(re.compile("HADDAD, LAYLA")).check()
    haddad.get_by_role("button", name="Check in the people ticked").click()
    expect(page.get_by_text(f"{airport['haddad']}: 1 person checked in.")).to_be_visible()
    _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "checkin-put-back-phone.png", full_page=True)


def test_the_check_in_page_works_without_javascript(
    page_without_js: Page, airport: dict[str, str | int]
) -> None:
    page = page_without_js
    page.goto("/staff/login")
    page.get_by_label("Username").fill("madrid")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/checkin/{airport['flight']}")
    page.get_by_label(re.compile("Find a household")).fill(str(airport["garcia"]).lower())
    page.get_by_role("button", name="Search").click()
    expect(page.locator(f"#household-{airport['garcia']}")).to_be_visible()
    expect(page.get_by_text("1 household matches.")).to_be_visible()
