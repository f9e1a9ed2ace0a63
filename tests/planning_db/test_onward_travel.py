"""An officer arranges onward travel for someone left behind on a later leg: from the
case page, a journey home from where they wait, chosen, confirmed, then given."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.checkin import board, check_in
from evac.flights.closing import close_flight
from evac.flights.models import Flight, FlightStatus, LegMode
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.lifecycle.onward import send_onward, stranded
from evac.lifecycle.service import TransitionRefused
from evac.notifications.models import OutboxMessage
from evac.registration.models import Registration
from evac.staff.auth import StaffContext, build_context
from evac.staff.models import Role, StaffUser
from tests.factories import csrf_token, make_case, make_mission, make_staff, member, sign_in, verify
from tests.language.visible import shown_codes, text_nodes, untranslated
from tests.planning_db.journeys import seats_by_leg
from tests.planning_db.onward import (
    KHARTOUM,
    WAITS_AT,
    Household,
    Route,
    leave_behind,
    make_route,
)
from tests.planning_db.test_journeys import _land

OFFICER, COORDINATOR, PARIS, ADMIN = "khartoum", "center", "paris", "admin"
# Jeddah's port to its airport, after the ship landed and before the flight home leaves.
NEXT_BUS = ("SA", WAITS_AT, "JED")


@pytest.fixture
def staff(session: Session) -> StaffContext:
    make_mission(session, "TR-EMB-KHARTOUM", ["SD"])
    make_mission(session, "TR-EMB-PARIS", ["FR"])
    make_staff(session, COORDINATOR, Role.coordinator)
    make_staff(session, PARIS, Role.officer, ["TR-EMB-PARIS"])
    make_staff(session, ADMIN, Role.admin)
    officer = make_staff(session, OFFICER, Role.officer, ["TR-EMB-KHARTOUM"])
    user = session.exec(select(StaffUser).where(StaffUser.id == officer.id)).one()
    return build_context(session, user, csrf_token="")


@pytest.fixture
def route(session: Session) -> Route:
    return make_route(session)


@pytest.fixture
def waiting(session: Session, staff: StaffContext, route: Route) -> Household:
    """Someone left behind at Jeddah's port, with a later bus to the airport (B3)."""
    household = _left(session, staff, route)
    route.add("B3", LegMode.bus, NEXT_BUS, (46, 47), 50)
    return household


def _left(session: Session, staff: StaffContext, route: Route, **families: bool) -> Household:
    return leave_behind(session, staff, route, families or {"Demir": False})[0]


def _onward(client: TestClient, case: Registration) -> str:
    page = client.get(f"/staff/cases/{case.reference}/onward")
    assert page.status_code == 200, page.text
    return page.text


def _offered(page: str) -> list[str]:
    """The journeys offered, each as its legs' numbers."""
    return [
        ",".join(re.findall(r'<li><bdi class="ltr">([^<]+)</bdi> \(', form))
        for form in page.split('<li class="card onward-option">')[1:]
    ]


def _choose(client: TestClient, household: Household, route: Route, legs: list[str],
            **extra: str) -> object:  # fmt: skip
    case = household.case
    data = {
        "csrf_token": csrf_token(client, f"/staff/cases/{case.reference}/onward"),
        "row_version": str(case.row_version),
        "person_ids": [str(household.behind.id)],
        "legs": [str(route.legs[number].id) for number in legs],
        **extra,
    }
    return client.post(f"/staff/cases/{case.reference}/onward", data=data, follow_redirects=False)


def test_officer_can_put_people_left_behind_on_an_onward_bus(
    client: TestClient, session: Session, staff: StaffContext, route: Route, waiting: Household
) -> None:
    household = waiting
    sign_in(client, OFFICER)
    case_page = client.get(f"/staff/cases/{household.case.reference}").text
    assert 'id="left-behind"' in case_page and 'id="arrange-onward"' in case_page

    page = _onward(client, household.case)
    assert "Ayse Demir lost the seat on B2 (Bus)." in page
    assert _offered(page) == ["B3,F1"]  # her own seat on the flight is hers to keep
    asked = _choose(client, household, route, ["B3", "F1"])
    assert asked.status_code == 200 and 'id="confirm-onward"' in asked.text  # type: ignore[attr-defined]
    done = _choose(client, household, route, ["B3", "F1"], confirmed="yes")
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert done.headers["location"] == f"/staff/cases/{household.case.reference}#journey"  # type: ignore[attr-defined]

    page = client.get(done.headers["location"]).text  # type: ignore[attr-defined]
    assert "Onward travel arranged: 1 person on B3, F1." in page
    assert 'id="left-behind"' not in page
    assert re.search(r">B3</a> ·", page)
    assert seats_by_leg(session, household.case) == {
        "B1": ["boarded", "boarded"],
        "S1": ["boarded", "boarded"],
        "B2": ["boarded", "offloaded"],  # her no-show there is released: no reopening twice
        "B3": ["assigned"],
        "F1": ["assigned", "offloaded", "assigned"],  # he keeps his; hers, given again
    }
    case = session.get_one(Registration, household.case.id)
    assert case.status == "boarded" and journeys.left_behind(session, case) == []
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.reroute")).one()
    assert event.actor == staff.actor
    assert event.after["flights"] == ["B3", "F1"] and event.after["missed"] == "B2"
    messages = session.exec(
        select(OutboxMessage).where(OutboxMessage.registration_id == case.id)
    ).all()
    seat_notice = [m for m in messages if m.template.startswith("seat_assigned")]
    assert seat_notice and all("B3" in m.body for m in seat_notice)
    assert any("B3, F1" in m.body for m in seat_notice if m.template == "seat_assigned")


def test_no_journey_is_offered_when_nothing_leaves_from_where_they_wait(
    client: TestClient, session: Session, staff: StaffContext, route: Route
) -> None:
    household = _left(session, staff, route)
    route.add("B9", LegMode.bus, ("SA", "JED", WAITS_AT), (46, 47), 50)  # the other way
    sign_in(client, OFFICER)
    page = _onward(client, household.case)
    assert _offered(page) == []
    assert "No journey home with room for them leaves Jeddah Islamic Port (JED-PORT) yet." in page
    assert "Add a leg from JED-PORT" in page and "Coordinators add legs: ask yours." in page
    sign_in(client, COORDINATOR)
    assert 'href="/staff/flights/new">Add a leg</a>' in _onward(client, household.case)


def test_a_leg_without_room_for_them_is_not_offered(
    client: TestClient, session: Session, staff: StaffContext, route: Route
) -> None:
    first, second = leave_behind(session, staff, route, {"Demir": False, "Kaya": False})
    route.add("B3", LegMode.bus, NEXT_BUS, (45, 46), 1)
    route.add("B4", LegMode.bus, NEXT_BUS, (46, 47), 50)
    sign_in(client, OFFICER)
    assert _offered(_onward(client, first.case)) == ["B3,F1", "B4,F1"]
    _choose(client, first, route, ["B3", "F1"], confirmed="yes")
    assert _offered(_onward(client, second.case)) == ["B4,F1"]


def test_a_stretcher_patient_is_offered_only_legs_with_stretchers(
    client: TestClient, session: Session, staff: StaffContext
) -> None:
    route = make_route(session, stretchers=2)
    household = _left(session, staff, route, Demir=True)
    route.add("B3", LegMode.bus, NEXT_BUS, (45, 46), 50)
    route.add("B4", LegMode.bus, NEXT_BUS, (46, 47), 50, stretchers=1)
    sign_in(client, OFFICER)
    assert _offered(_onward(client, household.case)) == ["B4,F1"]
    done = _choose(client, household, route, ["B4", "F1"], confirmed="yes")
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert seats_by_leg(session, household.case)["B4"] == ["assigned"]


def test_an_officer_of_another_mission_can_neither_see_nor_arrange_it(
    client: TestClient, session: Session, route: Route, waiting: Household
) -> None:
    household = waiting
    sign_in(client, ADMIN)  # administrators manage accounts, not cases
    assert client.get(f"/staff/cases/{household.case.reference}/onward").status_code == 403
    sign_in(client, PARIS)
    assert client.get(f"/staff/cases/{household.case.reference}/onward").status_code == 404
    tried = client.post(
        f"/staff/cases/{household.case.reference}/onward",
        data={
            "csrf_token": csrf_token(client),
            "row_version": "1",
            "person_ids": [str(household.behind.id)],
            "legs": [str(route.legs["B3"].id), str(route.legs["F1"].id)],
            "confirmed": "yes",
        },
    )
    assert tried.status_code == 404
    assert "B3" not in seats_by_leg(session, household.case)


def test_choosing_a_journey_asks_first_and_changes_nothing_until_confirmed(
    client: TestClient, session: Session, route: Route, waiting: Household
) -> None:
    household = waiting
    route.add("F2", LegMode.flight, ("SA", "JED", "IST"), (48.5, 52), 180)
    before = seats_by_leg(session, household.case)
    sign_in(client, OFFICER)
    assert _offered(_onward(client, household.case)) == ["B3,F1"]  # F2 leaves too soon
    asked = _choose(client, household, route, ["B3", "F1"])
    assert asked.status_code == 200  # type: ignore[attr-defined]
    assert "Ayse Demir will travel on:" in asked.text  # type: ignore[attr-defined]
    assert seats_by_leg(session, household.case) == before
    case = session.get_one(Registration, household.case.id)
    assert [b.person.id for b in journeys.left_behind(session, case)] == [household.behind.id]


def test_a_leg_filled_since_the_choice_gives_a_clear_message(
    client: TestClient, session: Session, staff: StaffContext, route: Route
) -> None:
    first, second = leave_behind(session, staff, route, {"Demir": False, "Kaya": False})
    route.add("B3", LegMode.bus, NEXT_BUS, (46, 47), 1)
    sign_in(client, OFFICER)
    assert _offered(_onward(client, second.case)) == ["B3,F1"]
    _choose(client, first, route, ["B3", "F1"], confirmed="yes")  # another officer, meanwhile
    refused = _choose(client, second, route, ["B3", "F1"], confirmed="yes")
    assert refused.headers["location"] == f"/staff/cases/{second.case.reference}/onward"  # type: ignore[attr-defined]
    page = client.get(refused.headers["location"]).text  # type: ignore[attr-defined]
    assert "The leg B3 has no room left for them: choose another journey." in page
    assert "B3" not in seats_by_leg(session, second.case)
    fresh = session.get_one(Registration, second.case.id)
    assert len(journeys.left_behind(session, fresh)) == 1


@pytest.mark.parametrize("language", ["tr", "fr", "ar"])
def test_the_onward_travel_pages_read_in_the_officers_language(
    client: TestClient, route: Route, waiting: Household, language: str
) -> None:
    """No code (``bus``, ``no_show``) and no English sentence on the list of journeys,
    the confirmation and the case page after it."""
    sign_in(client, OFFICER)
    client.cookies.set("evac_lang", language)
    pages = {
        "list": _onward(client, waiting.case),
        "confirm": _choose(client, waiting, route, ["B3", "F1"]).text,  # type: ignore[attr-defined]
    }
    done = _choose(client, waiting, route, ["B3", "F1"], confirmed="yes")
    pages["case"] = client.get(done.headers["location"]).text  # type: ignore[attr-defined]
    for name, page in pages.items():
        nodes = text_nodes(page)
        assert not shown_codes(nodes, language), (name, shown_codes(nodes, language))
        assert not untranslated(nodes, language), (name, untranslated(nodes, language))


def test_a_journey_that_cannot_take_them_from_where_they_wait_is_refused(
    session: Session, staff: StaffContext, route: Route, waiting: Household
) -> None:
    """However the legs were chosen: none, from elsewhere, an ambulance flight for no
    stretcher patient, a leg cancelled since."""
    ambulance = route.add("A1", LegMode.ambulance_flight, NEXT_BUS, (45, 46), 4, stretchers=2)
    cancelled = route.add("B4", LegMode.bus, NEXT_BUS, (46, 47), 50)
    cancelled.status = FlightStatus.cancelled
    session.commit()
    legs = route.legs
    for journey, reason in (
        ([], "A journey needs at least one leg."),
        ([legs["F1"]], "The first leg must leave from where they wait (%(place)s)."),
        ([ambulance, legs["F1"]], "Ambulance flights carry only people travelling with"),
        ([cancelled, legs["F1"]], "The leg %(flight)s no longer takes passengers"),
    ):
        case = session.get_one(Registration, waiting.case.id)
        with pytest.raises(TransitionRefused) as refused:
            send_onward(session, case, [waiting.behind.id], journey, actor=staff.actor)  # type: ignore[list-item]
        session.rollback()
        assert refused.value.message.startswith(reason)
    assert "B3" not in seats_by_leg(session, waiting.case)


def test_someone_who_missed_the_first_bus_waits_where_the_journey_began(
    session: Session, staff: StaffContext, route: Route
) -> None:
    """The household left Khartoum without Ayse, who missed the bus there and then the
    ship's closing: she is in Khartoum, not at Port Sudan's quay."""
    case = make_case(
        session, "SD", [member("Ali", "Demir"), member("Ayse", "Demir")], city="Khartoum",
        position=KHARTOUM,
    )  # fmt: skip
    verify(session, case)
    legs = [route.legs[number] for number in ("B1", "S1", "B2", "F1")]
    seats = [NewSeat(p.id) for p in case.members]  # type: ignore[arg-type]
    journeys.seat_journey(session, case, legs, seats, actor="planner")
    session.commit()
    ali = case.members[0].id
    for leg in legs[:2]:
        check_in(session, staff, leg, case.reference, [ali])  # type: ignore[list-item]
        board(session, staff, leg, case.reference)
        session.expire_all()
        close_flight(session, staff, session.get_one(Flight, leg.id), 1)
        _land(session, staff, leg)
    session.expire_all()

    (group,) = stranded(session, session.get_one(Registration, case.id))
    assert [person.given_name for person in group.people] == ["Ayse"]
    assert (group.missed.flight_number, group.travelled, group.place) == ("B1", None, "KRT-1")


def test_a_leg_typed_into_the_form_shows_nothing_unless_it_takes_them_home_from_there(
    client: TestClient, session: Session, route: Route, waiting: Household
) -> None:
    """An officer cannot read another country's leg by posting its id: the preview
    checks the journey as confirming would, before it shows anything."""
    route.add("AF9", LegMode.flight, ("FR", "CDG", "NCE"), (30, 31), 50)
    sign_in(client, OFFICER)
    asked = _choose(client, waiting, route, ["AF9"])
    assert asked.status_code == 303  # type: ignore[attr-defined]
    page = client.get(asked.headers["location"]).text  # type: ignore[attr-defined]
    assert "The first leg must leave from where they wait" in page
    assert "AF9" not in page and "CDG" not in page
