"""The private case page: what a registrant sees and may change with their link."""

from __future__ import annotations

import re
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.notifications.models import OutboxMessage
from evac.registration.models import CaseStatus, Person, Registration
from tests.registration.test_form import HTML, count, form_data, person, register


def registered(client: TestClient, *members: dict[str, str], **changes: str) -> tuple[str, str]:
    """Register through the form; the reference and the private token."""
    response = register(client, form_data(*members, **changes))
    assert response.status_code == 303, response.text
    match = re.match(r"^/r/([A-Z0-9-]+)\?t=([\w-]+)", response.headers["location"])
    assert match
    return match.group(1), match.group(2)


def case_of(session: Session, reference: str) -> Registration:
    session.expire_all()
    return session.exec(select(Registration).where(Registration.reference == reference)).one()


def post(client: TestClient, path: str, data: dict[str, Any]) -> Any:
    return client.post(path, data=data, headers=HTML, follow_redirects=False)


def events(session: Session, reference: str) -> list[str]:
    rows = session.exec(select(AuditEvent).where(AuditEvent.subject_id == reference)).all()
    return [row.action for row in rows]


def test_the_private_page_shows_the_case_in_plain_words(client: TestClient) -> None:
    reference, token = registered(client, person(), person(1, given_name="Omar", nationality="SY"))
    page = client.get(f"/r/{reference}", params={"t": token})
    assert page.status_code == 200
    assert reference in page.text
    assert "Registered" in page.text
    assert "Your mission will check your details." in page.text
    assert "Ayşe Yılmaz" in page.text and "Omar Yılmaz" in page.text
    assert "Syria" in page.text
    assert "+49 30 1234567" in page.text
    assert page.headers["cache-control"] == "no-store"
    assert page.headers["referrer-policy"] == "no-referrer"


def test_the_confirmation_shows_the_reference_qr_code_and_private_link(client: TestClient) -> None:
    reference, token = registered(client)
    page = client.get(f"/r/{reference}", params={"t": token, "welcome": "1"})
    assert "Registration complete" in page.text
    assert '<svg width="' in page.text and 'class="segno"' in page.text
    assert f"http://testserver/r/{reference}?t={token}" in page.text
    assert "What happens next" in page.text


def test_a_wrong_or_missing_token_is_the_same_404_as_an_unknown_case(client: TestClient) -> None:
    reference, token = registered(client)
    wrong = client.get(f"/r/{reference}", params={"t": token[:-2] + "xx"})
    missing = client.get(f"/r/{reference}")
    unknown = client.get("/r/ABCD-EFGH", params={"t": token})
    assert wrong.status_code == missing.status_code == unknown.status_code == 404
    assert wrong.text == missing.text == unknown.text
    assert reference not in wrong.text
    assert client.get(f"/r/{reference}/contact", params={"t": "nope"}).status_code == 404
    assert post(client, f"/r/{reference}/withdraw", {"row_version": "1"}).status_code == 404


def test_language_links_keep_the_private_token(client: TestClient) -> None:
    reference, token = registered(client)
    page = client.get(f"/r/{reference}", params={"t": token})
    assert f'href="?t={token}&amp;lang=ar"' in page.text


def test_the_registrant_changes_the_contact_details(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    form = client.get(f"/r/{reference}/contact", params={"t": token})
    assert 'value="+49301234567"' in form.text
    data = {
        "t": token,
        "row_version": "1",
        "phone": "+49 151 23456789",
        "email": "",
        "language": "ar",
    }
    response = post(client, f"/r/{reference}/contact", data)
    assert response.status_code == 303
    assert response.headers["location"] == f"/r/{reference}?t={token}&saved=contact"
    registration = case_of(session, reference)
    assert (registration.phone, registration.email, registration.language) == (
        "+4915123456789",
        None,
        "ar",
    )
    assert registration.row_version == 2
    assert "registration.contact_update" in events(session, reference)
    assert "Your contact details are saved." in client.get(response.headers["location"]).text


def test_an_invalid_phone_is_refused_and_the_typed_values_kept(client: TestClient) -> None:
    reference, token = registered(client)
    data = {"t": token, "row_version": "1", "phone": "12", "email": "new@example.com"}
    page = post(client, f"/r/{reference}/contact", data | {"language": "fr"})
    assert page.status_code == 422
    assert 'id="phone-error"' in page.text
    assert 'value="new@example.com"' in page.text


def test_two_edits_at_once_give_a_conflict_not_an_overwrite(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client)
    first = {"t": token, "row_version": "1", "phone": "+49 151 11111111", "language": "tr"}
    second = first | {"phone": "+49 151 22222222"}
    assert post(client, f"/r/{reference}/contact", first).status_code == 303
    page = post(client, f"/r/{reference}/contact", second)
    assert page.status_code == 409
    assert "Someone changed this case while you were editing it" in page.text
    assert 'value="+49 151 22222222"' in page.text  # what was typed is still there
    assert 'name="row_version" value="2"' in page.text
    assert case_of(session, reference).phone == "+4915111111111"


def test_the_registrant_changes_the_location(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    data = {"t": token, "row_version": "1", "country": "FR", "city": "Lyon", "address": ""}
    response = post(client, f"/r/{reference}/location", data)
    assert response.status_code == 303
    registration = case_of(session, reference)
    assert (registration.country, registration.city, registration.address) == ("FR", "Lyon", None)
    assert registration.latitude is not None and 45 < registration.latitude < 46
    assert "registration.location_update" in events(session, reference)


def test_the_registrant_adds_a_member(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    assert "members-0-given_name" in client.get(f"/r/{reference}/members/new?t={token}").text
    new = person(given_name="Can", sex="M", date_of_birth="2015-01-02")
    response = post(client, f"/r/{reference}/members/new", {"t": token, "row_version": "1"} | new)
    assert response.status_code == 303
    registration = case_of(session, reference)
    assert [(p.position, p.given_name) for p in registration.members] == [(0, "Ayşe"), (1, "Can")]
    assert registration.people_count == 2
    assert "registration.member_add" in events(session, reference)


def test_a_member_with_a_malformed_date_is_not_added(client: TestClient) -> None:
    reference, token = registered(client)
    new = person(given_name="Can", date_of_birth="2015-13-45")
    page = post(client, f"/r/{reference}/members/new", {"t": token, "row_version": "1"} | new)
    assert page.status_code == 422
    assert 'id="members-0-date_of_birth-error"' in page.text
    assert 'value="Can"' in page.text


def test_the_registrant_removes_a_member_after_confirming(
    client: TestClient, session: Session
) -> None:
    reference, token = registered(client, person(), person(1, given_name="Can"))
    confirm = client.get(f"/r/{reference}/members/1/remove", params={"t": token})
    assert confirm.status_code == 200 and "Can Yılmaz" in confirm.text
    response = post(client, f"/r/{reference}/members/1/remove", {"t": token, "row_version": "1"})
    assert response.status_code == 303
    registration = case_of(session, reference)
    assert [p.given_name for p in registration.members] == ["Ayşe"]
    assert registration.people_count == 1
    assert count(session, Person) == 1
    last = post(client, f"/r/{reference}/members/0/remove", {"t": token, "row_version": "2"})
    assert last.status_code == 422
    assert "withdraw" in last.text


def test_the_registrant_withdraws_after_confirming(client: TestClient, session: Session) -> None:
    member = person()
    reference, token = registered(client, member)
    confirm = client.get(f"/r/{reference}/withdraw", params={"t": token})
    assert "Yes, withdraw my registration" in confirm.text
    response = post(client, f"/r/{reference}/withdraw", {"t": token, "row_version": "1"})
    assert response.status_code == 303
    registration = case_of(session, reference)
    assert registration.status == CaseStatus.withdrawn
    assert not any(p.is_active for p in registration.members)
    assert "case.withdraw" in events(session, reference)
    page = client.get(response.headers["location"])
    assert (
        "Withdrawn" in page.text and "/withdraw?" not in page.text and "/contact?" not in page.text
    )
    # The travel documents are free again: the household can register anew.
    assert register(client, form_data(member)).status_code == 303


def test_once_on_a_flight_only_the_contact_can_change(client: TestClient, session: Session) -> None:
    reference, token = registered(client)
    registration = case_of(session, reference)
    registration.status = CaseStatus.assigned
    session.add(registration)
    session.commit()
    page = client.get(f"/r/{reference}", params={"t": token})
    assert "/members/new?" not in page.text and "/location?" not in page.text
    assert "/contact?" in page.text
    data = {"t": token, "row_version": "1", "country": "FR", "city": "Lyon"}
    refused = post(client, f"/r/{reference}/location", data)
    assert refused.status_code == 409
    assert "a flight is being arranged" in refused.text
    assert case_of(session, reference).country == "DE"


def lost_links(session: Session) -> list[OutboxMessage]:
    """The lost-link emails queued (registering queues a confirmation too)."""
    return list(session.exec(select(OutboxMessage).where(OutboxMessage.template == "lost_link")))


def test_a_lost_link_is_sent_to_the_registered_email_only(
    client: TestClient, session: Session
) -> None:
    reference, old_token = registered(client, language="fr")
    neutral = "If the reference code and the email address or phone number match a registration"
    for wrong in ({"reference": "ABCD-EFGH"}, {"email": "other@example.com"}):
        page = post(
            client, "/r/lost", {"reference": reference, "email": "ayse@example.com"} | wrong
        )
        assert page.status_code == 200 and neutral in page.text
    assert len(lost_links(session)) == 0

    page = post(client, "/r/lost", {"reference": reference.lower(), "email": "AYSE@example.com"})
    assert page.status_code == 200 and neutral in page.text
    (message,) = lost_links(session)
    assert (message.channel, message.template, message.recipient) == (
        "email",
        "lost_link",
        "ayse@example.com",
    )
    assert message.language == "fr" and reference in message.subject
    new_link = re.search(r"http://testserver/r/\S+", message.body)
    assert new_link and old_token not in new_link.group(0)
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 200
    assert client.get(new_link.group(0)).status_code == 200
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 404
    assert "registration.link_reissue" in events(session, reference)
    # Asking again at once does not flood the mailbox nor replace the new link.
    post(client, "/r/lost", {"reference": reference, "email": "ayse@example.com"})
    assert len(lost_links(session)) == 1


def test_the_lost_link_form_asks_for_both_fields(client: TestClient) -> None:
    assert client.get("/r/lost").status_code == 200
    page = post(client, "/r/lost", {"reference": "", "email": ""})
    assert page.status_code == 422
    assert 'id="reference-error"' in page.text and 'id="email-error"' in page.text
