"""The public JSON API: register a household, then read it back with its token."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.i18n import get_translations
from evac.registration.models import Registration
from evac.registration.reference import new_reference
from tests.factories import APP_TODAY
from tests.registration import household, member

URL = "/api/v1/registrations"
TODAY = APP_TODAY


def register(client: TestClient, body: dict[str, Any], **headers: str) -> dict[str, Any]:
    response = client.post(URL, json=body, headers=headers)
    assert response.status_code == 201, response.text
    return response.json()


def read(client: TestClient, reference: str, token: str | None) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.get(f"{URL}/{reference}", headers=headers)


def count_registrations(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Registration)).one()


def test_household_registers_and_reads_its_case_with_the_token(client: TestClient) -> None:
    body = household(
        member(),
        member(
            given_name="Hans",
            family_name="Müller",
            sex="M",
            nationality="DE",
            document={"number": "C01X00T47", "country": "DE", "type": "I"},
        ),
    )
    created = register(client, body)
    assert created["status"] == "registered"
    assert created["reference"] and created["access_token"]

    response = read(client, created["reference"], created["access_token"])
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    case = response.json()
    assert case["reference"] == created["reference"]
    assert case["contact"]["phone"] == "+49301234567"
    assert [(m["given_name"], m["citizen"]) for m in case["members"]] == [
        ("Ayşe", True),
        ("Hans", False),
    ]
    assert case["members"][1]["document"] == {
        "type": "I",
        "number": "C01X00T47",
        "country": "DE",
        "expiry": str(TODAY + timedelta(days=365)),
        "missing_reason": None,
        "missing_note": None,
    }


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        (
            household(member(date_of_birth=str(TODAY + timedelta(days=1)))),
            ["body", "members", 0, "date_of_birth"],
        ),
        (
            household(member(document={"expiry": str(TODAY - timedelta(days=1))})),
            ["body", "members", 0, "document", "expiry"],
        ),
        (household(contact={"phone": "12345"}), ["body", "contact", "phone"]),
        (household(location={"country": "XX"}), ["body", "location", "country"]),
        (household(member(nationality="QQ")), ["body", "members", 0, "nationality"]),
        (household(members=[]), ["body", "members"]),
        (household(consent=False), ["body", "consent"]),
        ({k: v for k, v in household().items() if k != "consent"}, ["body", "consent"]),
    ],
    ids=[
        "future-birth",
        "expired-document",
        "bad-phone",
        "bad-country",
        "bad-nationality",
        "no-members",
        "consent-refused",
        "consent-missing",
    ],
)
def test_invalid_registration_is_refused_field_by_field(
    client: TestClient, session: Session, body: dict[str, Any], loc: list[str | int]
) -> None:
    before = count_registrations(session)
    response = client.post(URL, json=body)
    assert response.status_code == 422
    problem = response.json()
    assert problem["code"] == "invalid"
    assert loc in [error["loc"] for error in problem["detail"]]
    assert all(error["msg"] and error["type"] for error in problem["detail"])
    assert count_registrations(session) == before


def test_a_registered_document_gets_the_same_answer_as_a_new_one(client: TestClient) -> None:
    first = register(client, household(member(document={"number": "U 555-111"})))
    second = household(
        member(given_name="Mehmet", sex="M", document={"number": "U999000"}),
        member(given_name="Zeynep", document={"number": "u555111"}),
    )
    response = client.post(URL, json=second)
    assert response.status_code == 201
    assert set(response.json()) == {"reference", "access_token", "status"}
    assert response.json()["status"] == "registered"
    assert first["reference"] not in response.text
    case = read(client, response.json()["reference"], response.json()["access_token"]).json()
    assert [m["given_name"] for m in case["members"]] == ["Mehmet", "Zeynep"]


def test_replayed_idempotency_key_returns_the_same_registration(
    client: TestClient, session: Session
) -> None:
    before = count_registrations(session)
    key = {"Idempotency-Key": "7d0c1f7e-4d57-4b7e-9a55-0c1cf1b4f0a1"}
    first = client.post(URL, json=household(), headers=key)
    again = client.post(URL, json=household(), headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert count_registrations(session) == before + 1
    assert read(client, first.json()["reference"], again.json()["access_token"]).status_code == 200


def test_household_over_thirty_people_is_refused(client: TestClient) -> None:
    people = [member(document={"number": f"U{index:07d}"}) for index in range(31)]
    response = client.post(URL, json=household(*people))
    assert response.status_code == 422
    assert ["body", "members"] in [error["loc"] for error in response.json()["detail"]]


def test_oversized_body_is_refused_before_it_is_parsed(client: TestClient) -> None:
    padding = " " * (300 * 1024)
    response = client.post(
        URL, content=f'{{"consent": true{padding}}}', headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"


def test_oversized_streamed_body_is_refused(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"consent": true'
        for _ in range(100):
            yield b" " * 4096
        yield b"}"

    response = client.post(URL, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_city_is_located_when_coordinates_are_missing(client: TestClient) -> None:
    body = household(location={"city": "Köln", "latitude": None, "longitude": None})
    created = register(client, body)
    location = read(client, created["reference"], created["access_token"]).json()["location"]
    assert location["city"] == "Köln"
    assert location["latitude"] == pytest.approx(50.94, abs=0.05)
    assert location["longitude"] == pytest.approx(6.96, abs=0.05)


def test_case_is_not_found_without_its_own_token(client: TestClient) -> None:
    mine = register(client, household())
    other = register(client, household(member(document={"number": "X7654321"})))
    reference = mine["reference"]
    answers = [
        read(client, reference, None),
        read(client, reference, "not-the-token"),
        read(client, reference, other["access_token"]),
        read(client, new_reference(), mine["access_token"]),
        read(client, "NOT-A-REF", mine["access_token"]),
        client.get(f"{URL}/{reference}", headers={"Authorization": mine["access_token"]}),
    ]
    assert {answer.status_code for answer in answers} == {404}
    assert len({answer.text for answer in answers}) == 1
    assert read(client, reference.lower().replace("-", ""), mine["access_token"]).status_code == 200


def test_api_is_described_in_openapi(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    create = schema["paths"][URL]["post"]
    assert {"201", "409", "413", "422"} <= set(create["responses"])
    assert "Idempotency-Key" in [parameter["name"] for parameter in create["parameters"]]
    assert "get" in schema["paths"][f"{URL}/{{reference}}"]


def test_field_errors_are_in_the_request_language(client: TestClient) -> None:
    body = household(member(date_of_birth=str(TODAY + timedelta(days=1))))
    response = client.post(URL, json=body, headers={"Accept-Language": "fr"})
    french = get_translations("fr").gettext("The date of birth cannot be in the future.")
    assert french in [error["msg"] for error in response.json()["detail"]]
