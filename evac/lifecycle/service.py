"""The only code that writes a case's status or its seats' statuses.

Every path (officer buttons and bulk actions, the registrant's page, the
planner, the manifest, the airport, merge, retention) calls ``apply`` or
``apply_many``. Each checks the transition against ``rules.CASE_TRANSITIONS``,
claims the case's next row version in the same conditional UPDATE that sets the
status, moves the seats as the rules say (checking ``rules.SEAT_TRANSITIONS``),
writes one audit event per case and, when seats are released, queues the
registrant's message, all in the caller's transaction: the caller commits.

Seats are created only by ``capacity.add_journey_seats`` (``add_seats`` for one
flight), which first locks every leg it fills and then checks their capacity, so
two officers moving households onto one leg at once cannot overbook it; and by
the planner's ``insert_seats``, checked under the planner's lock. A case's seats
on every leg of its journey move together (``_move_seats``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from evac.audit.service import record_events
from evac.db import insert_many, utcnow
from evac.errors import Conflict
from evac.flights.models import Assignment, Flight
from evac.flights.models import AssignmentStatus as Seat
from evac.i18n import N_
from evac.lifecycle.capacity import (
    NewSeat,
    add_journey_seats,
)
from evac.lifecycle.rules import (
    CASE_TRANSITIONS,
    CLOSED,
    LIVE_SEATS,
    NOT_FROM_HERE,
    SEATED,
    Action,
    refusal,
    seat_move_allowed,
    seat_target,
    seats_moved_by,
)
from evac.notifications.flight_notices import enqueue_seats_released
from evac.registration.models import CaseStatus, Person, Registration
from evac.row_versions import claim_next_version

CHUNK = 5000
# Bulk UPDATEs bring the objects already in the session up to date by evaluating
# the change in Python, not by reading every updated row back ("fetch"): the
# planner updates tens of thousands of rows and holds none of them.
IN_MEMORY = "evaluate"


class TransitionRefused(Conflict):
    code = "transition_refused"


class StaleCase(Conflict):
    code = "stale"

    def __init__(self) -> None:
        super().__init__(
            N_("Someone else changed this case while you were working on it. Reload and retry.")
        )


def apply(
    session: Session,
    case: Registration,
    action: Action,
    *,
    actor: str,
    expected_version: int | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Move one case by ``action``, or raise with the reason it is refused."""
    current = CaseStatus(case.status)
    reason = refusal(action, current)
    if reason:
        raise TransitionRefused(reason)
    target = CASE_TRANSITIONS[action].target
    if action is not Action.decline and case.declined_at is not None:
        case.declined_at = None  # an officer has taken the household's "no" in hand
    version = claim(session, case, current, target, expected_version)
    released = _move_seats(session, [case.id], current, action)  # type: ignore[list-item]
    _set_people_active(session, [case.id], target)  # type: ignore[list-item]
    if case.id in released:  # the legs the seats were on: what an undo seats it on again
        legs = released[case.id]  # type: ignore[index]
        details = {"flight_id": legs[0], "flight_ids": list(legs), **(details or {})}
    record_events(session, [case_event(actor, action, case.reference, current, version, details)])
    if released and action is not Action.no_show:
        enqueue_seats_released(session, first_legs(released))


def claim(
    session: Session,
    case: Registration,
    current: CaseStatus,
    target: CaseStatus,
    expected_version: int | None = None,
) -> int:
    """Set the case's status and claim its next row version in one conditional UPDATE,
    or raise ``StaleCase`` if it changed since it was read; returns the version read."""
    return claim_next_version(
        session,
        case,
        expected_version,
        StaleCase,
        also_where=(Registration.status == current,),  # type: ignore[arg-type]
        status=target,
    )


def apply_many(
    session: Session,
    case_ids: Sequence[int],
    action: Action,
    *,
    actor: str,
    details: Mapping[int, Mapping[str, Any]] | None = None,
    notify: bool = True,
) -> list[int]:
    """Move every case in ``case_ids`` that ``action`` allows; returns the ids moved.

    For the planner and the airport, which move thousands of cases at once: one
    conditional UPDATE per chunk, each case audited. Cases whose status does not
    allow the action are left as they are. ``notify=False`` queues no message for
    released seats, for a caller that tells the households itself.
    """
    transition = CASE_TRANSITIONS[action]
    moved: list[tuple[int, str, CaseStatus]] = []
    released: dict[int, tuple[int, ...]] = {}
    for start in range(0, len(case_ids), CHUNK):
        chunk = list(case_ids[start : start + CHUNK])
        rows = session.execute(
            sa.select(Registration.id, Registration.reference, Registration.status)
            .where(
                Registration.id.in_(chunk),  # type: ignore[union-attr]
                Registration.status.in_(transition.sources),  # type: ignore[attr-defined]
            )
            .with_for_update()
        ).all()
        for source in transition.sources:
            ids = [row.id for row in rows if row.status == source]
            if not ids:
                continue
            session.execute(
                sa.update(Registration)
                .where(Registration.id.in_(ids), Registration.status == source)  # type: ignore[union-attr,arg-type]
                .values(
                    status=transition.target,
                    row_version=Registration.row_version + 1,
                    updated_at=utcnow(),
                )
                .execution_options(synchronize_session=IN_MEMORY)
            )
            released |= _move_seats(session, ids, source, action)
        moved += [(row.id, row.reference, CaseStatus(row.status)) for row in rows]
    ids = [case_id for case_id, *_ in moved]
    _set_people_active(session, ids, transition.target)
    record_events(
        session,
        [
            case_event(actor, action, reference, before, None, (details or {}).get(case_id))
            for case_id, reference, before in moved
        ],
    )
    if released and notify and action is not Action.no_show:
        enqueue_seats_released(session, first_legs(released))
    return ids


def add_seats(
    session: Session, case: Registration, flight: Flight, seats: Iterable[NewSeat]
) -> None:
    """Give the household new seats on one flight (a journey of one leg); see
    ``capacity.add_journey_seats``."""
    add_journey_seats(session, case, [flight], seats)


def insert_seats(session: Session, rows: list[dict[str, Any]]) -> None:
    """The planner's seats, checked by it against capacity under the planner's lock.

    A plain executemany (no ORM objects): the planner inserts tens of thousands.
    """
    if rows:
        now = utcnow()
        seats = [
            {**row, "status": Seat.assigned, "created_at": now, "updated_at": now} for row in rows
        ]
        insert_many(session, Assignment.__table__, seats)  # type: ignore[arg-type]


def drop_unconfirmed_seats(session: Session, case_ids: Sequence[int]) -> None:
    """The planner takes back the seats it gave and nobody confirmed, to plan them again."""
    for start in range(0, len(case_ids), CHUNK):
        session.execute(
            sa.delete(Assignment).where(
                Assignment.registration_id.in_(case_ids[start : start + CHUNK]),  # type: ignore[attr-defined]
                Assignment.status == Seat.assigned,
            )
        )


def cases_on(session: Session, flight: Flight) -> list[int]:
    """The cases holding live seats on ``flight``."""
    return list(
        session.execute(
            sa.select(Assignment.registration_id)
            .where(
                Assignment.flight_id == flight.id,
                Assignment.status.in_(LIVE_SEATS),  # type: ignore[attr-defined]
            )
            .distinct()
        ).scalars()
    )


def seats_of(session: Session, case_ids: Sequence[int]) -> int:
    """How many live seats the cases hold."""
    if not case_ids:
        return 0
    return session.execute(
        sa.select(sa.func.count()).where(
            Assignment.registration_id.in_(case_ids),  # type: ignore[attr-defined]
            Assignment.status.in_(LIVE_SEATS),  # type: ignore[attr-defined]
        )
    ).scalar_one()


def _move_seats(
    session: Session, case_ids: list[int], source: CaseStatus, action: Action
) -> dict[int, tuple[int, ...]]:
    """Move the cases' seats on every leg as ``action`` says; returns, for each case that
    lost its seats by leaving the seated statuses, the legs it had them on, in order."""
    seats_to = seat_target(action)
    if seats_to is None:
        return {}
    rows = session.execute(
        sa.select(
            Assignment.id, Assignment.registration_id, Assignment.flight_id, Assignment.status
        )
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(
            Assignment.registration_id.in_(case_ids),  # type: ignore[attr-defined]
            Assignment.status.in_(seats_moved_by(action)),  # type: ignore[attr-defined]
        )
        .order_by(Flight.departure_time, Flight.id)
        .with_for_update(of=Assignment)  # type: ignore[arg-type]
    ).all()
    if any(not seat_move_allowed(Seat(row.status), seats_to) for row in rows):
        session.rollback()
        raise TransitionRefused(NOT_FROM_HERE)
    if rows:
        session.execute(
            sa.update(Assignment)
            .where(Assignment.id.in_([row.id for row in rows]))  # type: ignore[attr-defined]
            .values(status=seats_to, updated_at=utcnow())
            .execution_options(synchronize_session=IN_MEMORY)
        )
    if source not in SEATED or seats_to in LIVE_SEATS:
        return {}
    legs: dict[int, dict[int, None]] = {}
    for row in rows:
        if row.status in LIVE_SEATS:  # no-shows released with them were not held
            legs.setdefault(row.registration_id, {})[row.flight_id] = None
    return {case_id: tuple(flights) for case_id, flights in legs.items()}


def first_legs(released: Mapping[int, Sequence[int]]) -> dict[int, int]:
    """Case id → the first leg it was released from: what its message names."""
    return {case_id: legs[0] for case_id, legs in released.items()}


def _set_people_active(session: Session, case_ids: list[int], target: CaseStatus) -> None:
    """People of closed cases no longer hold their documents (the unique index).

    Only the people whose flag changes are written: rewriting a flag in the
    unique index's predicate rewrites every index of the row, and a plan's
    25,000 seated households took 5 s of PostgreSQL's time for no change."""
    if not case_ids:
        return
    active = target not in CLOSED
    try:
        session.execute(
            sa.update(Person)
            .where(
                Person.registration_id.in_(case_ids),  # type: ignore[attr-defined]
                Person.is_active.is_not(active),  # type: ignore[attr-defined]
            )
            .values(is_active=active)
            .execution_options(synchronize_session=IN_MEMORY)
        )
    except IntegrityError:
        session.rollback()
        raise Conflict(
            N_("A member's travel document is now used by another active case.")
        ) from None


def case_event(
    actor: str,
    action: Action,
    reference: str,
    before: CaseStatus,
    version: int | None,
    details: Mapping[str, Any] | None,
    target: CaseStatus | None = None,
) -> dict[str, Any]:
    """The audit event ``case.<action>``; ``target`` when the case does not move as the
    action's row says (an airport step taken by more of a household's people)."""
    target = target or CASE_TRANSITIONS[action].target
    before_values: dict[str, Any] = {"status": before}
    after_values: dict[str, Any] = {"status": target, **(details or {})}
    if version is not None:
        before_values["row_version"] = version
        after_values["row_version"] = version + 1
    return {
        "actor": actor,
        "action": f"case.{action}",
        "subject_type": "registration",
        "subject_id": reference,
        "before": before_values,
        "after": after_values,
    }
