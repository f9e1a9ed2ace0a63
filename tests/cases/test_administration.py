"""Administrators manage staff accounts and missions through the UI."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.missions.models import Mission
from evac.staff.models import StaffSession, StaffUser
from tests.factories import csrf_token, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def test_admin_creates_an_officer_who_can_then_sign_in(client: TestClient) -> None:
    sign_in(client, "root")
    page = client.post(
        "/staff/admin/users",
        data={
            "username": "lyon",
            "password": "a-long-enough-password",
            "role": "officer",
            "missions": ["TR-EMB-PARIS"],
            "csrf_token": csrf_token(client, "/staff/admin"),
        },
    )
    assert "Account created." in page.text
    client.cookies.clear()
    sign_in(client, "lyon", "a-long-enough-password")
    assert client.get("/staff/cases").status_code == 200


def test_officer_without_a_mission_is_refused_with_the_values_kept(client: TestClient) -> None:
    sign_in(client, "root")
    page = client.post(
        "/staff/admin/users",
        data={
            "username": "nomission",
            "password": "a-long-enough-password",
            "role": "officer",
            "csrf_token": csrf_token(client, "/staff/admin"),
        },
    )
    assert page.status_code == 422
    assert "An officer must belong to at least one mission" in page.text
    assert 'value="nomission"' in page.text


def test_deactivating_an_account_ends_its_sessions(client: TestClient, session: Session) -> None:
    sign_in(client, "berlin")
    client.cookies.clear()
    berlin = session.exec(select(StaffUser).where(StaffUser.username == "berlin")).one()
    assert session.exec(select(StaffSession).where(StaffSession.staff_user_id == berlin.id)).all()
    sign_in(client, "root")
    client.post(
        f"/staff/admin/users/{berlin.id}/active",
        data={
            "active": "false",
            "confirmed": "yes",
            "csrf_token": csrf_token(client, "/staff/admin"),
        },
    )
    assert not session.exec(
        select(StaffSession).where(StaffSession.staff_user_id == berlin.id)
    ).all()
    client.cookies.clear()
    refused = client.post(
        "/staff/login", data={"username": "berlin", "password": "correct horse battery staple"}
    )
    assert refused.status_code == 401


def test_admin_creates_a_mission_and_changes_its_countries(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "root")
    token = csrf_token(client, "/staff/admin")
    client.post(
        "/staff/admin/missions",
        data={
            "code": "TR-CG-LYON", "name": "Consulate General in Lyon", "kind": "consulate",
            "country": "FR", "city": "Lyon", "covers": "", "csrf_token": token,
        },
    )  # fmt: skip
    client.post(
        "/staff/admin/missions/TR-CG-LYON/coverage", data={"covers": "fr mc", "csrf_token": token}
    )
    lyon = session.exec(select(Mission).where(Mission.code == "TR-CG-LYON")).one()
    session.refresh(lyon)
    assert lyon.countries == ["FR", "MC"]
    actions = set(session.exec(select(AuditEvent.action)).all())
    assert {"mission.create", "mission.coverage"} <= actions


def test_unknown_country_codes_are_named_in_the_error(client: TestClient) -> None:
    sign_in(client, "root")
    page = client.post(
        "/staff/admin/missions/TR-EMB-PARIS/coverage",
        data={"covers": "FR QQ", "csrf_token": csrf_token(client, "/staff/admin")},
    )
    assert page.status_code == 422
    assert "Unknown country codes: QQ." in page.text


def test_officers_cannot_reach_administration(client: TestClient) -> None:
    sign_in(client, "berlin")
    assert client.get("/staff/admin").status_code == 403
