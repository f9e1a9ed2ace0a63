"""An officer in a real browser merges a duplicate the right way round (compare,
review, confirm), undoes it from the history, and splits a household only after
the warning that a child would be left without an adult."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.staff.models import Role
from tests.browser.conftest import DESKTOP, PHONE
from tests.factories import PASSWORD, make_case, make_mission, make_staff, member

pytestmark = pytest.mark.browser

VIENNA = {"city": "Wien", "position": (48.21, 16.37)}
DUPLICATE_PHONE = "+43 1 5131234"


@pytest.fixture(scope="module")
def vienna(live_engine: Engine) -> dict[str, str]:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-VIENNA", ["AT"])
        make_staff(session, "vienna", Role.officer, ["TR-EMB-VIENNA"])
        original = make_case(
            session,
            "AT",
            [
                member("Fatma", "Demir", born="1970-02-02"),
                member("Can", "Demir", born="2001-03-03"),
                member("Ece", "Demir", born="2004-05-05"),
            ],
            **VIENNA,  # type: ignore[arg-type]
        )
        duplicate = make_case(
            session,
            "AT",
            [
                member("Fatma", "Demir", born="1970-02-02"),
                member("Deniz", "Demir", born="2024-01-01"),
            ],
            **VIENNA,  # type: ignore[arg-type]
        )
        duplicate.phone = DUPLICATE_PHONE
        family = make_case(
            session,
            "AT",
            [
                member("Leyla", "Arslan", born="1988-06-06"),
                member("Mert", "Arslan", born="2019-09-09"),
            ],
            **VIENNA,  # type: ignore[arg-type]
        )
        session.commit()
        return {
            "original": original.reference,
            "duplicate": duplicate.reference,
            "family": family.reference,
        }


def _sign_in(page: Page) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill("vienna")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_merge_from_the_duplicates_page_keeps_the_original_and_can_be_undone(
    page: Page, vienna: dict[str, str], screenshot_dir: Path
) -> None:
    original, duplicate = vienna["original"], vienna["duplicate"]
    page.set_viewport_size(DESKTOP)
    _sign_in(page)
    page.goto(f"/staff/cases/{duplicate}")
    expect(page.get_by_label("Reference of the other case")).to_have_value(original)
    page.get_by_role("button", name="Compare the two cases").click()

    expect(page.get_by_role("heading", name="Merge two cases")).to_be_visible()
    expect(page.locator(f"#side-{original}")).to_contain_text("3 people")
    expect(page.locator(f"#side-{duplicate}")).to_contain_text(DUPLICATE_PHONE)
    expect(page.get_by_role("radio", name=original)).to_be_checked()
    expect(page.get_by_role("radio", name="Its own (nothing is replaced)")).to_be_checked()
    page.screenshot(path=screenshot_dir / "staff-merge-compare.png", full_page=True)
    page.get_by_role("button", name="Review the merge").click()

    plan = page.locator("#merge-plan")
    expect(plan).to_contain_text(f"Deniz Demir moves from {duplicate} to {original}.")
    expect(plan).to_contain_text(f"{duplicate} will be marked as a duplicate of {original}.")
    expect(plan).to_contain_text(f"The contact details of {original} stay as they are")
    page.get_by_role("button", name=f"Merge {duplicate} into {original}").click()

    expect(page.get_by_text(f"{duplicate} merged into {original}.")).to_be_visible()
    expect(page.get_by_role("cell", name="Deniz Demir")).to_be_visible()
    page.get_by_role("button", name="Undo this merge").click()

    expect(page.get_by_text("Merge undone", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="Deniz Demir")).to_have_count(0)
    page.goto(f"/staff/cases/{duplicate}")
    expect(page.locator("#case-status")).to_have_text("Registered")
    expect(page.get_by_role("cell", name="Deniz Demir")).to_be_visible()


def test_split_warns_before_leaving_a_child_without_an_adult_on_a_phone(
    page: Page, vienna: dict[str, str], screenshot_dir: Path
) -> None:
    page.set_viewport_size(PHONE)
    _sign_in(page)
    page.goto(f"/staff/cases/{vienna['family']}")
    page.get_by_label("Mert Arslan").check()
    page.get_by_label("Reason for the split").fill("Mert travels with his aunt")
    page.get_by_role("button", name="Split into a new linked case").click()

    expect(page.get_by_role("heading", name="A child would be without an adult")).to_be_visible()
    expect(page.locator("#split-warning")).to_contain_text("Mert Arslan")
    page.screenshot(path=screenshot_dir / "staff-split-warning.png", full_page=True)
    page.get_by_role("button", name="Split anyway").click()

    expect(page.get_by_text(f"Split from {vienna['family']}.")).to_be_visible()
    expect(page.get_by_role("cell", name="Mert Arslan")).to_be_visible()
