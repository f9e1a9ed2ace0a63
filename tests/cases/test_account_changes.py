"""Administrators change an account's role and missions, see its state, deactivate it
and reset its password: each asked first, each audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.db import utcnow
from evac.staff.models import LoginAttempt, StaffUser
from tests.factories import csrf_token, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def _user(session: Session, username: str) -> StaffUser:
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
    session.refresh(user)
    return user


def _token(client: TestClient) -> str:
    return csrf_token(client, "/staff/admin")


def test_admin_finds_a_mission_in_the_list_without_javascript(
    client: TestClient, session: Session
) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    page = client.get(f"/staff/admin/users/{berlin.id}?q=paris")
    assert 'value="TR-EMB-PARIS"' in page.text
    assert 'type="checkbox" name="missions" value="TR-EMB-BERLIN"' not in page.text
    # The mission the account holds stays chosen though the search hides it.
    assert '<input type="hidden" name="missions" value="TR-EMB-BERLIN">' in page.text


def test_admin_changes_an_officers_missions_after_seeing_what_changes(
    client: TestClient, session: Session
) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    form = {"role": "officer", "missions": ["TR-EMB-PARIS"], "csrf_token": _token(client)}
    asked = client.post(f"/staff/admin/users/{berlin.id}", data=form)
    assert "Missions added:" in asked.text and "TR-EMB-PARIS" in asked.text
    assert "Missions removed:" in asked.text and "TR-EMB-BERLIN" in asked.text
    assert [link.mission_id for link in _user(session, "berlin").mission_links]
    done = client.post(f"/staff/admin/users/{berlin.id}", data={**form, "confirmed": "yes"})
    assert "Account saved." in done.text
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "staff.update")).one()
    assert event.before["missions"] == ["TR-EMB-BERLIN"]
    assert event.after == {"role": "officer", "missions": ["TR-EMB-PARIS"]}
    client.cookies.clear()
    sign_in(client, "berlin")
    countries = client.get("/staff/cases").text.split('id="country"')[1].split("</select>")[0]
    assert 'value="FR"' in countries and 'value="DE"' not in countries


def test_admin_makes_an_officer_a_coordinator(client: TestClient, session: Session) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    form = {"role": "coordinator", "confirmed": "yes", "csrf_token": _token(client)}
    client.post(f"/staff/admin/users/{berlin.id}", data=form)
    assert _user(session, "berlin").role == "coordinator"


def test_an_officer_without_missions_is_refused(client: TestClient, session: Session) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    form = {"role": "officer", "confirmed": "yes", "csrf_token": _token(client)}
    page = client.post(f"/staff/admin/users/{berlin.id}", data=form)
    assert "An officer must belong to at least one mission." in page.text
    assert _user(session, "berlin").mission_links


def test_admin_sees_each_accounts_state(client: TestClient, session: Session) -> None:
    paris = _user(session, "paris")
    paris.is_active = False
    session.add(LoginAttempt(username="berlin", ip="203.0.113.9", failures=9,
                             locked_until=utcnow() + timedelta(minutes=10)))  # fmt: skip
    session.commit()
    sign_in(client, "root")
    page = client.get("/staff/admin").text
    assert "Locked after failed sign-ins" in page and "Deactivated" in page and "Active" in page


def test_deactivating_asks_first_and_says_what_happens(
    client: TestClient, session: Session
) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    url = f"/staff/admin/users/{berlin.id}/active"
    asked = client.post(url, data={"active": "false", "csrf_token": _token(client)})
    assert "will be signed out everywhere and can no longer sign in" in asked.text
    assert _user(session, "berlin").is_active
    client.post(url, data={"active": "false", "confirmed": "yes", "csrf_token": _token(client)})
    assert not _user(session, "berlin").is_active


def test_resetting_a_password_asks_first(client: TestClient, session: Session) -> None:
    berlin = _user(session, "berlin")
    sign_in(client, "root")
    url = f"/staff/admin/users/{berlin.id}/password"
    asked = client.post(url, data={"csrf_token": _token(client)})
    assert "must choose a new password at the next sign-in" in asked.text
    assert 'name="password"' in asked.text
    assert not _user(session, "berlin").must_change_password
    done = client.post(url, data={"confirmed": "yes", "csrf_token": _token(client)})
    assert 'id="one-time-password"' in done.text
    assert _user(session, "berlin").must_change_password
