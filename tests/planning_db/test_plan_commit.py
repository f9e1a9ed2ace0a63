"""Coordinators preview and commit plans; commits are atomic and never overbook."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.models import (
    Assignment,
    AssignmentStatus,
    Flight,
    FlightKind,
    FlightStatus,
    mode_for_kind,
)
from evac.flights.seating import confirm_seats
from evac.flights.service import cancel_flight
from evac.planning.service import commit_plan, preview_plan
from evac.registration.models import CaseStatus
from tests.factories import leg_row, make_case, member

EVAC = str(Path(sys.executable).with_name("evac"))
SOON = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def make_flight(session: Session, number: str, seats: int, *, stretchers: int = 0,
                airport: str = "BER", kind: str = "regular", hours: int = 0) -> Flight:  # fmt: skip
    flight = leg_row(
        session, flight_number=number, kind=kind, mode=mode_for_kind(FlightKind(kind)),
        departure_airport=airport, destination_airport="IST",
        country="DE", departure_time=SOON + timedelta(hours=hours),
        departure_date=(SOON + timedelta(hours=hours)).date(), seats=seats,
        stretchers=stretchers, status=FlightStatus.open,
    )  # fmt: skip
    session.add(flight)
    session.commit()
    return flight


def _seats(session: Session, flight: Flight) -> list[Assignment]:
    return list(
        session.exec(
            select(Assignment).where(
                Assignment.flight_id == flight.id, Assignment.status != AssignmentStatus.offloaded
            )
        ).all()
    )


def test_preview_changes_nothing(session: Session) -> None:
    make_case(session, "DE")
    flight = make_flight(session, "TK1", 10)
    preview = preview_plan(session, "DE")
    assert preview.assigned_people == 1
    assert _seats(session, flight) == []


def test_commit_seats_households_sets_statuses_and_audits(session: Session) -> None:
    family = make_case(session, "DE", [member("Ada", "Kurt"), member("Eren", "Kurt")])
    flight = make_flight(session, "TK1", 10)
    preview = commit_plan(session, actor="planner", country="DE")
    assert preview.assigned_people == 2
    assert {a.person_id for a in _seats(session, flight)} == {m.id for m in family.members}
    session.refresh(family)
    assert family.status == CaseStatus.assigned
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.seat")).one()
    assert event.subject_id == family.reference and event.after["flight"] == "TK1"


def test_replanning_an_unchanged_situation_moves_nobody(session: Session) -> None:
    make_case(session, "DE")
    make_flight(session, "TK1", 10)
    commit_plan(session, actor="planner", country="DE")
    again = commit_plan(session, actor="planner", country="DE")
    assert again.moves == []


def test_confirmed_passengers_are_never_moved_by_a_new_plan(session: Session) -> None:
    early = make_case(session, "DE")
    late_flight = make_flight(session, "TK2", 10, hours=24)
    commit_plan(session, actor="planner", country="DE")
    confirm_seats(session, early, actor="registrant")
    make_flight(session, "TK1", 10)  # an earlier flight appears
    commit_plan(session, actor="planner", country="DE")
    assert [a.status for a in _seats(session, late_flight)] == [AssignmentStatus.confirmed]


def test_a_cancelled_flight_returns_its_passengers_to_the_pool(session: Session) -> None:
    case = make_case(session, "DE")
    doomed = make_flight(session, "TK1", 10)
    spare = make_flight(session, "TK2", 10, hours=5)
    commit_plan(session, actor="planner", country="DE")
    seat = _seats(session, doomed)[0]
    confirm_seats(session, case, actor="registrant")
    cancel_flight(session, doomed, expected_version=doomed.row_version, actor="coordinator")
    session.refresh(seat)
    session.refresh(case)
    assert (seat.status, case.status) == (AssignmentStatus.offloaded, CaseStatus.verified)
    commit_plan(session, actor="planner", country="DE")
    assert [a.registration_id for a in _seats(session, spare)] == [case.id]


def test_nobody_is_seated_beyond_capacity(session: Session) -> None:
    cases = [make_case(session, "DE") for _ in range(5)]
    flight = make_flight(session, "TK1", 3)
    preview = commit_plan(session, actor="planner", country="DE")
    assert len(_seats(session, flight)) == 3
    assert {u.reason.value for u in preview.result.unassigned} == {"no_capacity"}
    assert len(cases) - 3 == len(preview.result.unassigned)


def _run(*args: str, url: str, cwd: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "EVAC_DATABASE_URL": url}
    return subprocess.Popen(
        [EVAC, *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip


def test_cli_json_and_two_concurrent_commits_never_overbook(
    fresh_database: str, tmp_path: Path
) -> None:
    for step in (("db", "upgrade"), ("seed", "demo", "--people", "600", "--seed", "3")):
        done = _run(*step, url=fresh_database, cwd=tmp_path)
        assert done.wait(timeout=120) == 0, done.stderr.read()  # type: ignore[union-attr]
    both = [_run("plan", "--commit", url=fresh_database, cwd=tmp_path) for _ in range(2)]
    for process in both:
        assert process.wait(timeout=120) == 0, process.stderr.read()  # type: ignore[union-attr]
    preview = _run("plan", "--json", url=fresh_database, cwd=tmp_path)
    out, err = preview.communicate(timeout=120)
    assert preview.returncode == 0, err
    report = json.loads(out)
    # The demo's Sudan and Ukraine operations go by bus and ship: the journey planner runs.
    assert set(report) == {
        "planner",
        "households",
        "assigned_people",
        "unassigned_people",
        "legs",
        "recommendations",
        "preference",
        "unassigned",
        "held_back",
    }
    assert report["planner"] == "journeys"
    assert report["assigned_people"] > 0 and isinstance(report["unassigned_people"], int)
    for leg in report["legs"]:
        assert leg["seats_used"] <= leg["seats"]
        assert leg["stretchers_used"] <= leg["stretchers"]
    engine = sa.create_engine(fresh_database)
    with engine.connect() as connection:
        over = connection.execute(
            sa.text(
                "SELECT f.flight_number FROM flight f JOIN assignment a ON a.flight_id = f.id "
                "WHERE a.status IN ('assigned','confirmed','checked_in','boarded') "
                "GROUP BY f.id, f.flight_number, f.seats, f.stretchers "
                "HAVING sum(CASE WHEN a.uses_stretcher THEN 0 ELSE 1 END) > f.seats "
                "OR sum(CASE WHEN a.uses_stretcher THEN 1 ELSE 0 END) > f.stretchers"
            )
        ).all()
        seated = connection.execute(
            sa.text("SELECT count(DISTINCT person_id) FROM assignment WHERE status = 'assigned'")
        ).scalar_one()
    engine.dispose()
    assert over == []
    assert seated == report["assigned_people"]


def test_a_commit_that_fails_half_way_leaves_nothing_behind(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evac.lifecycle import service

    case = make_case(session, "DE")
    flight = make_flight(session, "TK1", 10)

    def crash(*_: object) -> None:
        raise RuntimeError("the database went away")

    # Seats are already inserted and statuses changed when the audit write fails.
    monkeypatch.setattr(service, "record_events", crash)
    with pytest.raises(RuntimeError):
        commit_plan(session, actor="planner", country="DE")
    session.expire_all()
    assert _seats(session, flight) == []
    assert session.get(type(case), case.id).status == CaseStatus.registered
