"""The remaining staff pages in a real browser: flights, import, reports, outbox,
API tokens and administration, one of them in Arabic."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.registration.importer import HEADER
from evac.staff.models import Role
from tests.factories import DOCUMENT_EXPIRY, PASSWORD, make_mission, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def accounts(live_engine: Engine) -> None:
    with Session(live_engine) as session:
        make_mission(session, "TR-EMB-ATHENS", ["GR"])
        make_staff(session, "pages-coordinator", Role.coordinator)
        make_staff(session, "pages-admin", Role.admin)


def _sign_in(page: Page, username: str) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.usefixtures("accounts")
def test_coordinator_creates_a_flight_and_imports_a_list(page: Page, tmp_path: Path) -> None:
    _sign_in(page, "pages-coordinator")
    page.goto("/staff/flights/new")
    page.get_by_label("Flight number").fill("TK1845")
    page.get_by_label("Departure airport or place", exact=True).fill("Athens")
    page.get_by_label("Destination airport or place", exact=True).fill("IST")
    page.get_by_label("Departure date and time").fill("2099-03-02T09:30")
    page.get_by_label("Seats", exact=True).fill("180")
    page.get_by_label("Stretchers", exact=True).fill("0")
    page.get_by_role("button", name="Check the flight").click()
    # Athens in March is UTC+2: the review shows both clocks before anything is saved.
    expect(page.locator("#review-local")).to_contain_text("2099-03-02 09:30 EET (UTC+02:00)")
    expect(page.locator("#review-utc")).to_contain_text("2099-03-02 07:30 UTC")
    page.get_by_role("button", name="Create the flight").click()
    expect(page.get_by_text("Flight TK1845 created.")).to_be_visible()

    csv_file = tmp_path / "athens.csv"
    row = (
        f"ATH-1,Eleni,Yılmaz,1984-02-02,F,TR,P,U77001234,TR,{DOCUMENT_EXPIRY},+30 21 0726 3000,,"
        "GR,Athens,37.98,23.73,no,no,no,none,no,"
    )
    csv_file.write_text(",".join(HEADER) + "\n" + row + "\n", encoding="utf-8")
    page.goto("/staff/import")
    page.get_by_label("CSV file").set_input_files(csv_file)
    page.get_by_role("button", name="Import", exact=True).click()
    # The job runs in the server's own thread; its page reloads itself until the report.
    expect(page.locator("#imported")).to_contain_text(
        "Households imported: 1 (1 people)", timeout=60_000
    )

    page.goto("/staff/reports")
    expect(page.locator("#reports")).to_contain_text("Third-country nationals by nationality")
    page.goto("/staff/outbox")
    expect(page.get_by_role("heading", name="Messages to registrants")).to_be_visible()


@pytest.mark.usefixtures("accounts")
def test_flights_page_reads_right_to_left_in_arabic(page: Page) -> None:
    _sign_in(page, "pages-coordinator")
    page.goto("/staff/flights?lang=ar")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="الرحلات")).to_be_visible()


@pytest.mark.usefixtures("accounts")
def test_admin_creates_an_account_and_a_token_is_shown_once(page: Page) -> None:
    _sign_in(page, "pages-admin")
    expect(page.get_by_role("heading", name="Administration")).to_be_visible()
    page.get_by_label("Username").fill("athens-officer")
    page.get_by_label("Initial password").fill("a-long-enough-password")
    page.get_by_label("Role").select_option("officer")
    page.get_by_label("Missions (officers)").select_option("TR-EMB-ATHENS")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Account created.")).to_be_visible()

    page.goto("/staff/tokens")
    page.get_by_label("Name of the new token").fill("nightly export")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("evac_")
    page.goto("/staff/tokens")
    expect(page.locator("#new-token")).to_have_count(0)
