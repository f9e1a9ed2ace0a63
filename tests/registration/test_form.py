"""The registration form at /register, as a person without JavaScript uses it."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.registration import routes as registration_routes
from evac.registration.models import IdempotencyRecord, Person, Registration
from evac.web.templating import templates
from tests.factories import APP_TODAY

HTML = {"accept": "text/html"}
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
NEXT_YEAR = (APP_TODAY + timedelta(days=365)).isoformat()
_numbers = itertools.count(1)


def person(index: int = 0, **changes: str) -> dict[str, str]:
    """One member's fields as the form posts them, with a fresh document number."""
    fields = {
        "given_name": "Ayşe",
        "family_name": "Yılmaz",
        "date_of_birth": "1984-05-12",
        "sex": "F",
        "nationality": "TR",
        "document_type": "P",
        "document_number": f"U{next(_numbers):07d}F",
        "document_country": "TR",
        "document_expiry": NEXT_YEAR,
        "medical_urgency": "none",
        **changes,
    }
    return {f"members-{index}-{name}": value for name, value in fields.items()}


def form_data(*members: dict[str, str], token: str | None = None, **changes: str) -> dict[str, str]:
    data = {
        "form_token": token or f"token-{next(_numbers):012d}-abcdef",
        "country": "DE",
        "city": "Berlin",
        "address": "Friedrichstraße 1",
        "phone": "+49 30 1234567",
        "email": "ayse@example.com",
        "language": "tr",
        "consent": "1",
        "action": "register",
    }
    for member in members or (person(),):
        data.update(member)
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def register(client: TestClient, data: dict[str, str]) -> Any:
    return client.post("/register", data=data, headers=HTML, follow_redirects=False)


def count(session: Session, model: Any) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


class _Form(HTMLParser):
    """The form controls of a page, their labels and what describes them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.ids: set[str] = set()
        self.inline_scripts = 0
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.add(attributes["id"] or "")
        if tag == "label" and attributes.get("for"):
            self.labels.add(attributes["for"] or "")
        if tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(attributes)
        self._in_script = tag == "script" and "src" not in attributes

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.inline_scripts += 1


def parse(html: str) -> _Form:
    parser = _Form()
    parser.feed(html)
    return parser


def field_value(html: str, name: str) -> str | None:
    match = re.search(
        rf'<input id="{re.escape(name)}" name="{re.escape(name)}"[^>]*?value="([^"]*)"', html
    )
    return match.group(1) if match else None


def selected(html: str, name: str) -> str | None:
    block = re.search(rf'<select id="{re.escape(name)}".*?</select>', html, re.S)
    chosen = re.search(r'<option value="([^"]*)" selected>', block.group(0)) if block else None
    return chosen.group(1) if chosen else None


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("en", "ltr", "Register for evacuation"),
        ("tr", "ltr", "Tahliye için kayıt olun"),
        ("fr", "ltr", "S’inscrire pour l’évacuation"),
        ("ar", "rtl", "التسجيل للإجلاء"),
    ],
)
def test_form_speaks_each_language(
    client: TestClient, lang: str, direction: str, heading: str
) -> None:
    page = client.get(f"/register?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page.text
    assert f"<h1>{heading}</h1>" in page.text
    assert page.headers["cache-control"] == "no-store"


def test_country_names_follow_the_language(client: TestClient) -> None:
    assert ">Almanya</option>" in client.get("/register?lang=tr").text
    assert ">Allemagne</option>" in client.get("/register?lang=fr").text
    assert ">ألمانيا</option>" in client.get("/register?lang=ar").text


def test_every_input_has_a_label_and_nothing_runs_inline(client: TestClient) -> None:
    page = client.get("/register")
    form = parse(page.text)
    assert len(form.controls) > 15
    unlabelled = [c.get("name") for c in form.controls if c.get("id") not in form.labels]
    assert unlabelled == []
    for control in form.controls:
        for described_by in (control.get("aria-describedby") or "").split():
            assert described_by in form.ids
    assert form.inline_scripts == 0
    assert " style=" not in page.text and "onclick" not in page.text


def test_a_malformed_date_is_shown_next_to_its_field_and_keeps_everything_typed(
    client: TestClient, session: Session
) -> None:
    data = form_data(person(given_name="Zeynep", date_of_birth="1984-02-31"), phone="12")
    page = register(client, data)
    assert page.status_code == 422
    assert field_value(page.text, "members-0-given_name") == "Zeynep"
    assert field_value(page.text, "members-0-date_of_birth") == "1984-02-31"
    assert field_value(page.text, "city") == "Berlin"
    assert selected(page.text, "country") == "DE"
    assert 'id="members-0-date_of_birth-error"' in page.text
    assert "Enter a real date: day, month and year." in page.text
    assert re.search(r'id="members-0-date_of_birth"[^>]*aria-invalid="true"', page.text)
    assert 'href="#members-0-date_of_birth"' in page.text
    # The phone is checked in the same round trip, not after the date is fixed.
    assert 'href="#phone"' in page.text
    assert f'name="form_token" value="{data["form_token"]}"' in page.text
    assert count(session, Registration) == 0


def test_errors_are_in_the_readers_language(client: TestClient) -> None:
    page = client.post(
        "/register?lang=fr", data=form_data(person(given_name=""), consent=None), headers=HTML
    )
    assert page.status_code == 422
    assert "Ce champ est obligatoire." in page.text
    assert 'href="#consent"' in page.text


def test_a_household_of_two_registers_in_one_form(client: TestClient, session: Session) -> None:
    second = person(1, given_name="Omar", family_name="Haddad", sex="M", nationality="SY")
    data = form_data(person(), second, consent_share="1")
    response = register(client, data)
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.match(r"^/r/[A-Z0-9]{4}-[A-Z0-9]{4}\?t=[\w-]+&welcome=1$", location)
    registration = session.exec(select(Registration)).one()
    assert registration.country == "DE"
    assert registration.phone == "+49301234567"
    assert registration.language == "tr"
    assert registration.consent_processing and registration.consent_share_with_own_mission
    assert registration.latitude is not None  # Berlin, from the offline gazetteer
    assert [(p.position, p.given_name) for p in registration.members] == [(0, "Ayşe"), (1, "Omar")]


def test_each_blank_form_carries_its_own_token_when_pages_are_cached(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(templates.env, "auto_reload", False)  # as in production
    monkeypatch.setattr(registration_routes, "_blank_pages", {})
    pages = [client.get("/register", params={"lang": lang}) for lang in ("fr", "fr", "ar")]
    tokens = [FORM_TOKEN.search(page.text).group(1) for page in pages]  # type: ignore[union-attr]
    assert len(set(tokens)) == 3 and all(re.fullmatch(r"[\w-]{32}", token) for token in tokens)
    assert pages[0].text.replace(tokens[0], "") == pages[1].text.replace(tokens[1], "")
    assert 'dir="rtl"' in pages[2].text and 'dir="rtl"' not in pages[0].text
    assert pages[0].headers["cache-control"] == "no-store"

    data = form_data(person(), token=tokens[0])
    response, again = register(client, data), register(client, data)
    assert response.status_code == again.status_code == 303
    assert response.headers["location"] == again.headers["location"]
    assert count(session, Registration) == 1


def test_adding_a_member_keeps_everything_typed_and_shows_no_errors(client: TestClient) -> None:
    data = form_data(person(given_name="Zeynep"), phone="", action="add")
    page = register(client, data)
    assert page.status_code == 200
    assert field_value(page.text, "members-0-given_name") == "Zeynep"
    assert 'id="members-1-given_name"' in page.text
    assert re.search(r'id="members-1-given_name"[^>]*autofocus', page.text)
    assert "error-summary" not in page.text and "field-error" not in page.text
    assert f'value="{data["form_token"]}"' in page.text


def test_removing_a_member_keeps_the_others(client: TestClient) -> None:
    members = [person(0, given_name="A"), person(1, given_name="B"), person(2, given_name="C")]
    page = register(client, form_data(*members, remove="1"))
    assert page.status_code == 200
    assert field_value(page.text, "members-0-given_name") == "A"
    assert field_value(page.text, "members-1-given_name") == "C"
    assert 'id="members-2-given_name"' not in page.text
    assert "error-summary" not in page.text


def test_dates_typed_day_first_are_understood(client: TestClient, session: Session) -> None:
    response = register(client, form_data(person(date_of_birth="12.05.1984")))
    assert response.status_code == 303
    assert session.exec(select(Person)).one().date_of_birth == date(1984, 5, 12)


def test_a_double_submit_creates_one_registration(client: TestClient, session: Session) -> None:
    data = form_data(person(), person(1, given_name="Can"))
    first = register(client, data)
    second = register(client, data)
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert count(session, Registration) == 1
    assert count(session, IdempotencyRecord) == 1
    assert client.get(second.headers["location"]).status_code == 200


def test_a_document_registered_already_gets_the_normal_answer(
    client: TestClient, session: Session
) -> None:
    member = person(document_number="U7654321")
    assert register(client, form_data(member)).status_code == 303
    response = register(client, form_data(member, person(1)))
    assert response.status_code == 303
    assert re.match(r"^/r/[A-Z0-9-]+\?t=[\w-]+&welcome=1$", response.headers["location"])
    page = client.get(response.headers["location"])
    assert page.status_code == 200 and "already registered" not in page.text
    assert count(session, Registration) == 2


def test_the_same_document_twice_in_one_household_is_refused(client: TestClient) -> None:
    twice = {"document_number": "U5555555"}
    page = register(client, form_data(person(**twice), person(1, given_name="Can", **twice)))
    assert page.status_code == 422
    assert 'id="members-1-document_number-error"' in page.text


def test_consent_is_required(client: TestClient, session: Session) -> None:
    page = register(client, form_data(consent=None))
    assert page.status_code == 422
    assert 'id="consent-error"' in page.text
    assert count(session, Registration) == 0


def test_the_consent_to_share_is_offered_for_non_citizens(client: TestClient) -> None:
    page = client.get("/register")
    assert 'name="consent_share"' in page.text
    assert "not citizens of Türkiye" in page.text


def test_city_suggestions_come_from_the_offline_gazetteer(client: TestClient) -> None:
    response = client.get("/api/v1/places/cities", params={"q": "berl", "country": "de"})
    assert response.status_code == 200
    cities = response.json()
    assert cities[0]["name"] == "Berlin" and cities[0]["country"] == "DE"
    assert set(cities[0]) == {"name", "country", "latitude", "longitude"}
    assert "max-age" in response.headers["cache-control"]
    assert client.get("/api/v1/places/cities", params={"q": "b"}).json() == []
    assert "/api/v1/places/cities" in client.get("/openapi.json").json()["paths"]
