"""A coordinator follows Khartoum's households on the map, bus → ship → bus → plane,
and sees how many people are on each leg; an officer sees only their missions' legs."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.db import utc_today
from evac.demo.loader import _insert_operations
from evac.flights.models import Flight
from evac.lifecycle.airport import board_people, check_in_people
from evac.lifecycle.capacity import NewSeat
from evac.lifecycle.journeys import seat_journey
from evac.registration.models import Registration
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member, sign_in, verify

CHAIN = ("SDB101", "SDS1", "SAB1", "TK6801")
KHARTOUM = {"city": "Khartoum", "position": (15.58, 32.57)}


def _sudan(session: Session) -> dict[str, Flight]:
    """The demo's operations; a coordinator, an officer for Sudan, one for Germany."""
    _insert_operations(session, utc_today())
    session.commit()
    make_mission(session, "TR-EMB-KHARTOUM", ["SD"])
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "khartoum", Role.officer, ["TR-EMB-KHARTOUM"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    legs = session.exec(select(Flight).where(col(Flight.flight_number).in_(CHAIN))).all()
    return {leg.flight_number: leg for leg in legs}


def _on_the_bus(session: Session, legs: dict[str, Flight]) -> Registration:
    """A household of three seated on the whole chain; two of them board the bus."""
    people = [member("Amal", "Osman"), member("Yusuf", "Osman"), member("Huda", "Osman")]
    case = verify(session, make_case(session, "SD", people, **KHARTOUM))
    seats = [NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
    seat_journey(session, case, [legs[n] for n in CHAIN], seats, actor="planner")
    session.commit()
    ids = [person.id for person in case.members]
    bus = legs["SDB101"]
    check_in_people(session, case, bus, ids[:2], actor="officer")  # type: ignore[arg-type]
    board_people(session, case, bus, actor="officer")
    check_in_people(session, case, bus, ids[2:], actor="officer")  # type: ignore[arg-type]
    session.commit()
    return case


def _cells(html: str, row_id: str) -> dict[str, str]:
    row = re.search(rf'<tr id="{row_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row {row_id}"
    return dict(re.findall(r'data-col="([a-z-]+)">([^<]*)<', row.group(1)))


def test_sudans_map_draws_the_chain_from_khartoum_to_istanbul(
    client: TestClient, session: Session
) -> None:
    _sudan(session)
    sign_in(client, "center")
    page = client.get("/staff/legs/map?country=SD")
    assert page.status_code == 200
    svg = re.search(r'<svg class="map world-map leg-map".*?</svg>', page.text, re.S)
    assert svg and 'role="group"' in svg.group(0)
    routes = set(
        re.findall(
            r'class="route mode-(\w+)" data-from="([\w-]+)" data-to="([\w-]+)"', svg.group(0)
        )
    )
    assert {
        ("bus", "KRT-1", "PZU-PORT"),
        ("ship", "PZU-PORT", "JED-PORT"),
        ("bus", "JED-PORT", "JED"),
        ("flight", "JED", "IST"),
    } <= routes
    stops = set(re.findall(r'class="stop" data-code="([\w-]+)"', svg.group(0)))
    assert {"KRT-1", "PZU-PORT", "JED-PORT", "JED", "IST"} <= stops
    for number in CHAIN:
        assert f'id="leg-{number}"' in page.text  # the same legs, in the table
    assert "SDS1 (Ship) from PZU-PORT Port Sudan, South Quay to JED-PORT" in svg.group(0)


def test_the_dashboard_counts_the_people_on_each_leg(client: TestClient, session: Session) -> None:
    legs = _sudan(session)
    _on_the_bus(session, legs)
    sign_in(client, "center")
    page = client.get("/staff/dashboard")
    assert page.status_code == 200
    assert 'id="in-transit-SD"' in page.text
    assert _cells(page.text, "transit-SDB101") == {
        "boarded": "2", "checked-in": "1", "seated": "3 / 50",
    }  # fmt: skip
    assert 'id="transit-SDS1"' not in page.text  # nobody has checked in for the ship yet
    mapped = client.get("/staff/legs/map?country=SD")
    assert _cells(mapped.text, "leg-SDS1") == {
        "from": "PZU-PORT Port Sudan, South Quay", "to": "JED-PORT Jeddah Islamic Port",
        "seated": "3", "checked-in": "0", "boarded": "0",
    }  # fmt: skip


def test_an_officer_sees_only_the_legs_of_their_missions(
    client: TestClient, session: Session
) -> None:
    legs = _sudan(session)
    _on_the_bus(session, legs)
    sign_in(client, "khartoum")
    own = client.get("/staff/legs/map")
    assert own.status_code == 200
    assert _cells(own.text, "leg-SDB101")["boarded"] == "2"
    assert 'id="leg-SAB1"' not in own.text  # Jeddah's bus leaves Saudi Arabia
    sign_in(client, "berlin")
    other = client.get("/staff/legs/map?country=SD")
    assert other.status_code == 200
    assert 'id="leg-SDB101"' not in other.text and 'data-from="KRT-1"' not in other.text
    assert client.get("/staff/dashboard").status_code == 403
