"""An officer in a real browser, without JavaScript, withdraws a household only after
a page that says how many people it concerns, then undoes it from the case page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.staff.models import Role
from tests.browser.conftest import PHONE
from tests.factories import PASSWORD, make_case, make_mission, make_staff, member, verify

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def prague(live_engine: Engine) -> str:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-PRAGUE", ["CZ"])
        make_staff(session, "prague", Role.officer, ["TR-EMB-PRAGUE"])
        case = make_case(
            session, "CZ", [member("Selin", "Koç"), member("Ali", "Koç")],
            city="Praha", position=(50.08, 14.43),
        )  # fmt: skip
        verify(session, case)
        return case.reference


def test_officer_confirms_a_withdrawal_then_undoes_it_without_javascript(
    page_without_js: Page, prague: str, screenshot_dir: Path
) -> None:
    page = page_without_js
    page.set_viewport_size(PHONE)
    page.goto("/staff/login")
    page.get_by_label("Username").fill("prague")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"/staff/cases/{prague}")
    page.get_by_role("button", name="Set to Withdrawn").click()

    expect(page.get_by_role("heading", name="Confirm the change")).to_be_visible()
    expect(page.locator("#what-will-happen")).to_contain_text("This concerns 2 people.")
    page.screenshot(path=str(screenshot_dir / "case-confirm-withdraw-360.png"), full_page=True)
    expect(page.locator("#case-status")).to_have_count(0)
    page.get_by_role("button", name="Yes, set to Withdrawn").click()

    expect(page.locator("#case-status")).to_have_text("Withdrawn")
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#case-status")).to_have_text("Verified")
    expect(page.get_by_role("status").first).to_contain_text("Undone")
    expect(page.locator("#undo-status")).to_have_count(0)
