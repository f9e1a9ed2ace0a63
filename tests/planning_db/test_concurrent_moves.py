"""Two officers in two processes move households onto the last seat at once, or seat
households on two journeys that share a leg with room for one of them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine
from evac.flights.models import Assignment
from evac.lifecycle.rules import LIVE_SEATS
from evac.planning.service import commit_plan
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member, verify
from tests.planning_db.journeys import make_leg
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
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database, "PYTHONPATH": str(ROOT)}
    outcomes = []
    for round_, flight_id in enumerate(flight_ids):
        go = tmp_path / f"go-{round_}"
        pair = references[2 * round_ : 2 * round_ + 2]
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.planning_db.move_worker",
                    fresh_database,
                    reference,
                    "TK1",
                    f"TK{2 + round_}",
                    str(go),
                ],
                env=env,
                cwd=ROOT,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for reference in pair
        ]
        go.touch()
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            outcomes.append(out.strip())
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
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database, "PYTHONPATH": str(ROOT)}
    outcomes = []
    for round_, (journeys, shared_id) in enumerate(rounds):
        go = tmp_path / f"go-{round_}"
        pair = households[2 * round_ : 2 * round_ + 2]
        workers = [
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "tests.planning_db.journey_worker",
                    fresh_database,
                    case.reference,
                    legs,
                    str(go),
                ],
                env=env,
                cwd=ROOT,
                text=True,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for case, legs in zip(pair, journeys, strict=True)
        ]
        go.touch()
        for worker in workers:
            out, err = worker.communicate(timeout=120)
            assert worker.returncode == 0, err
            outcomes.append(out.strip())
        assert _live_seats(engine, shared_id) == 2
    engine.dispose()
    assert outcomes.count("seated") == ROUNDS
    assert outcomes.count("refused: The leg %(flight)s has no room for the whole household.") == (
        ROUNDS
    )
