"""Building blocks for tests: missions, staff, households, legs."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.audit.service import REGISTRANT, SYSTEM
from evac.db import utcnow
from evac.flights.models import Flight
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.missions.models import Mission, MissionCountry
from evac.places.service import resolve_places
from evac.registration.models import Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from evac.staff.models import Role, StaffUser
from evac.staff.service import create_staff_user

PASSWORD = "correct horse battery staple"
TODAY = date(2026, 11, 24)
# What the app itself calls today (UTC), for data that goes through its real clock;
# a fixed date here would be a time bomb.
APP_TODAY = utcnow().date()
DOCUMENT_EXPIRY = APP_TODAY + timedelta(days=5 * 365)
_documents = itertools.count(1)
FIRST_BIRTH = date(1980, 1, 1)  # adults, none elderly: priority tiers stay as written

PHONES = {"DE": "+49 30 901820", "FR": "+33 1 42 68 53 00", "EG": "+20 2 27943000"}


def make_mission(session: Session, code: str, countries: list[str]) -> Mission:
    mission = Mission(
        code=code,
        name=code.title(),
        kind="embassy",
        country=countries[0],
        city="Capital",
        coverage=[MissionCountry(country=c) for c in countries],
    )
    session.add(mission)
    session.flush()
    return mission


def make_staff(
    session: Session, username: str, role: Role, missions: list[str] | tuple[str, ...] = ()
) -> StaffUser:
    user = create_staff_user(
        session,
        username=username,
        password=PASSWORD,
        role=role,
        mission_codes=list(missions),
        actor=SYSTEM,
    )
    session.commit()
    return user


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> None:
    response = client.post(
        "/staff/login", data={"username": username, "password": password}, follow_redirects=False
    )
    assert response.status_code == 303, response.text


def csrf_token(client: TestClient, path: str = "/staff/cases") -> str:
    page = client.get(path)
    marker = 'name="csrf_token" value="'
    start = page.text.index(marker) + len(marker)
    return page.text[start : page.text.index('"', start)]


def member(
    given: str = "Ayşe",
    family: str = "Yılmaz",
    *,
    nationality: str = "TR",
    born: str | None = None,
    **extra: object,
) -> dict[str, object]:
    """A valid member; each call is another person (document and birth date differ), so
    that cases made with the defaults are not possible duplicates of one another."""
    sequence = next(_documents)
    number = f"U{sequence:08d}"
    born = born or str(FIRST_BIRTH + timedelta(days=sequence % 3650))
    return {
        "given_name": given,
        "family_name": family,
        "date_of_birth": born,
        "sex": "F",
        "nationality": nationality,
        "document": {
            "type": "P",
            "number": number,
            "country": nationality,
            "expiry": str(DOCUMENT_EXPIRY),
        },
        **extra,
    }


def registration_payload(
    country: str = "DE",
    members: list[dict[str, object]] | None = None,
    city: str = "Berlin",
    position: tuple[float, float] = (52.52, 13.405),
) -> dict[str, object]:
    latitude, longitude = position
    return {
        "contact": {"phone": PHONES.get(country, "+49 30 901820"), "email": "a@example.org"},
        "location": {
            "country": country,
            "city": city,
            "latitude": latitude,
            "longitude": longitude,
        },
        "members": members or [member()],
        "consent": True,
    }


def make_case(
    session: Session,
    country: str = "DE",
    members: list[dict[str, object]] | None = None,
    *,
    city: str = "Berlin",
    position: tuple[float, float] = (52.52, 13.405),
) -> Registration:
    payload = registration_payload(country, members, city, position)
    data = RegistrationIn.model_validate(payload)
    return register_household(session, data, actor=REGISTRANT, today=TODAY).case(session)


def verify(session: Session, case: Registration) -> Registration:
    """The officer's check of a case, which the planner seats by default."""
    lifecycle.apply(session, case, Action.verify, actor=SYSTEM)
    session.commit()
    return case


def leg_row(session: Session, **columns: Any) -> Flight:
    """A leg written as a row, for tests that set columns the form would derive (a
    country, a date); its places' time zones are read as ``flight_values`` reads them."""
    ends = (columns["departure_airport"], columns["destination_airport"])
    places = resolve_places(session, ends)
    zones = {
        name: places[code].tz if code in places else "UTC"
        for name, code in zip(("departure_zone", "arrival_zone"), ends, strict=True)
    }
    return Flight(**(zones | columns))
