"""What the database cannot hold is refused at validation, on every way in:
never a 500, never the typed data in the logs (item 9 of issue #15)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_staff, registration_payload, sign_in
from tests.registration.test_form import HTML, form_data, person
from tests.security.conftest import new_api_token

NUL = "\x00"
PHONE = "+49 30 5550 1776"
EMAIL = "hidden.person@example.net"
ADDRESS = "Geheimweg 17, 3. Stock"
BEYOND_INT4 = (2**31, 2**63)

# Every text field of a registration, as a path into the API's JSON body.
API_FIELDS = [
    ("contact", "phone"),
    ("contact", "email"),
    ("contact", "language"),
    ("location", "country"),
    ("location", "city"),
    ("location", "address"),
    ("members", 0, "given_name"),
    ("members", 0, "family_name"),
    ("members", 0, "nationality"),
    ("members", 0, "sex"),
    ("members", 0, "document", "type"),
    ("members", 0, "document", "number"),
    ("members", 0, "document", "country"),
]
# Every text field of the registration form.
FORM_FIELDS = [
    "phone",
    "email",
    "language",
    "country",
    "city",
    "address",
    "members-0-given_name",
    "members-0-family_name",
    "members-0-nationality",
    "members-0-document_number",
    "members-0-document_country",
]


def _payload() -> dict[str, Any]:
    payload = registration_payload("DE")
    payload["contact"] = {"phone": PHONE, "email": EMAIL, "language": "tr"}
    payload["location"]["address"] = ADDRESS  # type: ignore[index]
    return payload


def _append(body: Any, path: tuple[str | int, ...], text: str) -> None:
    for part in path[:-1]:
        body = body[part]
    body[path[-1]] += text


def _no_personal_data_logged(caplog: pytest.LogCaptureFixture) -> None:
    logged = "\n".join(record.getMessage() for record in caplog.records)
    logged += "\n".join(record.exc_text or "" for record in caplog.records)
    for secret in (PHONE, EMAIL, ADDRESS, "Yılmaz"):
        assert secret not in logged


@pytest.mark.parametrize("path", API_FIELDS, ids=lambda path: ".".join(map(str, path)))
def test_a_nul_byte_in_any_field_of_the_api_is_refused_by_name(
    client: TestClient, path: tuple[str | int, ...], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    payload = _payload()
    _append(payload, path, NUL)
    response = client.post("/api/v1/registrations", json=payload)
    assert response.status_code == 422, response.text
    problems = response.json()["detail"]
    assert any(tuple(problem["loc"][1:]) == path for problem in problems), problems
    assert PHONE not in response.text and EMAIL not in response.text
    _no_personal_data_logged(caplog)


@pytest.mark.parametrize("name", FORM_FIELDS)
def test_a_nul_byte_in_any_field_of_the_form_is_shown_next_to_it(
    client: TestClient, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    typed = form_data(person(0), phone=PHONE, email=EMAIL, address=ADDRESS)
    typed[name] += NUL
    response = client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert response.status_code == 422
    assert "control characters" in response.text
    _no_personal_data_logged(caplog)


def test_control_characters_are_refused_but_an_address_keeps_its_lines(
    client: TestClient,
) -> None:
    for control in ("\x1b", "\x7f", "\x85", "\r"):
        payload = _payload()
        payload["members"][0]["given_name"] = f"Ay{control}şe"
        assert client.post("/api/v1/registrations", json=payload).status_code == 422
    payload = _payload()
    payload["location"]["address"] = "Friedrichstraße 1\r\n2. Hinterhof\tlinks"
    assert client.post("/api/v1/registrations", json=payload).status_code == 201


def test_a_nul_byte_in_a_staff_form_or_search_is_refused_not_stored(
    client: TestClient, session: Session, coordinator: str
) -> None:
    case = make_case(session, "DE")
    make_staff(session, "root", Role.admin)
    login = client.post("/staff/login", data={"username": f"center{NUL}", "password": "x"})
    assert login.status_code == 422
    sign_in(client, coordinator)
    token = csrf_token(client)
    answers = [
        client.get("/staff/cases", params={"q": f"Ay{NUL}"}),
        client.get("/staff/flights", params={"country": f"D{NUL}"}),
        client.post(
            "/staff/cases/bulk",
            data={"action": "verify", "references": [f"AB{NUL}"], "csrf_token": token},
        ),
        client.post(
            f"/staff/cases/{case.reference}/notes", data={"text": f"a{NUL}", "csrf_token": token}
        ),
        client.post("/staff/tokens", data={"name": f"a{NUL}", "csrf_token": token}),
    ]
    client.cookies.clear()
    sign_in(client, "root")
    token = csrf_token(client, "/staff/admin")
    answers.append(
        client.post(
            "/staff/admin/missions/A%00/coverage", data={"covers": "DE", "csrf_token": token}
        )
    )
    assert [answer.status_code for answer in answers] == [422] * len(answers)


STAFF_URLS_WITH_IDS = [
    ("get", "/staff/flights/{id}"),
    ("get", "/staff/flights/{id}/edit"),
    ("get", "/staff/manifests/{id}"),
    ("get", "/staff/manifests/{id}/paxlst"),
    ("get", "/staff/manifests/{id}/manifest.pdf"),
    ("get", "/staff/manifests/{id}/manifest.csv"),
    ("get", "/staff/checkin/{id}"),
    ("get", "/api/v1/flights/{id}"),
    ("post", "/staff/flights/{id}/cancel"),
    ("post", "/staff/checkin/{id}/close"),
    ("get", "/staff/checkin/{id}/close"),
    ("get", "/staff/checkin/{id}/depart"),
    ("post", "/staff/checkin/{id}/reopen"),
    ("post", "/staff/checkin/{id}/put-back"),
    ("post", "/staff/checkin/{id}/depart"),
    ("post", "/staff/checkin/{id}/arrive"),
    ("post", "/staff/tokens/{id}/revoke"),
    ("post", "/staff/outbox/{id}/resend"),
    ("post", "/staff/admin/users/{id}/active"),
]


@pytest.mark.parametrize("number", BEYOND_INT4)
def test_an_id_beyond_the_database_integer_in_a_staff_url_is_not_a_crash(
    client: TestClient, session: Session, coordinator: str, number: int
) -> None:
    make_staff(session, "root", Role.admin)
    bearer = {"Authorization": f"Bearer {new_api_token(client, coordinator)}"}
    answers = {}
    for username in (coordinator, "root"):
        sign_in(client, username)
        form = {"csrf_token": csrf_token(client, "/staff/tokens"), "row_version": "1"}
        for method, template in STAFF_URLS_WITH_IDS:
            url = template.format(id=number)
            if url.startswith("/api/"):
                response = client.get(url, headers=bearer)
            elif method == "get":
                response = client.get(url)
            else:
                response = client.post(url, data={**form, "active": "true", "confirm": "true"})
            answers.setdefault(url, set()).add(response.status_code)
        client.cookies.clear()
    crashed = {url: codes for url, codes in answers.items() if not codes <= {403, 404, 422}}
    assert not crashed


def test_a_row_version_beyond_the_database_integer_is_refused(
    client: TestClient, session: Session, coordinator: str
) -> None:
    case = make_case(session, "DE")
    bearer = {"Authorization": f"Bearer {new_api_token(client, coordinator)}"}
    for version in BEYOND_INT4:
        patched = client.patch(
            f"/api/v1/cases/{case.reference}",
            json={"row_version": version, "city": "Potsdam"},
            headers=bearer,
        )
        assert patched.status_code == 422
        moved = client.post(
            f"/api/v1/cases/{case.reference}/transitions",
            json={"to": "verified", "row_version": version},
            headers=bearer,
        )
        assert moved.status_code == 422
    sign_in(client, coordinator)
    posted = client.post(
        f"/staff/cases/{case.reference}/status",
        data={"to": "verified", "row_version": str(2**31), "csrf_token": csrf_token(client)},
    )
    assert posted.status_code == 422


@pytest.mark.parametrize(
    "change",
    [
        {"latitude": 52.4},
        {"longitude": 13.1},
        {"language": None},
        {"language": "xx"},
        {"phone": None},
        {"phone": "12"},
        {"email": "not an address"},
        {"city": f"Pots{NUL}dam"},
        {"address": f"Weg{NUL} 1"},
        {"external_reference": f"X{NUL}1"},
    ],
    ids=lambda change: ",".join(f"{k}={v!r}" for k, v in change.items()),
)
def test_the_staff_api_refuses_what_the_registration_refuses(
    client: TestClient, session: Session, coordinator: str, change: dict[str, Any]
) -> None:
    case = make_case(session, "DE", position=(52.52, 13.405))
    if "latitude" in change or "longitude" in change:
        case.latitude = case.longitude = None
        session.commit()
    bearer = {"Authorization": f"Bearer {new_api_token(client, coordinator)}"}
    patched = client.patch(
        f"/api/v1/cases/{case.reference}",
        json={"row_version": case.row_version, **change},
        headers=bearer,
    )
    assert patched.status_code == 422, patched.text
    field = next(iter(change))
    problems = patched.json()["detail"]
    assert any(problem["loc"][-1] in (field, "latitude") for problem in problems), problems
    assert client.get(f"/api/v1/cases/{case.reference}", headers=bearer).status_code == 200
    sign_in(client, coordinator)
    assert client.get(f"/staff/cases/{case.reference}").status_code == 200


def test_the_staff_api_still_changes_a_valid_case(
    client: TestClient, session: Session, coordinator: str
) -> None:
    case = make_case(session, "DE")
    bearer = {"Authorization": f"Bearer {new_api_token(client, coordinator)}"}
    patched = client.patch(
        f"/api/v1/cases/{case.reference}",
        json={
            "row_version": case.row_version,
            "phone": "0331 2890",
            "email": None,
            "latitude": None,
            "longitude": None,
            "address": "Am Markt 1\nHinterhaus",
        },
        headers=bearer,
    )
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert (body["phone"], body["email"], body["latitude"]) == ("+493312890", None, None)
    assert body["address"] == "Am Markt 1\nHinterhaus"


def test_a_database_error_never_shows_the_values_it_was_given(engine: Engine) -> None:
    with engine.connect() as connection, pytest.raises(sa.exc.DBAPIError) as error:
        connection.execute(
            sa.text("SELECT * FROM no_such_table WHERE phone = :phone"), {"phone": PHONE}
        )
    assert PHONE not in str(error.value)
