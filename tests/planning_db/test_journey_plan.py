"""A coordinator plans and commits whole journeys when some leg is not a flight home:
every leg seated through the lifecycle, re-planning changes nothing, a cancelled leg's
households go on another route."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.flights.seating import confirm_seats, seat_summary
from evac.flights.service import cancel_flight
from evac.notifications.models import OutboxMessage
from evac.planning.journey_loading import estimated_arrival, load_network
from evac.planning.report import plan_report
from evac.planning.service import commit_plan, preview_plan
from evac.registration.models import CaseStatus, Registration
from tests.factories import csrf_token, sign_in
from tests.planning_db.sudan import DAY, make_crisis
from tests.planning_db.test_plan_pages import _staff


def journey_of(session: Session, case: Registration) -> list[str]:
    """The legs the case holds live seats on, in travel order."""
    session.expire_all()
    live = [AssignmentStatus.assigned, AssignmentStatus.confirmed]
    rows = session.exec(
        select(Flight.flight_number)
        .join(Assignment, col(Assignment.flight_id) == col(Flight.id))
        .where(Assignment.registration_id == case.id, col(Assignment.status).in_(live))
        .distinct()
        .order_by(col(Flight.flight_number))
    )
    legs = dict.fromkeys(rows)
    order = ["B1", "S1", "S2", "B2", "F1"]
    return [leg for leg in order if leg in legs]


def test_a_household_is_seated_on_every_leg_of_its_journey(session: Session) -> None:
    crisis = make_crisis(session)
    preview = commit_plan(session, actor="planner")
    assert preview.by_journeys
    eight, three, two = (crisis.cases[n] for n in ("Eight", "Three", "Two"))
    assert journey_of(session, eight) == ["B1", "S1", "B2", "F1"]
    assert journey_of(session, two) == ["B1", "S1", "B2", "F1"]
    assert journey_of(session, three) == []
    for case in (eight, two):
        session.refresh(case)
        assert case.status == CaseStatus.assigned
    assert preview.assigned_people == 10 and preview.unassigned_people == 3
    (left,) = preview.result.unassigned
    assert (left.reference, left.reason.value) == (three.reference, "no_capacity")
    assert left.full_legs == ("B1",)
    seats = session.exec(select(Assignment).where(Assignment.flight_id == crisis.legs["S1"].id))
    assert len(list(seats)) == 10
    event = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "case.seat", AuditEvent.subject_id == eight.reference
        )
    ).one()
    assert event.after["flights"] == ["B1", "S1", "B2", "F1"]


def test_the_seat_notice_names_the_first_leg_and_the_whole_journey(session: Session) -> None:
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    eight = crisis.cases["Eight"]
    bodies = session.exec(
        select(OutboxMessage.body).where(OutboxMessage.registration_id == eight.id)
    ).all()
    assert bodies and all("B1" in body for body in bodies)
    assert any("B1, S1, B2, F1" in body for body in bodies)
    # The bus leaves KRT-1 at 04:00 UTC: 06:00 on Khartoum's clocks, not the UTC hour.
    assert any("06:00" in body for body in bodies)
    assert not any("04:00" in body for body in bodies)


def test_a_cancelled_bus_from_an_assembly_point_is_announced_on_its_clocks(
    session: Session,
) -> None:
    """KRT-1 is no airport: the cancellation says 06:00 (Khartoum), not 04:00 (UTC)."""
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    bus = crisis.legs["B1"]
    cancel_flight(session, bus, expected_version=bus.row_version, actor="coordinator")
    bodies = session.exec(
        select(OutboxMessage.body).where(col(OutboxMessage.template).startswith("flight_cancelled"))
    ).all()
    assert bodies and all("06:00" in body and "04:00" not in body for body in bodies)


def test_replanning_an_unchanged_crisis_moves_nobody(session: Session) -> None:
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    again = commit_plan(session, actor="planner")
    assert again.moves == []
    assert journey_of(session, crisis.cases["Eight"]) == ["B1", "S1", "B2", "F1"]


def test_a_cancelled_ship_sends_its_households_on_the_spare_one(session: Session) -> None:
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    eight, two = crisis.cases["Eight"], crisis.cases["Two"]
    confirm_seats(session, eight, actor="registrant")
    ship = crisis.legs["S1"]
    cancel_flight(session, ship, expected_version=ship.row_version, actor="coordinator")
    for case in (eight, two):
        session.refresh(case)
        assert case.status == CaseStatus.verified
        assert journey_of(session, case) == []
    preview = commit_plan(session, actor="planner")
    assert {m.reference for m in preview.moves} == {eight.reference, two.reference}
    assert journey_of(session, eight) == ["B1", "S2", "B2", "F1"]
    assert journey_of(session, two) == ["B1", "S2", "B2", "F1"]
    assert commit_plan(session, actor="planner").moves == []


def test_confirmed_journeys_are_kept_and_count_on_every_leg(session: Session) -> None:
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    confirm_seats(session, crisis.cases["Eight"], actor="registrant")
    preview = preview_plan(session)
    loads = {load.number: load.seats_used for load in preview.result.leg_loads}
    assert loads["B1"] == 10 and loads["F1"] == 10 and loads["S2"] == 0
    assert all(m.reference != crisis.cases["Eight"].reference for m in preview.moves)


def test_a_flight_without_arrival_time_gets_an_estimate(session: Session) -> None:
    crisis = make_crisis(session)
    network = load_network(session)
    flight = network.legs[crisis.legs["F1"].id]  # type: ignore[index]
    assert crisis.legs["F1"].id in network.estimated
    jeddah, istanbul = network.places["JED"], network.places["IST"]
    assert flight.arrival_time == estimated_arrival(flight.departure_time, jeddah, istanbul)
    hours = (flight.arrival_time - flight.departure_time) / timedelta(hours=1)
    assert 3.0 < hours < 4.0  # about 2,400 km at 800 km/h, and half an hour


def test_the_json_report_gives_each_household_its_journey_in_utc(session: Session) -> None:
    crisis = make_crisis(session)
    report = plan_report(preview_plan(session))
    assert report["planner"] == "journeys"
    by_reference = {h["reference"]: h for h in report["households"]}
    journey = by_reference[crisis.cases["Two"].reference]["journey"]
    assert [leg["leg_number"] for leg in journey] == ["B1", "S1", "B2", "F1"]
    assert journey[0] == {
        "leg_number": "B1",
        "mode": "bus",
        "from": "KRT-1",
        "to": "PZU-PORT",
        "departure_time": (DAY + timedelta(hours=4)).isoformat(),
        "arrival_time": (DAY + timedelta(hours=20)).isoformat(),
    }
    (bus,) = [r for r in report["recommendations"] if r["kind"] == "extra_vehicles"]
    assert (bus["mode"], bus["from"], bus["to"], bus["connects_to"]) == (
        "bus",
        "KRT-1",
        "PZU-PORT",
        "S1",
    )


def test_direct_flights_home_keep_the_flight_planner(session: Session) -> None:
    from tests.planning_db.test_plan_commit import make_flight

    make_flight(session, "TK1", 10)
    preview = preview_plan(session)
    assert not preview.by_journeys
    assert plan_report(preview)["planner"] == "flights"


def test_the_plan_page_shows_journeys_loads_reasons_and_what_is_needed(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    crisis = make_crisis(session)
    sign_in(client, "center")
    page = client.get("/staff/plan?lang=en").text
    row = page[page.index(f'id="journey-{crisis.cases["Eight"].reference}"') :]
    row = row[: row.index("</tr>")]
    assert [row.index(number) for number in ("B1", "S1", "B2", "F1")] == sorted(
        row.index(number) for number in ("B1", "S1", "B2", "F1")
    )
    assert "KRT-1 (Khartoum, Riyadh district)" in row and "Bus" in row and "Ship" in row
    assert "UTC+03:00" in row  # Khartoum's and Jeddah's clocks
    assert "arrival estimated" in row  # the flight home has no arrival time
    assert "No room on the routes within reach: the leg B1 is full" in page
    assert (
        "1 bus of 50 seats from KRT-1 (Khartoum, Riyadh district) to PZU-PORT "
        "(Port Sudan seaport), leaving before S1, for 3 of the people left out."
    ) in page
    assert 'id="leg-B1"' in page and "10 / 10" in page
    french = client.get("/staff/plan?lang=fr").text
    assert "1 bus de 50 places de KRT-1 (Khartoum, Riyadh district)" in french
    arabic = client.get("/staff/plan?lang=ar").text
    assert "حافلة واحدة" in arabic
    client.get("/staff/plan?lang=en")
    committed = client.post(
        "/staff/plan/commit", data={"country": "", "csrf_token": csrf_token(client, "/staff/plan")}
    )
    assert "Plan saved: 10 people seated, 3 left out, 2 moved." in committed.text
    assert f'id="journey-{crisis.cases["Two"].reference}"' in committed.text


def test_a_journey_from_an_assembly_point_shows_on_its_clocks_to_staff_and_registrant(
    client: TestClient, session: Session
) -> None:
    """KRT-1 is no airport: the case page and the registrant's seat read its stored zone
    (they failed with "Unknown IATA airport code")."""
    _staff(session)
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    two = crisis.cases["Two"]
    legs = seat_summary(session, two)["seat_legs"]
    assert [(leg.flight.flight_number, leg.departure.local.isoformat()) for leg in legs] == [  # type: ignore[attr-defined]
        ("B1", "2026-12-01T06:00:00+02:00"),  # Khartoum
        ("S1", "2026-12-02T06:00:00+02:00"),  # Port Sudan
        ("B2", "2026-12-02T22:00:00+03:00"),  # Jeddah's port
        ("F1", "2026-12-03T05:00:00+03:00"),  # Jeddah's airport
    ]
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{two.reference}?lang=en")
    assert page.status_code == 200
    journey = page.text[page.text.index('id="journey"') :]
    assert "(Sudan Time, UTC+02:00)" in journey[: journey.index("</ol>")]


def test_a_household_going_by_bus_is_told_of_a_bus_and_its_whole_journey_by_sms(
    session: Session,
) -> None:
    """The SMS names the first leg as a bus leaving from a departure point (not an
    airport), and every leg after it."""
    crisis = make_crisis(session)
    commit_plan(session, actor="planner")
    eight = crisis.cases["Eight"]
    sms = session.exec(
        select(OutboxMessage.body).where(
            OutboxMessage.template == "seat_assigned_sms",
            OutboxMessage.registration_id == eight.id,
        )
    ).one()
    assert "Seat on bus B1" in sms
    assert "from KRT-1" in sms
    assert "airport" not in sms
    assert "Journey: B1, S1, B2, F1." in sms
