"""A household may name a second contact person (a name and a phone), whom the mission
calls when the registrant cannot be reached: on the form, the private page, the staff
case page and the API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import make_mission, make_staff, sign_in
from tests.registration import household
from tests.registration.test_case_page import case_of, post, registered
from tests.registration.test_form import form_data, register

SECOND = {"second_contact_name": "Mehmet Yılmaz", "second_contact_phone": "+90 532 123 45 67"}


def test_registrant_names_a_second_contact_and_sees_it_on_the_private_page(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client, **SECOND)
    case = case_of(session, reference)
    assert (case.second_contact_name, case.second_contact_phone) == (
        "Mehmet Yılmaz",
        "+905321234567",
    )
    page = client.get(f"/r/{reference}", params={"t": token})
    assert "Second contact person" in page.text
    assert "Mehmet Yılmaz" in page.text and "+90 532 123 45 67" in page.text


def test_the_second_contact_is_optional(client: TestClient, session: Session) -> None:
    reference, _ = registered(client)
    assert case_of(session, reference).second_contact_name is None


def test_a_name_without_a_phone_is_refused_and_kept(client: TestClient) -> None:
    page = register(client, form_data(second_contact_name="Mehmet Yılmaz"))
    assert page.status_code == 422
    assert "Give this person&#39;s phone number." in page.text
    assert 'value="Mehmet Yılmaz"' in page.text


def test_an_invalid_second_phone_is_refused(client: TestClient) -> None:
    page = register(client, form_data(second_contact_name="Mehmet", second_contact_phone="12"))
    assert page.status_code == 422
    assert "Phone number of the second contact person" in page.text


def test_registrant_changes_the_second_contact(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    data = {
        "t": token,
        "row_version": "1",
        "phone": "+49 30 1234567",
        "language": "tr",
        "second_contact_name": "Zeynep Kaya",
        "second_contact_phone": "+49 151 23456789",
    }
    assert post(client, f"/r/{reference}/contact", data).status_code == 303
    case = case_of(session, reference)
    assert (case.second_contact_name, case.second_contact_phone) == (
        "Zeynep Kaya",
        "+4915123456789",
    )


def test_officer_sees_the_second_contact_on_the_case_page(
    client: TestClient, session: Session
) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    reference, _ = registered(client, **SECOND)
    sign_in(client, "berlin")
    page = client.get(f"/staff/cases/{reference}")
    assert 'id="second-contact"' in page.text and "Mehmet Yılmaz" in page.text


def test_the_api_takes_and_returns_the_second_contact(client: TestClient, session: Session) -> None:
    body = household(contact=SECOND)
    created = client.post("/api/v1/registrations", json=body)
    assert created.status_code == 201, created.text
    answer = created.json()
    read = client.get(
        f"/api/v1/registrations/{answer['reference']}",
        headers={"Authorization": f"Bearer {answer['access_token']}"},
    )
    contact = read.json()["contact"]
    assert contact["second_contact_name"] == "Mehmet Yılmaz"
    assert contact["second_contact_phone"] == "+905321234567"
    schema = client.get("/openapi.json").json()["components"]["schemas"]["ContactIn"]
    assert {"second_contact_name", "second_contact_phone"} <= set(schema["properties"])


def test_a_phone_without_a_name_is_refused_by_the_api(client: TestClient) -> None:
    body = household(contact={"second_contact_phone": "+90 532 123 45 67"})
    response = client.post("/api/v1/registrations", json=body)
    assert response.status_code == 422
    assert "second_contact_name" in response.text
