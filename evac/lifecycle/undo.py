"""Undoing an officer's last change of a case's status, from the page that shows its result.

A change can be undone while nothing else happened to the case since (its row
version is still the one the change's audit event gave it) and ``rules.way_back``
knows the way: a withdrawn, duplicate or deferred case is reopened and put back
to its earlier status; a household taken off its flight is seated again on the
same flight (every leg of the same journey), if each still takes passengers and
has room for all of it.
Each step goes through ``service.apply`` and is audited as ``case.<action>``
with ``undo_of`` naming the event undone. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.errors import UndoRefused
from evac.flights.models import Assignment, Flight
from evac.flights.models import AssignmentStatus as Seat
from evac.i18n import N_
from evac.lifecycle import service
from evac.lifecycle.rules import TAKES_PASSENGERS, Action, needs_confirmation, way_back
from evac.notifications.flight_notices import enqueue_seats_given_back
from evac.registration.models import CaseStatus, Registration


@dataclass(frozen=True)
class StatusUndo:
    """The change the case page offers to undo."""

    event_id: int
    old: CaseStatus
    new: CaseStatus
    steps: tuple[Action, ...]
    flight_id: int | None
    flight_ids: tuple[int, ...] = ()


def _offer_from(event: AuditEvent, case: Registration) -> StatusUndo | None:
    before, after = event.before or {}, event.after or {}
    if "undo_of" in after or after.get("row_version") != case.row_version:
        return None
    try:
        old, new = CaseStatus(before.get("status")), CaseStatus(after.get("status"))
    except ValueError:
        return None
    steps = way_back(old, new)
    weighty = needs_confirmation(old, new) or new == CaseStatus.deferred
    if steps is None or new != case.status or not weighty:
        return None
    flight_id = after.get("flight_id")
    if Action.seat in steps and not isinstance(flight_id, int):
        return None
    legs = after.get("flight_ids") or ([flight_id] if isinstance(flight_id, int) else [])
    return StatusUndo(event.id or 0, old, new, steps, flight_id, tuple(legs))


def status_undo(session: Session, case: Registration) -> StatusUndo | None:
    """The last change of the case's status, if nothing happened since and it has a way back."""
    event = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.subject_type == "registration",
            AuditEvent.subject_id == case.reference,
            col(AuditEvent.action).startswith("case."),
        )
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
    return _offer_from(event, case) if event is not None else None


def undo_status(session: Session, case: Registration, event_id: int, *, actor: str) -> CaseStatus:
    """Undo the change ``event_id`` offered by ``status_undo``; returns the status restored."""
    offer = status_undo(session, case)
    if offer is None or offer.event_id != event_id:
        raise UndoRefused(N_("This change can no longer be undone: the case changed since."))
    flight = None
    for action in offer.steps:
        details: dict[str, object] = {"undo_of": event_id}
        if action is Action.seat:
            legs = _reseat(session, case, offer.flight_ids)
            flight = legs[0]
            details["flights"] = [leg.flight_number for leg in legs]
            details["flight"] = flight.flight_number
        service.apply(session, case, action, actor=actor, details=details)
    if flight is not None:  # they were told their seats were released: tell them again
        enqueue_seats_given_back(session, flight, [case.id])  # type: ignore[list-item]
    return offer.old


def _reseat(session: Session, case: Registration, flight_ids: tuple[int, ...]) -> list[Flight]:
    """Give the household back the seats it had on every leg, if they are still free."""
    legs = [session.get(Flight, flight_id) for flight_id in flight_ids]
    if not legs or any(leg is None or leg.status not in TAKES_PASSENGERS for leg in legs):
        raise UndoRefused(N_("That flight no longer takes passengers."))
    released = session.exec(
        select(Assignment).where(
            Assignment.registration_id == case.id,
            Assignment.flight_id == flight_ids[0],
            Assignment.status == Seat.offloaded,
        )
    ).all()
    people = {person.id for person in case.members if person.is_active}
    seats = {s.person_id: s.uses_stretcher for s in released if s.person_id in people}
    if not seats:
        raise UndoRefused(N_("This change can no longer be undone: the case changed since."))
    wanted = [service.NewSeat(person, stretcher) for person, stretcher in seats.items()]
    service.add_journey_seats(session, case, legs, wanted)  # type: ignore[arg-type]
    return legs  # type: ignore[return-value]
