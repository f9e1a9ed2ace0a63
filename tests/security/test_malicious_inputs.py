"""Hostile input is refused or made harmless: never a 500, never a leak."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.registration.models import Person
from tests.factories import member, registration_payload, sign_in
from tests.registration.test_form import HTML, form_data, person

INJECTION = "' OR 1=1 --"
SCRIPT = "<script>alert(1)</script>"
JSON = {"content-type": "application/json"}


def _register_api(client: TestClient, **member_fields: str) -> dict[str, str]:
    # Such "names" have no Latin spelling to suggest: the passport name is typed.
    typed = {"passport_surname": "DOE", "passport_given_names": "JOHN"}
    payload = registration_payload(members=[member(**typed, **member_fields)])
    response = client.post("/api/v1/registrations", json=payload)
    assert response.status_code == 201, response.text
    return response.json()


def test_sql_in_a_staff_search_finds_nothing_and_breaks_nothing(
    client: TestClient, coordinator: str
) -> None:
    _register_api(client, given="Ayşe")
    sign_in(client, coordinator)
    for query in (INJECTION, "%", "_", "'; DROP TABLE person; --", "\\"):
        response = client.get("/staff/cases", params={"q": query})
        assert response.status_code == 200
        assert "Ayşe" not in response.text
    assert "Ayşe" in client.get("/staff/cases", params={"q": "Ayşe"}).text


def test_sql_in_a_name_is_stored_verbatim(client: TestClient, session: Session) -> None:
    _register_api(client, given=INJECTION, family="Robert'); DROP TABLE person;--")
    names = session.exec(select(Person.given_name, Person.family_name)).all()
    assert (INJECTION, "Robert'); DROP TABLE person;--") in names


def test_a_script_in_a_name_is_shown_escaped_to_staff_and_registrant(
    client: TestClient, coordinator: str
) -> None:
    created = _register_api(client, given=SCRIPT)
    private = client.get(f"/r/{created['reference']}", params={"t": created["access_token"]})
    sign_in(client, coordinator)
    pages = [
        private,
        client.get("/staff/cases"),
        client.get("/staff/cases", params={"q": "script"}),
        client.get(f"/staff/cases/{created['reference']}"),
    ]
    for page in pages:
        assert page.status_code == 200
        assert SCRIPT not in page.text
    assert "&lt;script&gt;" in pages[-1].text


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    big = json.dumps({"members": [], "padding": "x" * 400_000})
    assert client.post("/api/v1/registrations", content=big, headers=JSON).status_code == 413
    form = form_data(address="x" * 400_000)
    assert client.post("/register", data=form, headers=HTML).status_code == 413


def test_invalid_utf8_is_refused_without_a_server_error(client: TestClient) -> None:
    broken = b'{"contact": {"phone": "\xff\xfe"}, "members": []}'
    response = client.post("/api/v1/registrations", content=broken, headers=JSON)
    assert response.status_code in (400, 422)
    form = {"content-type": "application/x-www-form-urlencoded", **HTML}
    body = b"form_token=abcdefabcdefabcdef&action=register&city=%FF%FE%FD&members-0-given_name=\xff"
    response = client.post("/register", content=body, headers=form)
    assert response.status_code in (400, 422)


def test_an_enormous_household_is_refused(client: TestClient) -> None:
    payload = registration_payload(members=[member() for _ in range(10_000)])
    assert client.post("/api/v1/registrations", json=payload).status_code in (413, 422)
    small = registration_payload(members=[member(given="A", family="B") for _ in range(300)])
    assert len(json.dumps(small)) < 256 * 1024
    assert client.post("/api/v1/registrations", json=small).status_code == 422
    many = form_data(*(person(index) for index in range(10_000)))
    assert client.post("/register", data=many, headers=HTML).status_code in (413, 422)
    sparse = form_data(person(0), person(9_999))  # two people, not ten thousand
    response = client.post("/register", data=sparse, headers=HTML, follow_redirects=False)
    assert response.status_code in (303, 413, 422)


def test_paths_outside_the_static_folder_are_never_served(
    client: TestClient, coordinator: str
) -> None:
    for path in (
        "/static/../evac/settings.py",
        "/static/%2e%2e/evac/settings.py",
        "/static/..%2F..%2Fpyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    ):
        response = client.get(path)
        assert response.status_code in (400, 404), path
        assert "EVAC_" not in response.text and "root:" not in response.text
    sign_in(client, coordinator)
    for path in ("/staff/cases/..%2F..%2Fetc%2Fpasswd", "/staff/cases/%2e%2e%2fexport.csv"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "root:" not in response.text
