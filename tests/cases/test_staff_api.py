"""Scripts use the staff API with a personal token, scoped like the pages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.staff.models import ApiToken
from tests.factories import csrf_token, make_case, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def _token_for(client: TestClient, username: str) -> str:
    sign_in(client, username)
    page = client.post(
        "/staff/tokens",
        data={"name": "script", "csrf_token": csrf_token(client, "/staff/tokens")},
    )
    assert page.status_code == 201
    start = page.text.index('id="new-token">') + len('id="new-token">')
    token = page.text[start : page.text.index("<", start)]
    client.cookies.clear()
    return token


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_token_is_shown_once_and_stored_hashed(client: TestClient, session: Session) -> None:
    token = _token_for(client, "berlin")
    stored = session.exec(select(ApiToken)).one()
    assert token.startswith("evac_") and token not in stored.token_hash


def test_officer_lists_only_their_missions_cases_by_api(
    client: TestClient, session: Session
) -> None:
    german, french = make_case(session, "DE"), make_case(session, "FR")
    token = _token_for(client, "berlin")
    listing = client.get("/api/v1/cases", headers=_auth(token)).json()
    assert [item["reference"] for item in listing["items"]] == [german.reference]
    assert client.get(f"/api/v1/cases/{french.reference}", headers=_auth(token)).status_code == 404
    refused = client.post(
        f"/api/v1/cases/{french.reference}/transitions",
        json={"to": "verified"},
        headers=_auth(token),
    )
    assert refused.status_code == 404


def test_api_transition_and_patch_with_row_version(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE")
    token = _token_for(client, "berlin")
    moved = client.post(
        f"/api/v1/cases/{case.reference}/transitions", json={"to": "verified"}, headers=_auth(token)
    )
    assert moved.status_code == 200 and moved.json()["status"] == "verified"
    version = moved.json()["row_version"]
    patched = client.patch(
        f"/api/v1/cases/{case.reference}",
        json={"row_version": version, "city": "Potsdam", "phone": "0331 2890"},
        headers=_auth(token),
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["city"] == "Potsdam" and patched.json()["phone"] == "+493312890"
    stale = client.patch(
        f"/api/v1/cases/{case.reference}",
        json={"row_version": version, "city": "Bonn"},
        headers=_auth(token),
    )
    assert stale.status_code == 409
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "case.update")).one()


def test_forbidden_transition_by_api_says_why(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE")
    token = _token_for(client, "berlin")
    response = client.post(
        f"/api/v1/cases/{case.reference}/transitions", json={"to": "arrived"}, headers=_auth(token)
    )
    assert response.status_code == 409
    assert response.json()["detail"] == "This status cannot follow the current one."


def test_revoked_token_and_cookie_sessions_cannot_use_the_api(
    client: TestClient, session: Session
) -> None:
    token = _token_for(client, "center")
    assert client.get("/api/v1/cases", headers=_auth(token)).status_code == 200
    sign_in(client, "center")
    assert client.get("/api/v1/cases").status_code == 401  # the cookie alone is not enough
    token_id = session.exec(select(ApiToken.id)).one()
    client.post(
        f"/staff/tokens/{token_id}/revoke",
        data={"csrf_token": csrf_token(client, "/staff/tokens")},
    )
    client.cookies.clear()
    assert client.get("/api/v1/cases", headers=_auth(token)).status_code == 401
