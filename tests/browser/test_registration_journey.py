"""What a person abroad sees: registering a household on a phone, in English,
Arabic and without JavaScript, then following the case with the private link."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import DESKTOP

pytestmark = pytest.mark.browser

_documents = itertools.count(1)
REFERENCE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


def fill_location(page: Page, country: str = "DE", city: str = "Berlin") -> None:
    page.select_option("#country", country)
    page.fill("#city", city)


def fill_member(page: Page, index: int, given: str, *, nationality: str = "TR") -> None:
    prefix = f"#members-{index}-"
    page.fill(prefix + "given_name", given)
    page.fill(prefix + "family_name", "Yılmaz")
    page.fill(prefix + "date_of_birth", "1984-05-12")
    page.select_option(prefix + "sex", "F")
    page.select_option(prefix + "nationality", nationality)
    page.select_option(prefix + "document_type", "P")
    page.fill(prefix + "document_number", f"B{next(_documents):07d}")
    page.select_option(prefix + "document_country", nationality)


def fill_contact_and_consent(page: Page, phone: str = "+49 30 1234567") -> None:
    page.fill("#phone", phone)
    page.fill("#email", "ayse@example.com")
    page.check("#consent")


def submit(page: Page) -> None:
    page.locator(".submit-area button[type=submit]").click()


def test_an_english_household_of_two_registers_and_follows_its_case(
    page: Page, screenshot_dir: Path
) -> None:
    page.goto("/register?lang=en")
    fill_location(page)
    fill_member(page, 0, "Ayşe")
    page.get_by_role("button", name="Add another person").click()
    expect(page.locator("fieldset.member")).to_have_count(2)
    expect(page.locator("#member-status")).to_have_text("Person 2 added.")
    expect(page.locator("#members-1-given_name")).to_be_focused()
    fill_member(page, 1, "Omar", nationality="SY")
    expect(page.locator("#consent_share")).to_be_visible()
    page.check("#consent_share")
    fill_contact_and_consent(page)
    submit(page)

    expect(page.get_by_role("heading", name="Registration complete")).to_be_visible()
    reference = page.locator(".reference-large").inner_text()
    assert REFERENCE.match(reference)
    expect(page.locator("figure.qr svg")).to_be_visible()
    page.screenshot(path=screenshot_dir / "register-success.png", full_page=True)

    private_link = page.locator(".private-link a").get_attribute("href")
    assert private_link and f"/r/{reference}?t=" in private_link
    page.goto(private_link)
    expect(page.locator(".status-label")).to_have_text("Registered")
    expect(page.locator(".person-name")).to_have_count(2)
    page.screenshot(path=screenshot_dir / "case-page.png", full_page=True)

    page.get_by_role("link", name="I no longer need evacuation").click()
    page.get_by_role("button", name="Yes, withdraw my registration").click()
    expect(page.locator(".status-label")).to_have_text("Withdrawn")
    expect(page.get_by_role("link", name="I no longer need evacuation")).to_have_count(0)


def test_an_arabic_registration_reads_right_to_left(
    page_in: Callable[[str], Page], screenshot_dir: Path
) -> None:
    page = page_in("ar-EG")
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("التسجيل للإجلاء")
    page.screenshot(path=screenshot_dir / "register-ar.png", full_page=True)
    fill_location(page, "EG", "Cairo")
    fill_member(page, 0, "Layla", nationality="TR")
    fill_contact_and_consent(page, "+20 2 27943000")
    submit(page)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".reference-large")).to_have_text(REFERENCE)


@pytest.mark.parametrize(("lang", "locale"), [("tr", "tr-TR"), ("en", "en-GB"), ("fr", "fr-FR")])
def test_the_form_is_shown_in_each_language(
    page_in: Callable[[str], Page], screenshot_dir: Path, lang: str, locale: str
) -> None:
    page = page_in(locale)
    page.goto("/register")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.locator("#use-location")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"register-{lang}.png", full_page=True)


def test_the_form_on_a_desktop_screen(page: Page, screenshot_dir: Path) -> None:
    page.set_viewport_size(DESKTOP)
    page.goto("/register?lang=en")
    page.screenshot(path=screenshot_dir / "register-desktop.png")


def test_a_validation_error_keeps_what_was_typed(page: Page, screenshot_dir: Path) -> None:
    page.goto("/register?lang=en")
    fill_location(page)
    fill_member(page, 0, "Zeynep")
    fill_contact_and_consent(page, phone="12")
    submit(page)

    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.locator("#phone-error")).to_be_visible()
    expect(page.locator("#phone")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#members-0-given_name")).to_have_value("Zeynep")
    expect(page.locator("#city")).to_have_value("Berlin")
    expect(page.locator("#consent")).to_be_checked()
    page.screenshot(path=screenshot_dir / "register-errors.png")

    summary.get_by_role("link").first.click()
    expect(page.locator("#phone")).to_be_focused()
    page.fill("#phone", "+49 30 1234567")
    submit(page)
    expect(page.locator(".reference-large")).to_have_text(REFERENCE)


def test_what_was_typed_survives_a_reload(page: Page) -> None:
    page.goto("/register?lang=en")
    fill_location(page)
    page.get_by_role("button", name="Add another person").click()
    page.fill("#members-1-given_name", "Deniz")
    page.fill("#phone", "+49 30 7654321")
    page.wait_for_function(
        "() => (sessionStorage.getItem('evac:registration-draft') || '').includes('7654321')"
    )
    page.reload()
    expect(page.locator("#draft-notice")).to_be_visible()
    expect(page.locator("#members-1-given_name")).to_have_value("Deniz")
    expect(page.locator("#phone")).to_have_value("+49 30 7654321")
    expect(page.locator("#country")).to_have_value("DE")


def test_cities_are_suggested_while_typing(page: Page) -> None:
    page.goto("/register?lang=en")
    page.select_option("#country", "DE")
    page.fill("#city", "Münch")
    expect(page.locator("#city-suggestions option").first).to_have_attribute("value", "Munich")


def test_without_javascript_a_household_registers_with_round_trips(page_without_js: Page) -> None:
    page = page_without_js
    page.goto("/register?lang=en")
    expect(page.locator("#use-location")).to_be_hidden()
    expect(page.locator("#consent_share")).to_be_visible()
    fill_location(page)
    fill_member(page, 0, "Ayşe")
    page.get_by_role("button", name="Add another person").click()
    expect(page.locator("#members-0-given_name")).to_have_value("Ayşe")
    expect(page.locator("#members-1-given_name")).to_be_focused()
    fill_member(page, 1, "Mistake")
    page.get_by_role("button", name="Add another person").click()
    fill_member(page, 2, "Kerem")
    page.get_by_role("button", name="Remove person 2").click()
    expect(page.locator("fieldset.member")).to_have_count(2)
    expect(page.locator("#members-1-given_name")).to_have_value("Kerem")
    expect(page.locator(".error-summary")).to_have_count(0)
    fill_contact_and_consent(page)
    submit(page)
    expect(page.get_by_role("heading", name="Registration complete")).to_be_visible()
    page.get_by_role("link", name="I no longer need evacuation").click()
    page.get_by_role("button", name="Yes, withdraw my registration").click()
    expect(page.locator(".status-label")).to_have_text("Withdrawn")


def test_passport_names_are_suggested_while_the_name_is_typed(page: Page) -> None:
    page.goto("/register?lang=en")
    fill_location(page)
    fill_member(page, 0, "Gökhan")
    page.fill("#members-0-family_name", "Şahin")
    expect(page.locator("#members-0-passport_surname")).to_have_value("SAHIN")
    expect(page.locator("#members-0-passport_given_names")).to_have_value("GOEKHAN")
    page.fill("#members-0-passport_given_names", "GOKHAN")  # as this passport prints it
    page.fill("#members-0-given_name", "Gökhan Ali")
    expect(page.locator("#members-0-passport_given_names")).to_have_value("GOKHAN")
    page.get_by_role("button", name="Add another person").click()
    fill_member(page, 1, "محمد", nationality="EG")
    page.fill("#members-1-family_name", "علي")
    expect(page.locator("#members-1-passport_surname")).to_have_value("")
    fill_contact_and_consent(page)
    submit(page)
    expect(page.locator("#members-1-passport_surname-error")).to_be_visible()
    page.fill("#members-1-passport_surname", "Ali")
    page.fill("#members-1-passport_given_names", "Mohamed")
    submit(page)
    expect(page.locator(".reference-large")).to_have_text(REFERENCE)
    expect(page.get_by_text("ALI, MOHAMED")).to_be_visible()
    expect(page.get_by_text("SAHIN, GOKHAN")).to_be_visible()


def test_without_javascript_an_arabic_name_asks_for_its_passport_name(
    page_without_js: Page,
) -> None:
    page = page_without_js
    page.goto("/register?lang=ar")
    fill_location(page, "EG", "Cairo")
    fill_member(page, 0, "محمد", nationality="EG")
    page.fill("#members-0-family_name", "علي")
    fill_contact_and_consent(page, "+20 2 27943000")
    submit(page)
    expect(page.locator("#error-summary")).to_contain_text("لا يمكن استنتاجه من «علي»")
    expect(page.locator("#members-0-given_name")).to_have_value("محمد")
    page.fill("#members-0-passport_surname", "ALI")
    page.fill("#members-0-passport_given_names", "MOHAMED")
    submit(page)
    expect(page.locator(".reference-large")).to_have_text(REFERENCE)
    expect(page.get_by_text("ALI, MOHAMED")).to_be_visible()
