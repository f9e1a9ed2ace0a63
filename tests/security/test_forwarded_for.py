"""X-Forwarded-For is believed only from the proxies of EVAC_FORWARDED_ALLOW_IPS.

Rotating a forged header must not give a client a fresh address for the
per-address registration limit (nor the sign-in throttle, which reads the same
ASGI client address); from a named proxy the forwarded address is the client's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlmodel import Session

from evac import migrations
from evac.app import create_app
from evac.db import get_engine, get_session
from evac.settings import Settings, get_settings
from tests.factories import member, registration_payload
from tests.resilience.servers import app_server

# TestClient's peer address is this name; uvicorn's proxy list accepts it as a literal.
TEST_PEER = "testclient"


def _client(session: Session, proxies: tuple[str, ...]) -> TestClient:
    settings = get_settings().model_copy(
        update={"registration_rate_per_ip": 1, "forwarded_allow_ips": proxies}
    )
    application = create_app(settings)
    application.dependency_overrides[get_session] = lambda: session
    return TestClient(application)


def _register_from(client: httpx.Client | TestClient, forwarded_for: str) -> int:
    response = client.post(
        "/api/v1/registrations",
        json=registration_payload(members=[member()]),
        headers={"X-Forwarded-For": forwarded_for},
    )
    return response.status_code


@pytest.fixture
def untrusted(session: Session) -> Iterator[TestClient]:
    with _client(session, ()) as client:
        yield client


@pytest.fixture
def behind_proxy(session: Session) -> Iterator[TestClient]:
    with _client(session, (TEST_PEER,)) as client:
        yield client


def test_a_forged_forwarded_for_from_an_untrusted_peer_is_ignored(untrusted: TestClient) -> None:
    assert _register_from(untrusted, "203.0.113.1") == 201
    assert _register_from(untrusted, "203.0.113.2") == 429


def test_a_trusted_proxy_forwards_each_clients_own_address(behind_proxy: TestClient) -> None:
    assert _register_from(behind_proxy, "203.0.113.1") == 201
    assert _register_from(behind_proxy, "203.0.113.2") == 201
    assert _register_from(behind_proxy, "203.0.113.1") == 429


def test_a_trusted_proxy_forwards_the_scheme(
    behind_proxy: TestClient, untrusted: TestClient
) -> None:
    https = {"X-Forwarded-Proto": "https"}
    assert "strict-transport-security" in behind_proxy.get("/", headers=https).headers
    assert "strict-transport-security" not in untrusted.get("/", headers=https).headers


def test_forwarded_allow_ips_must_be_addresses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVAC_FORWARDED_ALLOW_IPS", "10.0.0.0/8, proxy.example")
    with pytest.raises(ValidationError, match="EVAC_FORWARDED_ALLOW_IPS"):
        Settings()


@pytest.mark.parametrize(
    ("args", "second"),
    [((), 429), (("--forwarded-allow-ips", "127.0.0.1"), 201)],
    ids=["no-proxy-named", "proxy-named"],
)
def test_evac_serve_believes_forwarded_for_only_from_named_proxies(
    fresh_database: str, tmp_path: Path, args: tuple[str, ...], second: int
) -> None:
    migrations.upgrade(get_engine())
    log = tmp_path / "serve.log"
    with app_server(
        fresh_database, log, args=args, EVAC_REGISTRATION_RATE_PER_IP="1"
    ) as server, httpx.Client(base_url=server.start(), timeout=30) as client:  # fmt: skip
        assert _register_from(client, "203.0.113.1") == 201
        assert _register_from(client, "203.0.113.2") == second
