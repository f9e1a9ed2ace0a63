"""Missions, staff and flights for the flight tests.

Berlin covers Germany, Paris covers France; ``center`` is a coordinator and
``root`` an administrator.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.flights.schemas import parse_flight
from evac.flights.service import create_flight
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_mission, make_staff, member, sign_in

# Far enough ahead that "upcoming" never depends on when the suite runs.
SOON = datetime(2099, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture
def missions(session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_mission(session, "TR-EMB-PARIS", ["FR", "MC"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    make_staff(session, "paris", Role.officer, ["TR-EMB-PARIS"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "root", Role.admin)


def flight_fields(**overrides: Any) -> dict[str, Any]:
    """A valid regular flight from Frankfurt to Istanbul, as raw form values."""
    fields: dict[str, Any] = {
        "flight_number": "TK6001",
        "kind": "regular",
        "departure_airport": "FRA",
        "destination_airport": "IST",
        "departure_time": SOON.isoformat(),
        "seats": "180",
        "stretchers": "0",
        "meeting_point": "",
    }
    return {**fields, **overrides}


def make_flight(session: Session, **overrides: Any) -> Flight:
    return create_flight(session, parse_flight(flight_fields(**overrides)), actor=SYSTEM)


def assign(session: Session, flight: Flight, seats: int = 0, stretchers: int = 0) -> None:
    """Give ``seats`` seats and ``stretchers`` stretchers on the flight to new households."""
    for index in range(seats + stretchers):
        extra = {"needs_stretcher": True} if index >= seats else {}
        case = make_case(session, "DE", [member(**extra)])
        session.add(
            Assignment(
                flight_id=flight.id,  # type: ignore[arg-type]
                person_id=case.members[0].id,  # type: ignore[arg-type]
                registration_id=case.id,  # type: ignore[arg-type]
                uses_stretcher=index >= seats,
                status=AssignmentStatus.confirmed,
            )
        )
    session.commit()


def later(days: int) -> str:
    return (SOON + timedelta(days=days)).isoformat()


def api_token(client: TestClient, username: str) -> dict[str, str]:
    """An Authorization header with a new personal API token of ``username``."""
    sign_in(client, username)
    page = client.post(
        "/staff/tokens",
        data={"name": "script", "csrf_token": csrf_token(client, "/staff/tokens")},
    )
    assert page.status_code == 201
    start = page.text.index('id="new-token">') + len('id="new-token">')
    token = page.text[start : page.text.index("<", start)]
    client.cookies.clear()
    return {"Authorization": f"Bearer {token}"}
