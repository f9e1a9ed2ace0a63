"""A journey from plan to the second leg, in a real browser: a coordinator sees a
Khartoum household's journey on the plan page and commits it; an officer checks the
household in and boards it on the bus to Port Sudan, then checks it in on the ship."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.flights.models import Flight, LegMode
from evac.registration.models import Registration
from evac.staff.models import Role
from tests.browser.conftest import server_of_its_own
from tests.browser.test_staff_journey import _sign_in
from tests.factories import make_case, make_mission, make_staff, member, verify
from tests.planning_db.journeys import seats_by_leg
from tests.planning_db.sudan import KHARTOUM, make_leg, make_places

pytestmark = pytest.mark.browser

COORDINATOR = "sudan-desk"
OFFICER = "port-sudan"
# Khartoum by bus to Port Sudan, by ship to Jeddah, by bus to its airport, home by air.
LEGS = (
    ("B1", (LegMode.bus, ("SD", "KRT-1", "PZU-PORT"), (4, 20), 10)),
    ("S1", (LegMode.ship, ("SD", "PZU-PORT", "JED-PORT"), (28, 40), 500)),
    ("B2", (LegMode.bus, ("SA", "JED-PORT", "JED"), (43, 44), 50)),
    ("F1", (LegMode.flight, ("SA", "JED", "IST"), (50, None), 180)),
)


@dataclass
class Journey:
    legs: dict[str, Flight]
    households: dict[str, Registration]


# Its bus and ship legs would switch the shared database's plans to the journey planner.
live_engine, live_server = server_of_its_own("journey")


@pytest.fixture(scope="module")
def sudan(live_engine: Engine) -> Journey:
    """Bus, ship, bus and flight home from Khartoum; two verified households of two."""
    with Session(live_engine, expire_on_commit=False) as session:
        make_places(session)
        make_mission(session, "TR-EMB-KHARTOUM", ["SD"])
        make_staff(session, COORDINATOR, Role.coordinator)
        make_staff(session, OFFICER, Role.officer, ["TR-EMB-KHARTOUM"])
        legs = {number: make_leg(session, number, *leg) for number, leg in LEGS}
        households = {
            family: verify(
                session,
                make_case(
                    session,
                    "SD",
                    [member("Ali", family), member("Ayse", family)],
                    city="Khartoum",
                    position=KHARTOUM,
                ),
            )
            for family in ("Demir", "Kaya")
        }
        return Journey(legs, households)


def _commit_the_plan(page: Page, journey: Journey) -> None:
    page.goto("/staff/plan?country=SD")
    expect(page.locator("#seated")).to_have_text("4")
    row = page.locator(f"#journey-{journey.households['Demir'].reference}")
    expect(row.get_by_role("cell").nth(1)).to_have_text("2")
    expect(row.get_by_role("listitem")).to_have_count(4)
    for number, mode in (("B1", "Bus"), ("S1", "Ship"), ("B2", "Bus"), ("F1", "Flight")):
        expect(row.get_by_role("listitem").filter(has_text=f"{number} ({mode})")).to_be_visible()
    page.get_by_role("button", name="Commit this plan").click()
    expect(page.get_by_text(re.compile(r"Plan saved: 4 people seated, 0 left out"))).to_be_visible()


def _open_checkin(page: Page, leg: Flight, reference: str) -> None:
    page.goto(f"/staff/checkin/{leg.id}")
    page.get_by_label(re.compile("Find a household")).fill(reference.lower())
    page.get_by_role("button", name="Search").click()
    expect(page.locator("#household-count")).to_contain_text("1 household matches.")


def _check_in_everyone(page: Page, reference: str) -> None:
    card = page.locator(f"#household-{reference}")
    for checkbox in card.get_by_role("checkbox").all():
        checkbox.check()
    card.get_by_role("button", name="Check in the people ticked").click()


def test_a_household_planned_home_checks_in_on_the_bus_then_on_the_ship(
    page: Page, live_engine: Engine, sudan: Journey
) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    _sign_in(page, COORDINATOR)
    _commit_the_plan(page, sudan)
    demir = sudan.households["Demir"].reference
    page.get_by_role("link", name=demir).first.click()
    journey = page.locator("#journey li")
    expect(journey).to_have_count(4)
    # The bus leaves at 04:00 UTC: 06:00 on Khartoum's clocks, though KRT-1 is no airport.
    expect(journey.first).to_contain_text("B1 · KRT-1 → PZU-PORT")
    expect(journey.first).to_contain_text("Dec 1, 2026 6:00 AM (Sudan Time, UTC+02:00)")
    page.context.clear_cookies()

    _sign_in(page, OFFICER)
    _open_checkin(page, sudan.legs["B1"], demir)
    expect(page.locator("#checkin-counts")).to_contain_text("Expected: 4")
    _check_in_everyone(page, demir)
    expect(page.get_by_text(f"{demir}: 2 people checked in.")).to_be_visible()
    expect(page.locator("#checkin-counts")).to_contain_text("Checked in: 2")
    page.locator(f"#household-{demir}").get_by_role("button", name="Board everyone").click()
    expect(page.get_by_text(f"{demir}: 2 people boarded.")).to_be_visible()
    expect(page.locator("#checkin-counts")).to_contain_text("On board: 2")
    expect(page.locator(f"#household-{demir} .traveller .badge")).to_have_text(
        ["On board", "On board"]
    )

    _open_checkin(page, sudan.legs["S1"], demir)
    expect(page.locator("#checkin-counts")).to_contain_text("Expected: 4")
    _check_in_everyone(page, demir)
    expect(page.get_by_text(f"{demir}: 2 people checked in.")).to_be_visible()
    expect(page.locator("#checkin-counts")).to_contain_text("Expected: 2 · Checked in: 2")

    with Session(live_engine) as session:
        seats = seats_by_leg(session, sudan.households["Demir"])
    assert seats == {
        "B1": ["boarded", "boarded"],
        "S1": ["checked_in", "checked_in"],
        "B2": ["assigned", "assigned"],
        "F1": ["assigned", "assigned"],
    }


def test_checking_in_on_the_ship_before_the_bus_is_refused(
    page: Page, live_engine: Engine, sudan: Journey
) -> None:
    with Session(live_engine) as session:
        planned = bool(seats_by_leg(session, sudan.households["Kaya"]))
    if not planned:  # run on its own
        _sign_in(page, COORDINATOR)
        _commit_the_plan(page, sudan)
        page.context.clear_cookies()
    kaya = sudan.households["Kaya"].reference
    _sign_in(page, OFFICER)
    _open_checkin(page, sudan.legs["S1"], kaya)
    _check_in_everyone(page, kaya)
    expect(page.locator(".flash.error")).to_have_text(
        f"{kaya}: The household travels its first leg first: check it in and board it there."
    )
    with Session(live_engine) as session:
        assert set(seats_by_leg(session, sudan.households["Kaya"])["S1"]) == {"assigned"}
