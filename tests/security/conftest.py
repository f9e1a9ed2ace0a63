"""Fixtures for the security tests: a coordinator with an API token, a case."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import csrf_token, make_mission, make_staff, sign_in

COORDINATOR = "center"


@pytest.fixture
def coordinator(session: Session) -> str:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, COORDINATOR, Role.coordinator)
    return COORDINATOR


def new_api_token(client: TestClient, username: str) -> str:
    """Sign in, create a personal API token on its page, sign out of the browser session."""
    sign_in(client, username)
    page = client.post(
        "/staff/tokens",
        data={"name": "fuzz", "csrf_token": csrf_token(client, "/staff/tokens")},
    )
    assert page.status_code == 201
    start = page.text.index('id="new-token">') + len('id="new-token">')
    token = page.text[start : page.text.index("<", start)]
    client.cookies.clear()
    return token
