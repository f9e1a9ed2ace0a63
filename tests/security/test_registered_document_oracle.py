"""Nobody can test whether a passport is registered (issue #15, 8).

The public form and API answer a registration that gives a registered travel
document exactly as any other; the case holding it is told by message, and
officers see the new case flagged as its possible duplicate.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.notifications.models import OutboxMessage
from evac.registration.models import Person, Registration
from tests.factories import sign_in
from tests.registration import household, member
from tests.registration.test_case_page import post, registered
from tests.registration.test_form import HTML, form_data, person

URL = "/api/v1/registrations"
KNOWN = {"number": "U7000007"}


def case(session: Session, reference: str) -> Registration:
    session.expire_all()
    return session.exec(select(Registration).where(Registration.reference == reference)).one()


def messages_to(session: Session, registration: Registration) -> list[tuple[str, str]]:
    rows = session.exec(
        select(OutboxMessage).where(OutboxMessage.registration_id == registration.id)
    ).all()
    return sorted((row.template, row.channel) for row in rows)


def shape(response: Any) -> tuple[int, list[str], list[str]]:
    """What an answer says besides its own reference and token."""
    return response.status_code, sorted(response.json()), sorted(response.headers)


def test_a_registered_passport_is_not_revealed_by_the_api(
    client: TestClient, session: Session
) -> None:
    holder = client.post(URL, json=household(member(document=KNOWN))).json()

    again = client.post(URL, json=household(member(given_name="Mallory", document=KNOWN)))
    fresh = client.post(
        URL, json=household(member(given_name="Mallory", document={"number": "U8"}))
    )

    assert again.status_code == 201
    assert shape(again) == shape(fresh)
    assert again.json()["status"] == fresh.json()["status"] == "registered"
    assert holder["reference"] not in again.text
    new_case = case(session, again.json()["reference"])
    assert new_case.possible_duplicate_of_id == case(session, holder["reference"]).id


def test_a_registered_passport_is_not_revealed_by_the_form(client: TestClient) -> None:
    known = person(document_number="U7000007")
    registered(client, known)

    def answer(member_fields: dict[str, str]) -> Any:
        data = form_data(member_fields, email="mallory@example.org")
        return client.post("/register", data=data, headers=HTML, follow_redirects=False)

    again, fresh = answer(known), answer(person())

    assert again.status_code == fresh.status_code == 303
    welcome = r"^/r/[A-Z0-9]{4}-[A-Z0-9]{4}\?t=[\w-]+&welcome=1$"
    assert re.match(welcome, again.headers["location"])
    assert re.match(welcome, fresh.headers["location"])
    pages = [client.get(answer.headers["location"]) for answer in (again, fresh)]
    assert [page.status_code for page in pages] == [200, 200]
    assert "already registered" not in pages[0].text


def test_the_case_holding_a_reused_document_is_told_once_a_day(
    client: TestClient, session: Session
) -> None:
    holder = client.post(URL, json=household(member(document=KNOWN), contact={"language": "fr"}))
    holding = case(session, holder.json()["reference"])
    for name in ("Mallory", "Eve"):
        client.post(URL, json=household(member(given_name=name, document=KNOWN)))

    assert messages_to(session, holding) == [
        ("confirmation", "email"),
        ("confirmation_sms", "sms"),
        ("document_reused", "email"),
        ("document_reused_sms", "sms"),
    ]
    notice = session.exec(
        select(OutboxMessage).where(OutboxMessage.template == "document_reused")
    ).one()
    assert notice.language == "fr" and holding.reference in notice.subject
    assert "Mallory" not in notice.body and "Eve" not in notice.body


def test_the_reused_document_stays_with_the_case_holding_it(
    client: TestClient, session: Session
) -> None:
    holder = client.post(URL, json=household(member(document=KNOWN))).json()
    again = client.post(URL, json=household(member(given_name="Mallory", document=KNOWN))).json()

    people = session.exec(select(Person).where(Person.document_number == KNOWN["number"])).all()
    assert sorted((p.registration.reference, p.is_active) for p in people) == sorted(
        [(holder["reference"], True), (again["reference"], False)]
    )


def test_officers_see_the_possible_duplicate_on_the_case_page(
    client: TestClient, session: Session, coordinator: str
) -> None:
    holder = client.post(URL, json=household(member(document=KNOWN))).json()
    again = client.post(URL, json=household(member(given_name="Mallory", document=KNOWN))).json()

    sign_in(client, coordinator)
    page = client.get(f"/staff/cases/{again['reference']}")

    assert page.status_code == 200
    assert "Possible duplicate" in page.text
    assert f'href="/staff/cases/{holder["reference"]}"' in page.text
    assert "Held by another case" in page.text


def test_adding_a_registered_document_on_the_private_page_gets_the_normal_answer(
    client: TestClient, session: Session
) -> None:
    holder = client.post(URL, json=household(member(document=KNOWN))).json()
    reference, token = registered(client, person(given_name="Mallory"))
    added = {
        "given_name": "Ayşe",
        "family_name": "Yılmaz",
        "date_of_birth": "1984-05-12",
        "sex": "F",
        "nationality": "TR",
        "document_type": "P",
        "document_number": KNOWN["number"],
        "document_country": "TR",
        "medical_urgency": "none",
    }
    fields = {f"members-0-{name}": value for name, value in added.items()}

    response = post(
        client, f"/r/{reference}/members/new", {"t": token, "row_version": "1"} | fields
    )

    assert response.status_code == 303
    assert response.headers["location"].endswith("&saved=member_added")
    mine, theirs = case(session, reference), case(session, holder["reference"])
    assert [p.is_active for p in mine.members] == [True, False]
    assert mine.possible_duplicate_of_id == theirs.id
    assert ("document_reused", "email") in messages_to(session, theirs)
