"""Staff sign in with a password, are throttled when guessing, and sign out."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.staff.auth import SESSION_COOKIE
from evac.staff.models import StaffSession
from tests.factories import csrf_token, sign_in


@pytest.mark.usefixtures("missions")
def test_officer_signs_in_and_lands_on_the_case_list(client: TestClient) -> None:
    sign_in(client, "berlin")
    page = client.get("/staff/cases")
    assert page.status_code == 200
    assert "berlin" in page.text


def test_session_cookie_is_signed_httponly_and_lax(client: TestClient, missions: None) -> None:
    response = client.post(
        "/staff/login",
        data={"username": "berlin", "password": "correct horse battery staple"},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{SESSION_COOKIE}=")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


def test_pages_need_a_session(client: TestClient) -> None:
    response = client.get("/staff/cases", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/login?next=")


def test_forged_cookie_is_not_a_session(client: TestClient, missions: None) -> None:
    client.cookies.set(SESSION_COOKIE, "forged.value")
    assert client.get("/staff/cases", follow_redirects=False).status_code == 303


@pytest.mark.usefixtures("missions")
def test_wrong_password_is_refused_without_saying_which_part_is_wrong(client: TestClient) -> None:
    wrong = client.post("/staff/login", data={"username": "berlin", "password": "nope"})
    unknown = client.post("/staff/login", data={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "The username or the password is wrong." in wrong.text
    assert "The username or the password is wrong." in unknown.text


@pytest.mark.usefixtures("missions")
def test_repeated_failures_lock_the_account_even_with_the_right_password(
    client: TestClient,
) -> None:
    for _ in range(5):
        client.post("/staff/login", data={"username": "berlin", "password": "guess"})
    locked = client.post(
        "/staff/login", data={"username": "berlin", "password": "correct horse battery staple"}
    )
    assert locked.status_code == 429
    assert int(locked.headers["retry-after"]) > 0


@pytest.mark.usefixtures("missions")
def test_many_failures_from_one_address_are_throttled_across_accounts(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evac.settings import get_settings

    monkeypatch.setattr(get_settings(), "login_max_failures_per_ip", 3)
    for name in ("a1", "a2", "a3"):
        client.post("/staff/login", data={"username": name, "password": "guess"})
    blocked = client.post(
        "/staff/login", data={"username": "paris", "password": "correct horse battery staple"}
    )
    assert blocked.status_code == 429


@pytest.mark.usefixtures("missions")
def test_sign_out_ends_the_session_in_the_database(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    assert session.exec(select(StaffSession)).all()
    client.post("/staff/logout", data={"csrf_token": csrf_token(client)})
    assert session.exec(select(StaffSession)).all() == []
    assert client.get("/staff/cases", follow_redirects=False).status_code == 303


@pytest.mark.usefixtures("missions")
def test_sign_out_without_the_csrf_token_is_rejected(client: TestClient) -> None:
    sign_in(client, "center")
    assert client.post("/staff/logout", data={}).status_code == 403
    assert client.get("/staff/cases").status_code == 200


@pytest.mark.usefixtures("missions")
def test_sign_in_is_audited(client: TestClient, session: Session) -> None:
    sign_in(client, "paris")
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.actor == "staff:paris")).all()
    assert "staff.sign_in" in actions


@pytest.mark.usefixtures("missions")
def test_next_parameter_cannot_send_staff_to_another_site(client: TestClient) -> None:
    response = client.post(
        "/staff/login",
        data={
            "username": "center",
            "password": "correct horse battery staple",
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/staff"


@pytest.mark.usefixtures("missions")
def test_each_role_lands_on_its_own_workspace_after_sign_in(client: TestClient) -> None:
    sign_in(client, "root")
    assert client.get("/staff").url.path == "/staff/admin"
    client.cookies.clear()
    sign_in(client, "berlin")
    assert client.get("/staff").url.path == "/staff/today"
