"""The planner's shell: load the plain input, call the pure core, save the result.

``preview_plan`` only reads. ``commit_plan`` plans again inside a lock (an
advisory lock on PostgreSQL; SQLite's write lock, taken at BEGIN IMMEDIATE),
writes assignments, case statuses and audit events in one transaction, checks
that no flight is over capacity and commits: two coordinators committing at
once are serialized and can never overbook a flight. A household's plan is a
journey (its legs in travel order, one for a flight): only households whose
journey changes are touched, and every leg the plan writes to is locked, in id
order, so that an officer seating a household at the same moment waits for it.
"""

from __future__ import annotations

from dataclasses import replace

import sqlalchemy as sa
from sqlmodel import Session

from evac.errors import Conflict
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.capacity import lock_flights
from evac.lifecycle.rules import Action
from evac.notifications.flight_notices import enqueue_seat_notices, enqueue_seats_released
from evac.planning import data
from evac.planning.core import plan
from evac.planning.journey_loading import load_network, needs_journeys
from evac.planning.journey_plan import journey_preview
from evac.planning.loading import (
    candidate_airports,
    current_journeys,
    held_back,
    kept_on_later_legs,
    load_flights,
    load_households,
    policy_from,
)
from evac.planning.preview import Move, PlanPreview, moves_between
from evac.settings import get_settings

PLANNER_LOCK_KEY = 0x65766163  # "evac"
CHUNK = 5000


def _compute(session: Session, country: str | None) -> PlanPreview:
    """Plan with the flight planner while every leg is a direct flight home, as it
    always has; with the journey planner, for everyone, as soon as one is not."""
    country = country.upper() if country else None
    settings = get_settings()
    network = load_network(session)
    if needs_journeys(network, settings.home_country):
        return journey_preview(session, country, network, settings)
    households = load_households(session, country, settings.seat_requires)
    flights = _without_kept_seats(load_flights(session, country), kept_on_later_legs(session))
    result = plan(households, flights, policy_from(settings), candidate_airports())
    flights_by_id = {f.flight_id: f for f in flights}
    planned = _journeys(result.assignments, flights_by_id)
    moves = moves_between(households, current_journeys(session, country), planned)
    waiting = held_back(session, country, settings.seat_requires)
    by_id = {h.registration_id: h for h in households}
    return PlanPreview(result, by_id, flights_by_id, moves, country, waiting, network, planned)


def _without_kept_seats(
    flights: list[data.Flight], kept: dict[int, tuple[int, int]]
) -> list[data.Flight]:
    """The legs with the seats that households travelling on from an earlier leg keep."""
    return [
        replace(
            f,
            seats=max(f.seats - kept[f.flight_id][0], 0),
            stretchers=max(f.stretchers - kept[f.flight_id][1], 0),
        )
        if f.flight_id in kept
        else f
        for f in flights
    ]


def _journeys(
    assignments: tuple[data.PlannedAssignment, ...], flights: dict[int, data.Flight]
) -> dict[int, tuple[int, ...]]:
    """Each planned household's legs, in travel order."""
    legs: dict[int, set[int]] = {}
    for a in assignments:
        legs.setdefault(a.registration_id, set()).add(a.flight_id)

    def order(flight_id: int) -> tuple[object, int]:
        flight = flights.get(flight_id)
        return (flight.departure_time if flight else None, flight_id)

    return {rid: tuple(sorted(ids, key=order)) for rid, ids in legs.items()}


def preview_plan(session: Session, country: str | None = None) -> PlanPreview:
    return _compute(session, country)


def commit_plan(session: Session, *, actor: str, country: str | None = None) -> PlanPreview:
    try:
        _take_planner_lock(session)
        preview = _compute(session, country)
        _write(session, preview, actor)
        # Messages go in the same transaction: none for a plan that is rolled back.
        enqueue_seat_notices(session, preview)
        _check_capacity(session, preview.leg_ids())
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
    """Save the plan's moves: only households whose journey changes are touched."""
    moves = preview.moves
    legs = {leg for m in moves for leg in (*m.before_legs, *m.after_legs)}
    lock_flights(session, sorted(legs))
    lifecycle.drop_unconfirmed_seats(session, [m.registration_id for m in moves if m.before])
    seated = {m.registration_id for m in moves if m.after is not None}
    lifecycle.insert_seats(session, preview.seat_rows(seated))
    details = {m.registration_id: _move_details(preview, m) for m in moves}
    lifecycle.apply_many(session, sorted(seated), Action.seat, actor=actor, details=details)
    unseated = {m.registration_id: m.before for m in moves if m.after is None and m.before}
    lifecycle.apply_many(session, sorted(unseated), Action.unseat, actor=actor, details=details)
    enqueue_seats_released(session, unseated)  # type: ignore[arg-type]


def _move_details(preview: PlanPreview, move: Move) -> dict[str, object]:
    number = preview.leg_number
    details: dict[str, object] = {
        "from_flight": number(move.before),
        "flight": number(move.after),
        "people": move.people,
    }
    if len(move.before_legs) > 1 or len(move.after_legs) > 1:
        details["from_flights"] = [number(leg) for leg in move.before_legs]
        details["flights"] = [number(leg) for leg in move.after_legs]
    return details


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
