"""Two officers in two processes move households onto the last seat at once, seat
households on two journeys that share a leg with room for one of them, or send two
people left behind onto the last seat of an onward bus."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine
from evac.flights.models import Assignment, LegMode
from evac.lifecycle.rules import LIVE_SEATS
from evac.planning.service import commit_plan
from evac.staff.auth import build_context
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member, verify
from tests.planning_db.journeys import make_leg
from tests.planning_db.onward import leave_behind, make_route
from tests.planning_db.test_plan_commit import make_flight

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5


def _live_seats(engine: sa.Engine, flight_id: int) -> int:
    with engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count()).where(
                Assignment.flight_id == flight_id,
                Assignment.status.in_(LIVE_SEATS),  # type: ignore[attr-defined]
            )
        ).scalar_one()


def _race(module: str, arguments: list[list[str]], go: Path, url: str) -> list[str]:
    """Start one worker process per argument list (after the database's URL, before
    the start signal's file), let them go at once, and return what each printed."""
    env = {**os.environ, "EVAC_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", module, url, *args, str(go)],
            env=env,
            cwd=ROOT,
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for args in arguments
    ]
    go.touch()
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        outcomes.append(out.strip())
    return outcomes


def test_two_officers_moving_households_at_once_never_overbook_a_flight(
    fresh_database: str, tmp_path: Path
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        make_mission(session, "BERLIN", ["DE"])
        make_staff(session, "officer", Role.officer, ["BERLIN"])
        households = [
            make_case(session, members=[member("Leyla", f"Demir{'x' * i}")])
            for i in range(2 * ROUNDS)
        ]
        make_flight(session, "TK1", 2 * ROUNDS)
        commit_plan(session, actor="planner", country="DE")
        last_seats = [make_flight(session, f"TK{2 + n}", 1, hours=n + 1) for n in range(ROUNDS)]
        references = [case.reference for case in households]
        flight_ids = [flight.id for flight in last_seats]
    outcomes = []
    for round_, flight_id in enumerate(flight_ids):
        pair = references[2 * round_ : 2 * round_ + 2]
        moves = [[reference, "TK1", f"TK{2 + round_}"] for reference in pair]
        go = tmp_path / f"go-{round_}"
        outcomes += _race("tests.planning_db.move_worker", moves, go, fresh_database)
        assert _live_seats(engine, flight_id) == 1
    engine.dispose()
    assert outcomes.count("moved") == ROUNDS
    assert outcomes.count("refused: That flight has no room for the whole household.") == ROUNDS


def test_two_households_racing_for_the_last_seats_of_a_shared_leg_never_overbook_it(
    fresh_database: str, tmp_path: Path
) -> None:
    """Two journeys from two towns meet on one leg with room for one household only."""
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        make_mission(session, "BERLIN", ["DE"])
        households = [
            verify(session, make_case(session, members=[member("Leyla", f"Demir{'x' * i}"),
                                                        member("Mert", f"Demir{'x' * i}")]))
            for i in range(2 * ROUNDS)
        ]  # fmt: skip
        rounds = []
        for n in range(ROUNDS):
            buses = [make_leg(session, f"B{n}{side}", 9, "BER", "FRA", hours=n) for side in "ab"]
            shared = make_leg(session, f"S{n}", 2, "FRA", "IST", hours=n + 6)
            rounds.append(([f"{bus.flight_number},S{n}" for bus in buses], shared.id))
    outcomes = []
    for round_, (journeys, shared_id) in enumerate(rounds):
        pair = households[2 * round_ : 2 * round_ + 2]
        seats = [[case.reference, legs, "seat"] for case, legs in zip(pair, journeys, strict=True)]
        go = tmp_path / f"go-{round_}"
        outcomes += _race("tests.planning_db.journey_worker", seats, go, fresh_database)
        assert _live_seats(engine, shared_id) == 2
    engine.dispose()
    assert outcomes.count("seated") == ROUNDS
    assert outcomes.count("refused: The leg %(flight)s has no room for the whole household.") == (
        ROUNDS
    )


def test_two_officers_sending_people_left_behind_onto_the_last_seat_never_overbook_it(
    fresh_database: str, tmp_path: Path
) -> None:
    """Two households each left someone behind at Jeddah's port; each round, a bus to
    the airport has one seat left, and two officers give it away at once."""
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    rounds = 3  # each round starts two processes
    families = {f"Demir{'x' * i}": False for i in range(2 * rounds)}
    with Session(engine, expire_on_commit=False) as session:
        make_mission(session, "KHARTOUM", ["SD"])
        officer = make_staff(session, "officer", Role.officer, ["KHARTOUM"])
        staff = build_context(session, officer, csrf_token="")
        route = make_route(session)
        households = leave_behind(session, staff, route, families)
        buses = [
            route.add(f"B{3 + n}", LegMode.bus, ("SA", "JED-PORT", "JED"), (44 + n / 4, 46), 1)
            for n in range(rounds)
        ]
    outcomes = []
    for round_, bus in enumerate(buses):
        pair = households[2 * round_ : 2 * round_ + 2]
        onward = [[h.case.reference, f"{bus.flight_number},F1", "onward"] for h in pair]
        go = tmp_path / f"go-{round_}"
        outcomes += _race("tests.planning_db.journey_worker", onward, go, fresh_database)
        assert _live_seats(engine, bus.id) == 1  # type: ignore[arg-type]
    engine.dispose()
    assert outcomes.count("sent") == rounds
    refused = "refused: The leg %(flight)s has no room left for them: choose another journey."
    assert outcomes.count(refused) == rounds
