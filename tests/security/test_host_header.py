"""A forged Host header never ends up in a link, and hosts outside the list are refused.

Every link evac sends or shows starts at EVAC_PUBLIC_URL; the app answers only
the Host headers of EVAC_ALLOWED_HOSTS (by default the public URL's host, plus
the loopback names outside production).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session, select

from evac.app import create_app
from evac.db import get_session
from evac.notifications.models import OutboxMessage
from evac.settings import Mode, Settings, get_settings
from tests.factories import member, registration_payload
from tests.registration.test_form import HTML, form_data

PUBLIC = "https://evac.example.org"
EVIL = "evil.example"


@pytest.fixture
def any_host(session: Session) -> Iterator[TestClient]:
    """An app that answers every Host header: links must still use the public URL."""
    settings = get_settings().model_copy(update={"public_url": PUBLIC, "allowed_hosts": ("*",)})
    application = create_app(settings)
    application.dependency_overrides[get_session] = lambda: session
    with TestClient(application, base_url=f"http://{EVIL}") as test_client:
        yield test_client


def _links(session: Session, channel: str = "email") -> list[str]:
    emails = select(OutboxMessage).where(OutboxMessage.channel == channel)
    bodies = [message.body for message in session.exec(emails).all()]
    return [word for body in bodies for word in body.split() if "/r/" in word]


def _register_by_api(client: TestClient) -> str:
    payload = registration_payload(members=[member()])
    response = client.post("/api/v1/registrations", json=payload)
    assert response.status_code == 201, response.text
    return response.json()["reference"]


def test_the_confirmation_link_uses_the_public_url_whatever_the_host(
    any_host: TestClient, session: Session
) -> None:
    _register_by_api(any_host)
    (link,) = _links(session)
    assert link.startswith(f"{PUBLIC}/r/") and EVIL not in link
    (sms_link,) = _links(session, "sms")
    assert sms_link == link


def test_the_form_welcome_page_and_email_use_the_public_url_whatever_the_host(
    any_host: TestClient, session: Session
) -> None:
    response = any_host.post("/register", data=form_data(), headers=HTML)
    assert response.status_code == 200, response.text
    assert f'href="{PUBLIC}/r/' in response.text and EVIL not in response.text
    (link,) = _links(session)
    assert link.startswith(f"{PUBLIC}/r/")


def test_a_lost_link_email_points_at_the_public_url_whatever_the_host(
    any_host: TestClient, session: Session
) -> None:
    reference = _register_by_api(any_host)
    sent = any_host.post("/r/lost", data={"reference": reference, "email": "a@example.org"})
    assert sent.status_code == 200
    links = _links(session)
    assert len(links) == 2
    assert all(link.startswith(f"{PUBLIC}/r/") and EVIL not in link for link in links)


def test_a_host_outside_the_allowed_hosts_is_refused(client: TestClient, session: Session) -> None:
    reference = _register_by_api(client)
    refused = client.post(
        "/r/lost",
        data={"reference": reference, "email": "a@example.org"},
        headers={"host": EVIL},
    )
    assert refused.status_code == 400
    assert client.get("/", headers={"host": f"{EVIL}:8000"}).status_code == 400
    assert len(_links(session)) == 1


def test_the_public_host_and_in_development_the_loopback_names_are_allowed(
    client: TestClient,
) -> None:
    for host in ("testserver", "127.0.0.1:8000", "localhost", "[::1]:8000"):
        assert client.get("/healthz", headers={"host": host}).status_code == 200, host


@pytest.mark.parametrize(
    ("mode", "allowed", "trusted"),
    [
        (Mode.production, "", ("evac.example.org",)),
        (Mode.demo, "", ("evac.example.org", "127.0.0.1", "localhost", "[::1]")),
        (Mode.development, "", ("evac.example.org", "127.0.0.1", "localhost", "[::1]")),
        (Mode.production, "a.example, *.b.example", ("a.example", "*.b.example")),
    ],
)
def test_allowed_hosts_default_to_the_public_url_host(
    monkeypatch: pytest.MonkeyPatch, mode: Mode, allowed: str, trusted: tuple[str, ...]
) -> None:
    monkeypatch.setenv("EVAC_ALLOWED_HOSTS", allowed)
    settings = Settings(mode=mode, public_url=f"{PUBLIC}/")
    assert settings.trusted_hosts == trusted
    assert settings.public_url == PUBLIC


@pytest.mark.parametrize("allowed", ["evil.*", "a*.example"])
def test_a_malformed_allowed_host_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, allowed: str
) -> None:
    monkeypatch.setenv("EVAC_ALLOWED_HOSTS", allowed)
    with pytest.raises(ValidationError, match="EVAC_ALLOWED_HOSTS"):
        Settings()


def test_a_public_url_without_a_host_is_refused_at_start() -> None:
    with pytest.raises(ValidationError, match="EVAC_PUBLIC_URL"):
        Settings(public_url="evac.example.org")
