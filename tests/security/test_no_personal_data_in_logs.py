"""Nothing a registrant or an officer types as a secret or as personal data
reaches the logs, on any logger, at any level, in a whole journey."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from evac.logging_config import DropQueryStrings, protect_access_log
from tests.factories import PASSWORD, member, registration_payload, sign_in
from tests.registration.test_form import HTML, form_data, person

FORM_PASSPORT = "U7319004F"
API_PASSPORT = "U5520731"
# The test's own HTTP client logs full URLs on its side of the wire; not the server's logs.
CLIENT_SIDE = ("httpx", "httpx2", "httpcore")
EMAILS = ("zeynep.private@example.net", "mehmet.private@example.org")
PHONES = ("+49 30 9182 7364", "+33 1 84 88 27 19")


def _log_as_uvicorn_would(response: httpx.Response) -> None:
    """One uvicorn access-log line per request, with the full path and query."""
    url = response.request.url
    path = url.raw_path.decode("ascii")
    logging.getLogger("uvicorn.access").info(
        '%s - "%s %s HTTP/%s" %d',
        "198.51.100.4:50000",
        response.request.method,
        path,
        "1.1",
        response.status_code,
    )


def test_a_full_journey_logs_no_secret_and_no_personal_data(
    client: TestClient,
    coordinator: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    # A live uvicorn started earlier in this process (the browser tests) stops
    # its access logger from propagating; make sure caplog sees its lines.
    monkeypatch.setattr(logging.getLogger("uvicorn.access"), "propagate", True)
    caplog.set_level(logging.DEBUG, logger="uvicorn.access")
    protect_access_log()
    assert any(isinstance(f, DropQueryStrings) for f in logging.getLogger("uvicorn.access").filters)
    client.event_hooks["response"] = [_log_as_uvicorn_would]

    typed = form_data(
        person(0, document_number=FORM_PASSPORT, given_name="Zeynep"),
        email=EMAILS[0],
        phone=PHONES[0],
    )
    form_post = client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert form_post.status_code == 303
    private_link = form_post.headers["location"]
    form_token = parse_qs(urlsplit(private_link).query)["t"][0]
    assert client.get(private_link).status_code == 200

    payload = registration_payload("FR", members=[member("Mehmet", "Demir")])
    payload["members"][0]["document"]["number"] = API_PASSPORT  # type: ignore[index]
    payload["contact"] = {"phone": PHONES[1], "email": EMAILS[1]}
    created = client.post("/api/v1/registrations", json=payload)
    assert created.status_code == 201, created.text
    api_token = created.json()["access_token"]
    reference = created.json()["reference"]
    read = client.get(
        f"/api/v1/registrations/{reference}", headers={"Authorization": f"Bearer {api_token}"}
    )
    assert read.status_code == 200

    client.post("/staff/login", data={"username": coordinator, "password": "wrong-Passw0rd!"})
    sign_in(client, coordinator)
    for query in ("Zeynep", FORM_PASSPORT, EMAILS[1], PHONES[0]):
        assert client.get("/staff/cases", params={"q": query}).status_code == 200
    assert client.get(f"/staff/cases/{reference}").status_code == 200

    secrets = [
        FORM_PASSPORT,
        API_PASSPORT,
        form_token,
        api_token,
        PASSWORD,
        "wrong-Passw0rd!",
        *EMAILS,
        *PHONES,
        *(phone.replace(" ", "") for phone in PHONES),
    ]
    server_records = [r for r in caplog.records if r.name.split(".")[0] not in CLIENT_SIDE]
    assert server_records, "the journey should have logged something"
    logged = "\n".join(record.getMessage() for record in server_records)
    leaked = [secret for secret in secrets if secret in logged]
    assert not leaked, f"found in the logs: {leaked}"
