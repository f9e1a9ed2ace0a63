"""An idempotency key replays only the registration it was first sent with (issue #15, 1).

A key alone proves nothing: a second client that sends someone else's key with
its own body must get neither their reference nor their private token.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.db import utcnow
from evac.registration.models import IdempotencyRecord, Registration
from tests.registration import household, member
from tests.registration.test_form import FORM_TOKEN, HTML, form_data, person

URL = "/api/v1/registrations"
KEY = {"Idempotency-Key": "5b7c8c1e-0f6a-4d3b-9f63-2f7c2f1e9a10"}


def registrations(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Registration)).one()


def test_idempotency_replay_with_another_body_gets_no_token(
    client: TestClient, session: Session
) -> None:
    first = client.post(URL, json=household(member(document={"number": "U1000001"})), headers=KEY)
    assert first.status_code == 201
    theirs = first.json()

    other = household(member(given_name="Mallory", document={"number": "U2000002"}))
    refused = client.post(URL, json=other, headers=KEY)

    assert refused.status_code == 409
    assert refused.json()["code"] == "idempotency_key_reused"
    assert "different details" in refused.json()["detail"]
    assert "access_token" not in refused.json()
    assert theirs["access_token"] not in refused.text
    assert theirs["reference"] not in refused.text
    assert "idempotent-replayed" not in refused.headers
    assert registrations(session) == 1


def test_idempotency_replay_of_the_same_content_written_otherwise_gets_the_same_answer(
    client: TestClient,
) -> None:
    body = household(member(document={"number": "U1000001"}))
    first = client.post(URL, json=body, headers=KEY)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=3)
    again = client.post(URL, content=reordered, headers=KEY | {"Content-Type": "application/json"})
    assert again.status_code == 201
    assert again.headers["idempotent-replayed"] == "true"
    assert again.json() == first.json()


def test_an_idempotency_key_older_than_a_day_registers_anew(
    client: TestClient, session: Session
) -> None:
    client.post(URL, json=household(member(document={"number": "U1000001"})), headers=KEY)
    record = session.exec(select(IdempotencyRecord)).one()
    record.created_at = utcnow() - timedelta(days=2)
    session.commit()

    later = client.post(URL, json=household(member(document={"number": "U3000003"})), headers=KEY)

    assert later.status_code == 201 and "idempotent-replayed" not in later.headers
    assert registrations(session) == 2


def test_the_reused_key_answer_is_described_in_openapi(client: TestClient) -> None:
    create = client.get("/openapi.json").json()["paths"][URL]["post"]
    conflict = create["responses"]["409"]
    assert "Idempotency-Key" in conflict["description"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/ProblemOut")


def test_form_token_reused_with_another_body_gets_no_link(
    client: TestClient, session: Session
) -> None:
    token = "shared-token-0123456789abcdefghij"
    first = client.post(
        "/register", data=form_data(person(), token=token), headers=HTML, follow_redirects=False
    )
    assert first.status_code == 303
    their_link = first.headers["location"]

    other = form_data(person(given_name="Mallory", family_name="Kaya"), token=token)
    page = client.post("/register", data=other, headers=HTML, follow_redirects=False)

    assert page.status_code == 409
    assert "location" not in page.headers
    assert their_link.split("&")[0] not in page.text
    assert not re.search(r"/r/[A-Z0-9]{4}-[A-Z0-9]{4}", page.text)
    assert 'id="form-notice"' in page.text and 'value="Mallory"' in page.text
    new_token = FORM_TOKEN.search(page.text)
    assert new_token and new_token.group(1) != token
    assert registrations(session) == 1
