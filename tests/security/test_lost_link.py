"""Asking for a lost link reveals nothing, is limited per address, and cannot break
the registrant's working link (issue #15, 11)."""

from __future__ import annotations

import re

from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.notifications.models import OutboxMessage
from evac.registration.lost_link import ADDRESS_LIMIT
from evac.registration.models import CaseStatus
from tests.registration.test_case_page import case_of, events, post, registered

EMAIL = "ayse@example.com"  # the address tests.registration.test_form registers with


def ask(client: TestClient, reference: str, email: str = EMAIL) -> str:
    """Ask for a new link; the answer page."""
    page = post(client, "/r/lost", {"reference": reference, "email": email})
    assert page.status_code == 200, page.text
    return page.text


def sent_link(session: Session) -> str:
    (message,) = session.exec(select(OutboxMessage).where(OutboxMessage.template == "lost_link"))
    found = re.search(r"http://testserver(/r/\S+)", message.body)
    assert found
    return found.group(1)


def test_the_lost_link_answer_is_identical_for_match_and_non_match(
    client: TestClient, session: Session
) -> None:
    reference, _ = registered(client)
    answers = [
        post(client, "/r/lost", {"reference": reference, "email": EMAIL}),
        post(client, "/r/lost", {"reference": reference, "email": "other@example.com"}),
        post(client, "/r/lost", {"reference": "ABCD-EFGH", "email": EMAIL}),
        post(client, "/r/lost", {"reference": "not a reference", "email": "not an email"}),
    ]
    assert {answer.status_code for answer in answers} == {200}
    assert len({answer.text for answer in answers}) == 1
    assert reference not in answers[0].text
    queued = session.exec(select(OutboxMessage.id).where(OutboxMessage.template == "lost_link"))
    assert len(queued.all()) == 1


def test_the_lost_link_limit_refuses_the_request_past_it_per_address(
    app: FastAPI, client: TestClient
) -> None:
    reference, _ = registered(client)
    for _ in range(ADDRESS_LIMIT):
        ask(client, "ABCD-EFGH")

    refused = post(client, "/r/lost", {"reference": reference, "email": EMAIL})

    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 3600
    assert "Too many new links were asked for from your network" in refused.text
    assert f'value="{reference}"' in refused.text  # what was typed is kept
    with TestClient(app, client=("198.51.100.7", 50000)) as elsewhere:
        assert ask(elsewhere, reference)


def test_the_old_link_keeps_working_until_the_new_link_is_used(
    client: TestClient, session: Session
) -> None:
    reference, old_token = registered(client)
    ask(client, reference)
    new_link = sent_link(session)

    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 200
    assert client.get(new_link).status_code == 200
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 404
    assert client.get(new_link).status_code == 200
    assert events(session, reference)[-2:] == [
        "registration.link_reissue",
        "registration.link_activate",
    ]


def test_a_pending_link_does_not_reopen_a_closed_case(client: TestClient, session: Session) -> None:
    reference, old_token = registered(client)
    ask(client, reference)
    new_link = sent_link(session)
    closed = case_of(session, reference)
    closed.status = CaseStatus.withdrawn
    session.commit()

    assert client.get(new_link).status_code == 404
    assert client.get(f"/r/{reference}", params={"t": old_token}).status_code == 200
