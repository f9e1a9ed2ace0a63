"""Staff are told plainly when messages cannot leave: no email server, no SMS gateway."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.notifications.delivery import NO_EMAIL, NO_SMS, delivery
from evac.notifications.service import enqueue
from evac.settings import get_settings
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, sign_in
from tests.notifications.test_broadcasts import draft, preview

NOT_GOING_OUT = "Messages are not going out: no email server is configured."


@pytest.fixture
def nothing_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EVAC_SMTP_URL", "")
    monkeypatch.setenv("EVAC_SMS_WEBHOOK_URL", "")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def everything_configured(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EVAC_SMTP_URL", "smtp://127.0.0.1:2525")
    monkeypatch.setenv("EVAC_SMS_WEBHOOK_URL", "http://127.0.0.1:9/sms")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def people(session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])


@pytest.mark.usefixtures("nothing_configured")
def test_delivery_says_what_cannot_leave() -> None:
    state = delivery()
    assert state.problems == [NO_EMAIL, NO_SMS]
    assert not state.goes_out("email") and not state.goes_out("sms")


@pytest.mark.usefixtures("people", "nothing_configured")
def test_officer_sees_in_the_outbox_that_messages_are_not_going_out(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE")
    enqueue(session, registration=case, template="confirmation", context={"link": "x"})
    session.commit()
    sign_in(client, "berlin")
    page = client.get("/staff/outbox")
    assert NOT_GOING_OUT in page.text
    assert "Not going out" in page.text


@pytest.mark.usefixtures("people", "nothing_configured")
def test_coordinator_sees_it_on_the_dashboard_and_when_broadcasting(
    client: TestClient, session: Session
) -> None:
    make_case(session, "DE")
    sign_in(client, "center")
    assert NOT_GOING_OUT in client.get("/staff/dashboard").text
    assert NOT_GOING_OUT in client.get("/staff/broadcasts").text
    _text, fingerprint = preview(client, draft(client))
    sent = client.post("/staff/broadcasts", data=draft(client) | {"fingerprint": fingerprint})
    flashed = sent.text.split('class="flash ', 1)[1]
    assert flashed.startswith("warning") and NOT_GOING_OUT in flashed


@pytest.mark.usefixtures("people", "everything_configured")
def test_nothing_is_said_when_messages_can_leave(client: TestClient) -> None:
    sign_in(client, "center")
    assert 'id="not-going-out"' not in client.get("/staff/dashboard").text
    assert 'id="not-going-out"' not in client.get("/staff/broadcasts").text
