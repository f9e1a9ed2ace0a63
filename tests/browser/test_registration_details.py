"""Details of the public form in a real browser: "use my location" fills the country
and the city, and the pregnancy box is offered only where it can apply."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import PHONE, WAIT_MS, _only_local

pytestmark = pytest.mark.browser

KHARTOUM = {"latitude": 15.5881, "longitude": 32.5342}


@pytest.fixture
def located(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone that lets the page know it is in Khartoum."""
    context = browser.new_context(
        base_url=live_server,
        viewport=PHONE,  # type: ignore[arg-type]
        geolocation=KHARTOUM,
        permissions=["geolocation"],
    )
    context.set_default_timeout(WAIT_MS)
    context.route("**/*", _only_local(live_server))
    yield context.new_page()
    context.close()


def test_use_my_location_fills_the_country_and_the_city(located: Page) -> None:
    located.goto("/register?lang=en")
    located.get_by_role("button", name="Use my current location").click()
    expect(located.locator("#country")).to_have_value("SD")
    expect(located.locator("#city")).to_have_value("Khartoum")
    expect(located.locator("#latitude")).to_have_value("15.58810")
    expect(located.locator("#location-status")).to_contain_text("Khartoum, Sudan")


def test_pregnancy_is_offered_only_to_a_woman_of_an_age_to_be_pregnant(page: Page) -> None:
    page.goto("/register?lang=en")
    pregnant = page.get_by_label("Pregnant")
    expect(pregnant).to_be_hidden()
    page.select_option("#members-0-sex", "F")
    page.fill("#members-0-date_of_birth", "1990-04-01")
    expect(pregnant).to_be_visible()
    pregnant.check()
    page.select_option("#members-0-sex", "M")
    expect(pregnant).to_be_hidden()
    expect(pregnant).not_to_be_checked()
    page.select_option("#members-0-sex", "F")
    page.fill("#members-0-date_of_birth", "2019-04-01")
    expect(pregnant).to_be_hidden()


def test_without_javascript_the_pregnancy_box_is_there_for_everyone(
    page_without_js: Page,
) -> None:
    page_without_js.goto("/register?lang=en")
    expect(page_without_js.get_by_label("Pregnant")).to_be_visible()
