"""A personal API token works on /api/ only: the staff pages need the session
cookie and its CSRF token, so a leaked token cannot mint more tokens or accounts."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.staff.models import ApiToken, Role, StaffUser
from tests.factories import make_staff
from tests.security.conftest import new_api_token


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _count(session: Session, model: type) -> int:
    return session.exec(select(func.count()).select_from(model)).one()


def test_api_token_cannot_create_tokens_on_the_staff_pages(
    client: TestClient, session: Session, coordinator: str
) -> None:
    token = new_api_token(client, coordinator)
    before = _count(session, ApiToken)
    response = client.post(
        "/staff/tokens", data={"name": "minted"}, headers=_bearer(token), follow_redirects=False
    )
    assert response.status_code in (401, 403)
    assert _count(session, ApiToken) == before
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200


def test_admin_api_token_cannot_create_accounts(client: TestClient, session: Session) -> None:
    make_staff(session, "root", Role.admin)
    token = new_api_token(client, "root")
    before = _count(session, StaffUser)
    response = client.post(
        "/staff/admin/users",
        data={"username": "intruder", "password": "an intruder's long password", "role": "admin"},
        headers=_bearer(token),
        follow_redirects=False,
    )
    assert response.status_code in (401, 403)
    assert _count(session, StaffUser) == before


def test_api_token_does_not_open_staff_pages(client: TestClient, coordinator: str) -> None:
    token = new_api_token(client, coordinator)
    response = client.get("/staff/tokens", headers=_bearer(token), follow_redirects=False)
    assert response.status_code == 401
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
