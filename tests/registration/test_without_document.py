"""A person without a travel document (a newborn on a parent's passport, a passport
held by an embassy) can be registered, with the reason, by the API, the form and
the CSV import; only the mission records an emergency travel document."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.registration.models import DocumentType, Person, Registration
from tests.registration import household, member
from tests.registration.test_case_page import registered
from tests.registration.test_form import person
from tests.registration.test_import import csv_text, imported, row, run_import

URL = "/api/v1/registrations"
NO_HEADER_DOCUMENT = {"document_type": "", "document_number": "", "document_country": ""}


def newborn(given_name: str = "Deniz", **document: Any) -> dict[str, Any]:
    baby = member(given_name=given_name, date_of_birth="2026-10-01")
    baby["document"] = {"type": "N", "missing_reason": "on_parent_passport", **document}
    return baby


def problems_at(response: Any) -> list[str]:
    return [".".join(map(str, problem["loc"][1:])) for problem in response.json()["detail"]]


def people_of(session: Session, reference: str) -> list[Person]:
    session.expire_all()
    case = session.exec(select(Registration).where(Registration.reference == reference)).one()
    return list(case.members)


def test_api_registers_a_newborn_without_a_travel_document(
    client: TestClient, session: Session
) -> None:
    response = client.post(URL, json=household(member(), newborn()))
    assert response.status_code == 201, response.text
    created = response.json()
    baby = people_of(session, created["reference"])[1]
    assert baby.document_type == DocumentType.none
    assert baby.document_missing_reason == "on_parent_passport"
    assert baby.document_number == "" and baby.is_active
    read = client.get(
        f"{URL}/{created['reference']}",
        headers={"Authorization": f"Bearer {created['access_token']}"},
    ).json()
    assert read["members"][1]["document"]["type"] == "N"
    assert read["members"][1]["document"]["missing_reason"] == "on_parent_passport"


def test_two_households_with_a_person_without_a_document_both_stay_active(
    client: TestClient, session: Session
) -> None:
    first = client.post(URL, json=household(newborn()))
    second = client.post(
        URL, json=household(member(given_name="Omar", family_name="Kaya"), newborn("Ela"))
    )
    assert first.status_code == second.status_code == 201, second.text
    assert second.json()["reference"] != first.json()["reference"]
    case = people_of(session, second.json()["reference"])
    assert all(p.is_active for p in case)
    stored = session.exec(
        select(Registration).where(Registration.reference == second.json()["reference"])
    ).one()
    assert stored.possible_duplicate_of_id is None


def test_no_document_needs_a_reason_and_other_needs_words(client: TestClient) -> None:
    without_reason = client.post(URL, json=household(newborn(missing_reason=None)))
    assert without_reason.status_code == 422
    assert "members.0.document.missing_reason" in problems_at(without_reason)
    other = client.post(URL, json=household(newborn(missing_reason="other")))
    assert other.status_code == 422
    assert "members.0.document.missing_note" in problems_at(other)
    explained = household(newborn(missing_reason="other", missing_note="Burnt in the fire"))
    assert client.post(URL, json=explained).status_code == 201


def test_a_registrant_cannot_claim_an_emergency_travel_document(client: TestClient) -> None:
    etd = member(document={"type": "E", "number": "ETD123", "country": "TR"})
    response = client.post(URL, json=household(etd))
    assert response.status_code == 422
    assert "members.0.document.type" in problems_at(response)


def test_the_form_registers_a_person_without_a_document(
    client: TestClient, session: Session
) -> None:
    baby = person(
        1,
        given_name="Deniz",
        date_of_birth="2026-10-01",
        document_type="N",
        document_number="",
        document_country="",
        document_expiry="",
        document_missing_reason="held_by_authority",
    )
    reference, token = registered(client, person(), baby)
    stored = people_of(session, reference)[1]
    assert stored.document_type == "N" and stored.document_missing_reason == "held_by_authority"
    page = client.get(f"/r/{reference}", params={"t": token})
    assert "No travel document" in page.text
    assert "held by another authority or embassy" in page.text


def test_the_import_reads_empty_document_columns_with_a_reason(session: Session) -> None:
    header = (*row().keys(), "document_missing_reason", "document_missing_note")
    text = csv_text(
        row(household_ref="NB"),
        row(household_ref="NB", given_name="Deniz", document_expiry="",
            document_missing_reason="on_parent_passport", **NO_HEADER_DOCUMENT),
        row(household_ref="NC", given_name="Ali", document_expiry="",
            document_missing_reason="on_parent_passport", **NO_HEADER_DOCUMENT),
        header=header,
    )  # fmt: skip
    report = run_import(session, text)
    assert report.errors == [] and report.people_imported == 3
    case = imported(session, "NB")
    assert case is not None
    assert [p.document_type for p in case.members] == ["P", "N"]


def test_the_import_rejects_empty_document_columns_without_a_reason(session: Session) -> None:
    header = (*row().keys(), "document_missing_reason")
    text = csv_text(row(document_expiry="", **NO_HEADER_DOCUMENT), header=header)
    report = run_import(session, text)
    assert report.households_rejected == 1
    assert any("document" in error.reason for error in report.errors)
