"""The planner's shell: load the plain input, call the pure core, save the result.

``preview_plan`` only reads. ``commit_plan`` plans again inside a lock (an
advisory lock on PostgreSQL; SQLite's write lock, taken at BEGIN IMMEDIATE),
writes assignments, case statuses and audit events in one transaction, checks
that no flight is over capacity and commits: two coordinators committing at
once are serialized and can never overbook a flight.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from evac.errors import Conflict
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.notifications.flight_notices import enqueue_seat_notices, enqueue_seats_released
from evac.planning import data
from evac.planning.core import plan
from evac.planning.loading import (
    candidate_airports,
    current_flights,
    held_back,
    load_flights,
    load_households,
    policy_from,
)
from evac.settings import get_settings

PLANNER_LOCK_KEY = 0x65766163  # "evac"
CHUNK = 5000


@dataclass(frozen=True)
class Move:
    registration_id: int
    reference: str
    people: int
    before: int | None
    after: int | None


@dataclass(frozen=True)
class PlanPreview:
    result: data.PlanResult
    households: dict[int, data.Household]
    flights: dict[int, data.Flight]
    moves: list[Move]
    country: str | None
    held_back: dict[str, int]

    @property
    def assigned_people(self) -> int:
        return len(self.result.assignments)

    @property
    def unassigned_people(self) -> int:
        return sum(u.people for u in self.result.unassigned)


def _compute(session: Session, country: str | None) -> PlanPreview:
    country = country.upper() if country else None
    seat_requires = get_settings().seat_requires
    households = load_households(session, country, seat_requires)
    flights = load_flights(session, country)
    result = plan(households, flights, policy_from(get_settings()), candidate_airports())
    current = current_flights(session, country)
    planned = {a.registration_id: a.flight_id for a in result.assignments}
    by_id = {h.registration_id: h for h in households}
    moves = [
        Move(rid, by_id[rid].reference, len(by_id[rid].members), current.get(rid), planned.get(rid))
        for rid in sorted(by_id)
        if current.get(rid) != planned.get(rid) and by_id[rid].fixed_flight_id is None
    ]
    flights_by_id = {f.flight_id: f for f in flights}
    waiting = held_back(session, country, seat_requires)
    return PlanPreview(result, by_id, flights_by_id, moves, country, waiting)


def preview_plan(session: Session, country: str | None = None) -> PlanPreview:
    return _compute(session, country)


def commit_plan(session: Session, *, actor: str, country: str | None = None) -> PlanPreview:
    try:
        _take_planner_lock(session)
        preview = _compute(session, country)
        _write(session, preview, actor)
        # Messages go in the same transaction: none for a plan that is rolled back.
        enqueue_seat_notices(session, preview)
        _check_capacity(session, list(preview.flights))
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return preview


def _take_planner_lock(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(PLANNER_LOCK_KEY)))
    else:
        # Any statement opens the transaction, which on SQLite is BEGIN IMMEDIATE.
        session.execute(sa.select(1))


def _write(session: Session, preview: PlanPreview, actor: str) -> None:
    """Save the plan's moves: only households whose flight changes are touched."""
    moves = preview.moves
    lifecycle.drop_unconfirmed_seats(session, [m.registration_id for m in moves if m.before])
    seated = {m.registration_id for m in moves if m.after is not None}
    lifecycle.insert_seats(
        session,
        [
            {
                "flight_id": a.flight_id,
                "person_id": a.person_id,
                "registration_id": a.registration_id,
                "uses_stretcher": a.uses_stretcher,
            }
            for a in preview.result.assignments
            if a.registration_id in seated
        ],
    )
    details = {m.registration_id: _move_details(preview, m) for m in moves}
    lifecycle.apply_many(session, sorted(seated), Action.seat, actor=actor, details=details)
    unseated = {m.registration_id: m.before for m in moves if m.after is None and m.before}
    lifecycle.apply_many(session, sorted(unseated), Action.unseat, actor=actor, details=details)
    enqueue_seats_released(session, unseated)  # type: ignore[arg-type]


def _move_details(preview: PlanPreview, move: Move) -> dict[str, object]:
    def number(flight_id: int | None) -> str | None:
        flight = preview.flights.get(flight_id or -1)
        return flight.flight_number if flight else None

    return {"from_flight": number(move.before), "flight": number(move.after), "people": move.people}


def _check_capacity(session: Session, flight_ids: list[int]) -> None:
    """The last guard: no flight may hold more than its seats and stretchers."""
    used = (
        sa.select(
            Assignment.flight_id,
            sa.func.sum(sa.case((Assignment.uses_stretcher, 0), else_=1)).label("seats"),
            sa.func.sum(sa.case((Assignment.uses_stretcher, 1), else_=0)).label("stretchers"),
        )
        .where(Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES))  # type: ignore[attr-defined]
        .group_by(Assignment.flight_id)
        .subquery()
    )
    over = session.execute(
        sa.select(Flight.flight_number)
        .join(used, used.c.flight_id == Flight.id)
        .where(
            Flight.id.in_(flight_ids),  # type: ignore[union-attr]
            sa.or_(used.c.seats > Flight.seats, used.c.stretchers > Flight.stretchers),
        )
    ).all()
    if over:
        raise Conflict(
            N_("The plan would overbook %(flights)s; nothing was saved."),
            flights=", ".join(row.flight_number for row in over),
        )
