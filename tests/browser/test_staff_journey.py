"""Consular staff in a real browser: sign in, search, open a case, verify it, act in
bulk; a coordinator previews and commits a plan and opens a manifest."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from evac.flights.models import Flight, FlightStatus
from evac.planning.service import commit_plan
from evac.staff.models import Role
from tests.factories import PASSWORD, leg_row, make_case, make_mission, make_staff, member

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def staff_world(live_engine: Engine) -> dict[str, str]:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-LISBON", ["PT"])
        make_staff(session, "lisbon", Role.officer, ["TR-EMB-LISBON"])
        make_staff(session, "ankara", Role.coordinator)
        lisbon = {"city": "Lisboa", "position": (38.72, -9.14)}
        cases = [
            make_case(
                session, "PT", [member("Gökhan", "Şahin"), member("Elif", "Şahin")], **lisbon
            ),
            make_case(session, "PT", [member("Yusuf", "Kılıç")], **lisbon),
            make_case(session, "PT", [member("Zehra", "Kılıç", born="1950-01-01")], **lisbon),
        ]
        departure = datetime.now(UTC) + timedelta(days=2)
        session.add(
            leg_row(
                session,
                flight_number="TK1760",
                kind="regular",
                departure_airport="LIS",
                destination_airport="IST",
                country="PT",
                departure_time=departure,
                departure_date=departure.date(),
                seats=150,
                status=FlightStatus.open,
            )
        )
        session.commit()
        return {"sahin": cases[0].reference, "kilic": cases[1].reference}


def _sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_officer_searches_opens_verifies_and_acts_in_bulk(
    page: Page, staff_world: dict[str, str], screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, "lisbon")
    expect(page.get_by_role("heading", name="Today", exact=True)).to_be_visible()
    page.goto("/staff/cases")
    expect(page.get_by_role("heading", name="Cases")).to_be_visible()
    page.get_by_label("Search").fill("sahin")
    page.get_by_role("button", name="Search").first.click()
    expect(page.locator("#count")).to_have_text("1 case")
    page.screenshot(path=screenshot_dir / "staff-case-list.png", full_page=True)

    page.get_by_role("link", name=staff_world["sahin"]).click()
    expect(page.get_by_role("cell", name="Gökhan Şahin")).to_be_visible()
    page.get_by_role("button", name="Set to Verified").click()
    expect(page.get_by_text("Status changed.")).to_be_visible()
    expect(page.locator("#case-status")).to_have_text("Verified")
    page.screenshot(path=screenshot_dir / "staff-case-page.png", full_page=True)

    page.goto("/staff/cases?q=kilic")
    for checkbox in page.get_by_role("checkbox").all():
        checkbox.check()
    page.get_by_label("With the selected cases").select_option("verify")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text(re.compile(r"2 cases changed, 0 refused\."))).to_be_visible()


def test_coordinator_previews_commits_and_opens_a_manifest(
    page: Page, staff_world: dict[str, str], screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, "ankara")
    page.goto("/staff/plan?country=PT")
    expect(page.locator("#seated")).to_have_text("4")
    page.screenshot(path=screenshot_dir / "plan-preview.png", full_page=True)
    page.get_by_role("button", name="Commit this plan").click()
    expect(page.get_by_text(re.compile(r"Plan saved: 4 people seated"))).to_be_visible()
    page.locator("#flights").get_by_role("link", name="Open").click()
    expect(page.get_by_role("heading", name=re.compile("Manifest"))).to_be_visible()
    expect(page.get_by_text("Şahin, Gökhan")).to_be_visible()
    expect(page.get_by_text("4 used, 146 left")).to_be_visible()
    page.screenshot(path=screenshot_dir / "manifest.png", full_page=True)


def test_officer_checks_a_household_in_on_a_phone(
    page: Page, live_engine: Engine, staff_world: dict[str, str], screenshot_dir: Path
) -> None:
    with Session(live_engine, expire_on_commit=False) as session:
        commit_plan(session, actor="planner", country="PT")
        flight = session.exec(select(Flight).where(Flight.flight_number == "TK1760")).one()
    _sign_in(page, "lisbon")
    page.goto(f"/staff/checkin/{flight.id}")
    page.get_by_label(re.compile("Find a household")).fill(staff_world["kilic"].lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile("KILIC, YUSUF")).check()
    page.get_by_role("button", name="Check in the people ticked").click()
    expect(page.get_by_text(f"{staff_world['kilic']}: 1 person checked in.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "checkin-phone.png", full_page=True)
