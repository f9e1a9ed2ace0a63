"""Staff passwords resist guessing and can be changed or reset; API tokens
expire, and deactivating an account revokes them for good."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.db import utcnow
from evac.errors import InvalidInput
from evac.staff.models import ApiToken, Role, StaffSession, StaffUser
from evac.staff.service import create_staff_user
from tests.factories import PASSWORD, csrf_token, make_staff, sign_in
from tests.security.conftest import new_api_token

NEW_PASSWORD = "quiet lantern over the harbour"


@pytest.fixture
def accounts(session: Session) -> None:
    make_staff(session, "root", Role.admin)
    make_staff(session, "ayse", Role.coordinator)


def _user(session: Session, username: str) -> StaffUser:
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
    session.refresh(user)
    return user


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("password", ["aaaaaaaaaaaa", "password1234", "qwertyuiopasdf"])
def test_trivial_and_common_passwords_are_refused(session: Session, password: str) -> None:
    with pytest.raises(InvalidInput, match="too easy to guess"):
        create_staff_user(
            session, username="weak", password=password, role=Role.coordinator, actor="test"
        )


@pytest.mark.usefixtures("accounts")
def test_weak_password_is_refused_in_the_readers_language_with_the_values_kept(
    client: TestClient,
) -> None:
    sign_in(client, "root")
    client.cookies.set("evac_lang", "fr")
    page = client.post(
        "/staff/admin/users",
        data={
            "username": "mehmet",
            "password": "aaaaaaaaaaaa",
            "role": "coordinator",
            "csrf_token": csrf_token(client, "/staff/admin"),
        },
    )
    assert page.status_code == 422
    assert "trop facile à deviner" in page.text
    assert 'value="mehmet"' in page.text


@pytest.mark.usefixtures("accounts")
def test_signed_in_user_changes_their_password_and_their_other_sessions_end(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    other_browser = TestClient(app)
    sign_in(other_browser, "ayse")
    sign_in(client, "ayse")
    token = csrf_token(client, "/staff/password")
    wrong = client.post(
        "/staff/password",
        data={"current_password": "not it at all", "new_password": NEW_PASSWORD,
              "new_password_again": NEW_PASSWORD, "csrf_token": token},
    )  # fmt: skip
    assert wrong.status_code == 422 and "The current password is wrong." in wrong.text
    changed = client.post(
        "/staff/password",
        data={"current_password": PASSWORD, "new_password": NEW_PASSWORD,
              "new_password_again": NEW_PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert changed.status_code == 303
    assert "Your password was changed." in client.get(changed.headers["location"]).text
    assert client.get("/staff/cases", follow_redirects=False).status_code == 200
    assert other_browser.get("/staff/cases", follow_redirects=False).status_code == 303
    refused = client.post("/staff/login", data={"username": "ayse", "password": PASSWORD})
    assert refused.status_code == 401
    sign_in(client, "ayse", NEW_PASSWORD)


@pytest.mark.usefixtures("accounts")
def test_admin_reset_ends_the_users_sessions_and_forces_a_new_password(
    app: FastAPI, client: TestClient, session: Session
) -> None:
    ayse_browser = TestClient(app)
    sign_in(ayse_browser, "ayse")
    ayse = _user(session, "ayse")
    sign_in(client, "root")
    page = client.post(
        f"/staff/admin/users/{ayse.id}/password",
        data={
            "password": "",
            "confirmed": "yes",
            "csrf_token": csrf_token(client, "/staff/admin"),
        },
    )
    assert page.headers["cache-control"] == "no-store"
    marker = '<p><code class="ltr">'
    start = page.text.index(marker) + len(marker)
    one_time = page.text[start : page.text.index("<", start)]
    assert not session.exec(select(StaffSession).where(StaffSession.staff_user_id == ayse.id)).all()
    assert ayse_browser.get("/staff/cases", follow_redirects=False).status_code == 303

    ayse_browser.cookies.clear()
    sign_in(ayse_browser, "ayse", one_time)
    held = ayse_browser.get("/staff/cases", follow_redirects=False)
    assert held.headers["location"] == "/staff/password"
    ayse_browser.post(
        "/staff/password",
        data={"current_password": one_time, "new_password": NEW_PASSWORD,
              "new_password_again": NEW_PASSWORD,
              "csrf_token": csrf_token(ayse_browser, "/staff/password")},
    )  # fmt: skip
    assert ayse_browser.get("/staff/cases", follow_redirects=False).status_code == 200
    reset = session.exec(
        select(AuditEvent).where(AuditEvent.action == "staff.password_reset")
    ).one()
    assert reset.actor == "staff:root" and one_time not in str(reset.after)


@pytest.mark.usefixtures("accounts")
def test_deactivation_revokes_api_tokens_and_reactivation_does_not_revive_them(
    client: TestClient, session: Session
) -> None:
    token = new_api_token(client, "ayse")
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    ayse = _user(session, "ayse")
    sign_in(client, "root")
    for active in ("false", "true"):
        client.post(
            f"/staff/admin/users/{ayse.id}/active",
            data={
                "active": active,
                "confirmed": "yes",
                "csrf_token": csrf_token(client, "/staff/admin"),
            },
        )
    assert _user(session, "ayse").is_active
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401


@pytest.mark.usefixtures("accounts")
def test_api_tokens_expire(client: TestClient, session: Session) -> None:
    token = new_api_token(client, "ayse")
    stored = session.exec(select(ApiToken)).one()
    assert timedelta(days=89) < stored.expires_at - utcnow() <= timedelta(days=90)
    stored.expires_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401


@pytest.mark.usefixtures("accounts")
def test_token_lifetime_is_chosen_when_created_within_a_year(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "ayse")
    token = csrf_token(client, "/staff/tokens")
    too_long = client.post("/staff/tokens", data={"name": "n", "days": "400", "csrf_token": token})
    assert too_long.status_code == 422 and "A token lasts 1 to 365 days." in too_long.text
    assert 'value="400"' in too_long.text
    made = client.post("/staff/tokens", data={"name": "n", "days": "7", "csrf_token": token})
    assert made.status_code == 201
    stored = session.exec(select(ApiToken)).one()
    assert timedelta(days=6) < stored.expires_at - utcnow() <= timedelta(days=7)
