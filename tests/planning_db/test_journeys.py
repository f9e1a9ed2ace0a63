"""A household travels a journey of several legs: seated, confirmed, released and moved as
one, checked in and boarded leg by leg, arriving with its last leg."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.cases.service import transition_case
from evac.errors import EvacError
from evac.flights.checkin import board, check_in
from evac.flights.closing import close_flight, mark_arrived, mark_departed, put_back, reopen_flight
from evac.flights.models import Flight
from evac.flights.seating import (
    confirm_seats,
    move_household,
    offload_household,
    seat_summary,
)
from evac.flights.service import cancel_flight
from evac.lifecycle import journeys
from evac.lifecycle.capacity import FlightFull, NewSeat
from evac.lifecycle.service import TransitionRefused
from evac.lifecycle.undo import status_undo, undo_status
from evac.notifications.models import OutboxMessage
from evac.planning import data
from evac.planning.service import PlanPreview
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext, build_context
from evac.staff.models import StaffUser
from tests.factories import make_case, member, sign_in, verify
from tests.planning_db.airport import person_ids, status
from tests.planning_db.journeys import make_journey, make_leg, seat_household, seats_by_leg
from tests.planning_db.test_plan_pages import _staff


@pytest.fixture
def staff(session: Session) -> StaffContext:
    _staff(session)
    user = session.exec(select(StaffUser).where(StaffUser.username == "center")).one()
    return build_context(session, user, csrf_token="")


def _travel(session: Session, staff: StaffContext, leg: Flight, case: Registration) -> None:
    """Everyone of the household checks in and boards ``leg``."""
    check_in(session, staff, leg, case.reference, person_ids(session, case))
    board(session, staff, leg, case.reference)


def _land(session: Session, staff: StaffContext, leg: Flight) -> None:
    """Close, depart and land ``leg`` with whoever is on it (the counts its pages show)."""
    for act in (close_flight, mark_departed, mark_arrived):
        session.expire_all()
        fresh = session.get_one(Flight, leg.id)
        for shown in range(10):
            try:
                act(session, staff, fresh, shown)
            except EvacError:
                session.rollback()
                session.expire_all()
                fresh = session.get_one(Flight, leg.id)
                continue
            break


def test_a_household_is_seated_on_every_leg_and_confirms_them_all(
    session: Session, staff: StaffContext
) -> None:
    legs = make_journey(session)
    case = seat_household(session, legs)
    assert seats_by_leg(session, case) == {
        "J0": ["assigned", "assigned"], "J1": ["assigned", "assigned"],
        "J2": ["assigned", "assigned"],
    }  # fmt: skip
    assert [leg.flight_number for leg in journeys.legs_of(session, case.id)] == ["J0", "J1", "J2"]  # type: ignore[arg-type]
    confirm_seats(session, case, actor="registrant")
    assert {tuple(s) for s in seats_by_leg(session, case).values()} == {("confirmed",) * 2}
    assert status(session, case) == CaseStatus.confirmed


def test_a_journey_that_does_not_connect_or_a_full_leg_seats_nobody(
    session: Session, staff: StaffContext
) -> None:
    bus, *_ = make_journey(session)
    elsewhere = make_leg(session, "X1", 9, "MUC", "IST", hours=3)
    earlier = make_leg(session, "X2", 9, "FRA", "IST", hours=-1)
    full = make_leg(session, "X3", 1, "FRA", "IST", hours=8)
    before_the_bus_arrives = make_leg(session, "X4", 9, "FRA", "IST", hours=2)
    case = verify(session, make_case(session, "DE", [member("Aylin", "Tan"), member("Can", "Tan")]))
    seats = [NewSeat(p.id) for p in case.members]  # type: ignore[arg-type]
    for legs, refused in (
        ([bus, elsewhere], TransitionRefused),
        ([bus, earlier], TransitionRefused),
        ([bus, before_the_bus_arrives], TransitionRefused),
        ([bus, full], FlightFull),
    ):
        with pytest.raises(refused) as error:
            journeys.seat_journey(session, case, legs, seats, actor="officer")
        session.rollback()
    assert error.value.details == {"flight": "X3"}
    assert seats_by_leg(session, case) == {}
    assert status(session, case) == CaseStatus.verified


def test_releasing_a_household_frees_every_leg_and_an_undo_gives_them_back(
    session: Session, staff: StaffContext
) -> None:
    legs = make_journey(session)
    case = seat_household(session, legs)
    transition_case(session, staff, case, CaseStatus.verified)
    assert {tuple(s) for s in seats_by_leg(session, case).values()} == {("offloaded",) * 2}
    released = session.exec(
        select(OutboxMessage).where(OutboxMessage.registration_id == case.id)
    ).all()
    assert len({m.template for m in released}) == len(released)  # one message, not one per leg
    offer = status_undo(session, case)
    assert offer is not None and offer.flight_ids == tuple(leg.id for leg in legs)
    undo_status(session, case, offer.event_id, actor=staff.actor)
    session.commit()
    assert [leg.flight_number for leg in journeys.legs_of(session, case.id)] == ["J0", "J1", "J2"]  # type: ignore[arg-type]
    assert status(session, case) == CaseStatus.assigned


def test_offloading_from_one_leg_takes_the_household_off_its_whole_journey(
    session: Session, staff: StaffContext
) -> None:
    legs = make_journey(session)
    case = seat_household(session, legs)
    assert offload_household(session, staff, legs[1], case) == 2
    assert journeys.legs_of(session, case.id) == []  # type: ignore[arg-type]
    assert status(session, case) == CaseStatus.verified


def test_moving_a_household_off_one_leg_keeps_the_rest_of_its_journey(
    session: Session, staff: StaffContext
) -> None:
    bus, flight, last = make_journey(session)
    case = seat_household(session, [bus, flight, last])
    later = make_leg(session, "J9", 5, "FRA", "IST", hours=7)
    move_household(session, staff, flight, case, later)
    assert [leg.flight_number for leg in journeys.legs_of(session, case.id)] == ["J0", "J9", "J2"]  # type: ignore[arg-type]
    wrong_place = make_leg(session, "J8", 5, "MUC", "IST", hours=7)
    with pytest.raises(TransitionRefused):
        move_household(session, staff, later, case, wrong_place)
    session.rollback()
    assert [leg.flight_number for leg in journeys.legs_of(session, case.id)] == ["J0", "J9", "J2"]  # type: ignore[arg-type]


def test_the_household_checks_in_and_boards_leg_by_leg_and_arrives_with_the_last(
    session: Session, staff: StaffContext
) -> None:
    bus, flight, last = make_journey(session)
    case = seat_household(session, [bus, flight, last])
    with pytest.raises(TransitionRefused, match="first leg first"):
        check_in(session, staff, flight, case.reference, person_ids(session, case))
    session.rollback()
    check_in(session, staff, bus, case.reference, person_ids(session, case))
    assert status(session, case) == CaseStatus.checked_in
    board(session, staff, bus, case.reference)
    assert status(session, case) == CaseStatus.boarded
    _land(session, staff, bus)
    assert status(session, case) == CaseStatus.boarded  # in transit
    check_in(session, staff, flight, case.reference, person_ids(session, case)[:1])
    assert seats_by_leg(session, case)["J1"] == ["checked_in", "assigned"]
    assert status(session, case) == CaseStatus.boarded
    check_in(session, staff, flight, case.reference, person_ids(session, case)[1:])
    board(session, staff, flight, case.reference)
    _land(session, staff, flight)
    assert status(session, case) == CaseStatus.boarded
    _travel(session, staff, last, case)
    _land(session, staff, last)
    assert status(session, case) == CaseStatus.arrived
    assert {tuple(s) for s in seats_by_leg(session, case).values()} == {("boarded",) * 2}


def test_someone_missing_on_a_later_leg_is_left_behind_while_the_household_travels_on(
    client: TestClient, session: Session, staff: StaffContext
) -> None:
    bus, flight, last = make_journey(session)
    case = seat_household(session, [bus, flight, last])
    aylin, kerem = person_ids(session, case)
    _travel(session, staff, bus, case)
    check_in(session, staff, flight, case.reference, [aylin])
    assert close_flight(session, staff, session.get_one(Flight, flight.id), 1) == 1
    assert seats_by_leg(session, case)["J1"] == ["checked_in", "no_show"]
    assert seats_by_leg(session, case)["J2"] == ["assigned", "assigned"]  # that leg only
    assert status(session, case) == CaseStatus.boarded  # not released: they are on the way
    behind = journeys.left_behind(session, session.get_one(Registration, case.id))
    assert [(b.person.id, b.flight.flight_number) for b in behind] == [(kerem, "J1")]
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{case.reference}").text
    assert 'id="left-behind"' in page and "Kerem Tan" in page
    # The leg reopens before it leaves: the officer puts him back.
    reopen_flight(session, staff, session.get_one(Flight, flight.id))
    assert put_back(session, staff, session.get_one(Flight, flight.id), case.reference) == 1
    assert journeys.left_behind(session, session.get_one(Registration, case.id)) == []


def test_a_household_that_never_came_is_put_back_on_every_leg_if_each_has_room(
    session: Session, staff: StaffContext
) -> None:
    bus, flight, last = make_journey(session, seats=2)
    case = seat_household(session, [bus, flight, last])
    close_flight(session, staff, session.get_one(Flight, bus.id), 2)
    assert status(session, case) == CaseStatus.no_show
    assert {tuple(s) for s in seats_by_leg(session, case).values()} == {("no_show",) * 2}
    other = seat_household(session, [make_leg(session, "K1", 5, "BER", "FRA", hours=-2), flight])
    reopen_flight(session, staff, session.get_one(Flight, bus.id))
    with pytest.raises(FlightFull):
        put_back(session, staff, session.get_one(Flight, bus.id), case.reference)
    session.rollback()
    offload_household(session, staff, flight, session.get_one(Registration, other.id))
    assert put_back(session, staff, session.get_one(Flight, bus.id), case.reference) == 2
    assert {tuple(s) for s in seats_by_leg(session, case).values()} == {("confirmed",) * 2}
    assert status(session, case) == CaseStatus.confirmed


def test_a_later_leg_cancelled_under_a_household_in_transit_leaves_it_boarded(
    session: Session, staff: StaffContext
) -> None:
    bus, flight, last = make_journey(session)
    travelling = seat_household(session, [bus, flight, last])
    waiting = seat_household(session, [make_leg(session, "K1", 5, "BER", "FRA", hours=1), flight])
    _travel(session, staff, bus, travelling)
    cancel_flight(session, session.get_one(Flight, flight.id), expected_version=None, actor="c")
    assert status(session, travelling) == CaseStatus.boarded
    assert seats_by_leg(session, travelling)["J1"] == ["offloaded", "offloaded"]
    assert len(journeys.left_behind(session, session.get_one(Registration, travelling.id))) == 2
    assert status(session, waiting) == CaseStatus.verified  # not yet travelling: back in the pool
    assert journeys.legs_of(session, waiting.id) == []  # type: ignore[arg-type]


def test_the_registrant_and_the_officer_see_every_leg_in_order(
    client: TestClient, session: Session, staff: StaffContext
) -> None:
    legs = make_journey(session)
    case = seat_household(session, legs)
    summary = seat_summary(session, case, "en")
    assert summary["seat_flight"].flight_number == "J0"  # type: ignore[attr-defined]
    assert [leg.flight.flight_number for leg in summary["seat_legs"]] == ["J0", "J1", "J2"]  # type: ignore[attr-defined]
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{case.reference}").text
    assert page.index(">J0<") < page.index(">J1<") < page.index(">J2<")
    events = session.exec(select(AuditEvent).where(col(AuditEvent.action) == "case.seat")).all()
    assert events[-1].after["flights"] == ["J0", "J1", "J2"]  # type: ignore[index]


def test_a_plan_counts_people_not_their_seats_on_every_leg() -> None:
    legs = (
        data.PlannedAssignment(registration_id=1, person_id=p, flight_id=f, uses_stretcher=False)
        for f in (7, 8)
        for p in (1, 2)
    )
    result = data.PlanResult(tuple(legs), (), (), ())
    preview = PlanPreview(result, {}, {}, [], "DE", {})
    assert preview.assigned_people == 2
