"""A registrant corrects a person in Arabic on a phone; an officer records an
emergency travel document for a newborn registered without one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from babel.dates import format_date
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.audit.service import REGISTRANT
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from evac.staff.models import Role
from tests.browser.test_staff_journey import _sign_in
from tests.factories import APP_TODAY, make_mission, make_staff, member, registration_payload

pytestmark = pytest.mark.browser


def _register(engine: Engine, *members: dict[str, object]) -> tuple[str, str]:
    payload = registration_payload("NL", list(members), "Amsterdam", (52.37, 4.9))
    with Session(engine, expire_on_commit=False) as session:
        data = RegistrationIn.model_validate(payload)
        created = register_household(session, data, actor=REGISTRANT, today=APP_TODAY)
        return created.reference, created.access_token


def _fits_the_screen(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_a_registrant_corrects_a_person_in_arabic_on_a_phone(
    live_engine: Engine, page_in: Callable[[str], Page], screenshot_dir: Path
) -> None:
    reference, token = _register(live_engine, member("Layla", "Haddad"))
    page = page_in("ar-EG")
    page.goto(f"/r/{reference}?t={token}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.get_by_role("link", name="تصحيح بيانات Layla").click()
    expect(page.locator("h1")).to_have_text("تصحيح بيانات شخص")
    page.get_by_label("الاسم الأول", exact=True).fill("ليلى")
    page.get_by_label("الأسماء الأولى في جواز السفر").fill("LAILA")
    _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "correct-person-ar.png", full_page=True)
    page.get_by_role("button", name="حفظ").click()
    expect(page.get_by_text("حُفظت بيانات الشخص.")).to_be_visible()
    expect(page.locator(".person-name").first).to_contain_text("ليلى Haddad")
    expect(page.locator(".passport-name").first).to_contain_text("LAILA")
    _fits_the_screen(page)


def test_an_officer_records_an_emergency_travel_document(
    live_engine: Engine, page: Page, screenshot_dir: Path
) -> None:
    with Session(live_engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-HAGUE", ["NL"])
        make_staff(session, "hague", Role.officer, ["TR-EMB-HAGUE"])
    baby = member("Deniz", "Aksoy", born=str(APP_TODAY - timedelta(days=20)))
    baby["document"] = {"type": "N", "missing_reason": "on_parent_passport"}
    reference, _ = _register(live_engine, member("Zeynep", "Aksoy"), baby)
    _sign_in(page, "hague")
    page.goto(f"/staff/cases/{reference}")
    expect(page.locator(".no-document")).to_have_text("No travel document")
    page.get_by_role("link", name="Record an emergency travel document").click()
    expect(page.locator("h1")).to_have_text("Record an emergency travel document")
    expect(page.locator("#no-document")).to_contain_text("on a parent's passport")
    expect(page.get_by_label("Type of travel document")).to_have_value("E")
    page.get_by_label("Document number").fill("ETD20261")
    expiry = (APP_TODAY + timedelta(days=60)).isoformat()
    page.get_by_label("Expiry date").fill(expiry)
    _fits_the_screen(page)
    page.screenshot(path=screenshot_dir / "record-etd.png", full_page=True)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The person's details are saved.")).to_be_visible()
    shown_expiry = format_date(APP_TODAY + timedelta(days=60), "medium", locale="en")
    expect(
        page.get_by_text(f"Emergency travel document (ETD) ETD20261 (Türkiye, {shown_expiry})")
    ).to_be_visible()
    expect(page.locator(".no-document")).to_have_count(0)
