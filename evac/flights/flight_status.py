"""The life of a flight, as one table, and the one function that writes its status.

    planned/open ─close→ closed ─depart→ departed ─arrive→ arrived
                         closed ─reopen→ open (until it departs)
    planned/open/closed ─cancel→ cancelled

The flight's passengers move with it through ``evac.lifecycle`` (no-shows at
closing, arrival of the boarded households), called by ``evac.flights.closing``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from evac.audit.service import record_event
from evac.errors import Conflict
from evac.flights.models import AssignmentStatus as Seat
from evac.flights.models import Flight
from evac.flights.models import FlightStatus as F
from evac.i18n import N_
from evac.row_versions import claim_next_version


class FlightAction(StrEnum):
    close = "close"
    reopen = "reopen"
    depart = "depart"
    arrive = "arrive"
    cancel = "cancel"


@dataclass(frozen=True)
class FlightTransition:
    sources: frozenset[F]
    target: F


FLIGHT_TRANSITIONS: dict[FlightAction, FlightTransition] = {
    FlightAction.close: FlightTransition(frozenset({F.planned, F.open}), F.closed),
    FlightAction.reopen: FlightTransition(frozenset({F.closed}), F.open),
    FlightAction.depart: FlightTransition(frozenset({F.closed}), F.departed),
    FlightAction.arrive: FlightTransition(frozenset({F.departed}), F.arrived),
    FlightAction.cancel: FlightTransition(frozenset({F.planned, F.open, F.closed}), F.cancelled),
}
# Check-in is open on these; boarding goes on until the flight departs.
CHECK_IN_OPEN = frozenset({F.planned, F.open})
BOARDING_OPEN = frozenset({F.planned, F.open, F.closed})

FLIGHT_STATUS_WORDS: dict[F, str] = {
    F.planned: N_("Planned"),
    F.open: N_("Check-in open"),
    F.closed: N_("Check-in closed"),
    F.departed: N_("Departed"),
    F.arrived: N_("Arrived"),
    F.cancelled: N_("Cancelled"),
}
SEAT_STATUS_WORDS: dict[Seat, str] = {
    Seat.assigned: N_("Expected"),
    Seat.confirmed: N_("Expected"),
    Seat.checked_in: N_("Checked in"),
    Seat.boarded: N_("On board"),
    Seat.no_show: N_("No-show"),
    Seat.offloaded: N_("Offloaded"),
}

_WHY_NOT: dict[FlightAction, str] = {
    FlightAction.close: N_("Check-in on this flight is already closed."),
    FlightAction.reopen: N_("Only a closed flight that has not departed can be reopened."),
    FlightAction.depart: N_("Close check-in before marking the flight departed."),
    FlightAction.arrive: N_("Only a departed flight can arrive."),
    FlightAction.cancel: N_("This flight can no longer be cancelled."),
}


class FlightRefused(Conflict):
    code = "flight_status_refused"


class StaleFlight(Conflict):
    def __init__(self) -> None:
        super().__init__(
            N_("Someone else changed this flight while you were working on it. Reload and retry.")
        )


def flight_refusal(action: FlightAction, current: F) -> str | None:
    """None if ``action`` may move a flight in ``current``, else why not, in words."""
    return None if current in FLIGHT_TRANSITIONS[action].sources else _WHY_NOT[action]


def move_flight(
    session: Session,
    flight: Flight,
    action: FlightAction,
    *,
    actor: str,
    expected_version: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Move the flight by ``action`` (checked against the table), claim its next row
    version and audit ``flight.<action>``; the caller commits."""
    current = F(flight.status)
    reason = flight_refusal(action, current)
    if reason:
        raise FlightRefused(reason)
    before = {"status": current, "row_version": flight.row_version}
    claim_next_version(session, flight, expected_version, StaleFlight)
    flight.status = FLIGHT_TRANSITIONS[action].target
    session.flush()
    record_event(
        session,
        actor=actor,
        action=f"flight.{action}",
        subject_type="flight",
        subject_id=flight.id,  # type: ignore[arg-type]
        before=before,
        after={"status": flight.status, "row_version": flight.row_version, **(details or {})},
    )
