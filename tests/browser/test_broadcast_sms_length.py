"""While a coordinator types a broadcast, each language's SMS length shows live."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import PASSWORD, make_staff

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def coordinator(live_engine: Engine) -> str:
    with Session(live_engine) as session:
        make_staff(session, "sms-coordinator", Role.coordinator)
    return "sms-coordinator"


def test_coordinator_sees_the_sms_length_and_alphabet_while_typing(
    page: Page, coordinator: str
) -> None:
    page.goto("/staff/login")
    page.get_by_label("Username").fill(coordinator)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/staff/broadcasts")

    page.locator("#subject_en").fill("Road closed")
    page.locator("#body_en").fill("Take the northern road.")
    expect(page.locator("#sms-count-en")).to_contain_text("GSM-7, 1 part(s)")
    page.locator("#subject_tr").fill("Yol kapalı")
    page.locator("#body_tr").fill("Kuzey yolunu kullanın. " * 4)
    expect(page.locator("#sms-count-tr")).to_contain_text("UCS-2, 2 part(s)")
