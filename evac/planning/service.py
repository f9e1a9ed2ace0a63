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

from evac.audit.service import record_events
from evac.db import utcnow
from evac.errors import Conflict
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, AssignmentStatus, Flight
from evac.notifications.flight_notices import enqueue_seat_notices
from evac.planning import data
from evac.planning.core import plan
from evac.planning.loading import (
    FIXED_ASSIGNMENTS,
    candidate_airports,
    current_flights,
    load_flights,
    load_households,
    policy_from,
)
from evac.registration.models import CaseStatus, Registration
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

    @property
    def assigned_people(self) -> int:
        return len(self.result.assignments)

    @property
    def unassigned_people(self) -> int:
        return sum(u.people for u in self.result.unassigned)


def _compute(session: Session, country: str | None) -> PlanPreview:
    country = country.upper() if country else None
    households = load_households(session, country)
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
    return PlanPreview(result, by_id, {f.flight_id: f for f in flights}, moves, country)


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
    pool = [rid for rid, h in preview.households.items() if not _keeps_fixed(h, preview)]
    in_pool = set(pool)
    _release_seats(session, preview, pool)
    rows = [
        {
            "flight_id": a.flight_id,
            "person_id": a.person_id,
            "registration_id": a.registration_id,
            "uses_stretcher": a.uses_stretcher,
            "status": AssignmentStatus.assigned,
        }
        for a in preview.result.assignments
        if a.registration_id in in_pool
    ]
    if rows:
        session.execute(sa.insert(Assignment), rows)
    seated = {a.registration_id for a in preview.result.assignments}
    _set_statuses(session, [r for r in pool if r in seated], CaseStatus.assigned)
    _set_statuses(session, [r for r in pool if r not in seated], CaseStatus.verified)
    record_events(session, _move_events(preview, actor))


def _keeps_fixed(household: data.Household, preview: PlanPreview) -> bool:
    flight = preview.flights.get(household.fixed_flight_id or -1)
    return flight is not None and not flight.cancelled


def _release_seats(session: Session, preview: PlanPreview, pool: list[int]) -> None:
    """Drop the pool's unconfirmed seats; offload confirmed ones on cancelled flights."""
    cancelled = [f.flight_id for f in preview.flights.values() if f.cancelled]
    for start in range(0, len(pool), CHUNK):
        chunk = pool[start : start + CHUNK]
        session.execute(
            sa.delete(Assignment).where(
                Assignment.registration_id.in_(chunk),  # type: ignore[attr-defined]
                Assignment.status == AssignmentStatus.assigned,
            )
        )
        if cancelled:
            session.execute(
                sa.update(Assignment)
                .where(
                    Assignment.registration_id.in_(chunk),  # type: ignore[attr-defined]
                    Assignment.flight_id.in_(cancelled),  # type: ignore[attr-defined]
                    Assignment.status.in_(FIXED_ASSIGNMENTS),  # type: ignore[attr-defined]
                )
                .values(status=AssignmentStatus.offloaded, updated_at=utcnow())
            )


def _set_statuses(session: Session, registration_ids: list[int], status: CaseStatus) -> None:
    """Plannable cases take the plan's status; others (fixed, closed) are left alone.

    A case that loses its seat returns to verified: the planner only seats
    cases that are registered, verified or assigned, and a seat means it was
    accepted for evacuation.
    """
    source = [CaseStatus.registered, CaseStatus.verified, CaseStatus.assigned]
    if status is CaseStatus.verified:
        source = [CaseStatus.assigned]
    for start in range(0, len(registration_ids), CHUNK):
        session.execute(
            sa.update(Registration)
            .where(
                Registration.id.in_(registration_ids[start : start + CHUNK]),  # type: ignore[union-attr]
                Registration.status.in_(source),  # type: ignore[attr-defined]
                Registration.status != status,
            )
            .values(status=status, row_version=Registration.row_version + 1, updated_at=utcnow())
        )


def _move_events(preview: PlanPreview, actor: str) -> list[dict[str, object]]:
    def number(flight_id: int | None) -> str | None:
        flight = preview.flights.get(flight_id or -1)
        return flight.flight_number if flight else None

    return [
        {
            "actor": actor,
            "action": "plan.assign" if move.after else "plan.unassign",
            "subject_type": "registration",
            "subject_id": move.reference,
            "before": {"flight": number(move.before)},
            "after": {"flight": number(move.after), "people": move.people},
        }
        for move in preview.moves
    ]


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
            "The plan would overbook %(flights)s; nothing was saved.",
            flights=", ".join(row.flight_number for row in over),
        )
