"""Closing check-in, reopening it, putting no-shows back, departure and arrival.

Each step first shows what it will do (``*_preview``), then does it only if
nothing changed since (the officer confirms the counts they saw). The flight's
status moves through ``flight_status.move_flight``; its passengers through
``evac.lifecycle``:

- closing makes every seat nobody checked in a no-show: whole households that
  never came become no-show cases, the missing people of a household that
  came lose their own seats only;
- a closed flight can be reopened until it departs, and its no-shows put back
  (if their seats are still free);
- departure leaves the boarded households boarded; arrival closes the cases
  whose journey ends with this leg, which then reach the retention purge;
  households with a later leg to travel stay boarded (in transit).

On a later leg of a journey the household is in transit (``boarded``): closing
makes its missing people's seats no-shows on that leg only and the case stays
boarded; ``evac.lifecycle.journeys.left_behind`` names them for an officer.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from evac.errors import Conflict, InvalidInput
from evac.flights.airport_list import EXPECTED, Traveller, people_on
from evac.flights.checkin import household_on_flight
from evac.flights.flight_status import (
    CHECK_IN_OPEN,
    FlightAction,
    FlightRefused,
    flight_refusal,
    move_flight,
)
from evac.flights.models import AssignmentStatus as Seat
from evac.flights.models import Flight
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.airport import step_people
from evac.lifecycle.journeys import arriving
from evac.lifecycle.rules import Action
from evac.registration.models import CaseStatus, Registration
from evac.staff.auth import StaffContext

NOBODY_CAME = (CaseStatus.assigned, CaseStatus.confirmed)
CHANGED = N_("The list changed since you looked at it: check it again before you confirm.")


@dataclass(frozen=True)
class Passengers:
    """People of a flight in one state, for a confirmation page."""

    people: list[Traveller]

    @property
    def households(self) -> int:
        return len(self.case_ids)

    @property
    def case_ids(self) -> list[int]:
        return sorted({person.case_id for person in self.people})

    def __len__(self) -> int:
        return len(self.people)


def closing_preview(session: Session, flight: Flight) -> Passengers:
    """Who would become a no-show if check-in closed now."""
    return Passengers(people_on(session, flight, EXPECTED))


def close_flight(session: Session, staff: StaffContext, flight: Flight, expected: int) -> int:
    """Close check-in; everyone not checked in loses the seat. Returns how many people.

    ``expected`` is how many no-shows the confirmation page showed.
    """
    _may(flight, FlightAction.close)
    missing = closing_preview(session, flight)
    _move_as_shown(session, staff, flight, FlightAction.close, missing, expected, "no_show")
    cases = [session.get_one(Registration, case_id) for case_id in missing.case_ids]
    # Households nobody came from become no-shows; those that came lose only the
    # seats of their missing people.
    whole = [case.id for case in cases if case.status in NOBODY_CAME]
    lifecycle.apply_many(
        session,
        whole,  # type: ignore[arg-type]
        Action.no_show,
        actor=staff.actor,
        details={case_id: {"flight": flight.flight_number} for case_id in whole},  # type: ignore[misc]
    )
    for case in cases:
        if case.id not in whole:
            step_people(session, case, flight, Action.no_show, None, actor=staff.actor)
    session.commit()
    return len(missing)


def reopen_flight(session: Session, staff: StaffContext, flight: Flight) -> None:
    """Open check-in again (until the flight departs), so no-shows can be put back."""
    move_flight(session, flight, FlightAction.reopen, actor=staff.actor)
    session.commit()


def no_shows(session: Session, flight: Flight) -> Passengers:
    """The no-shows of this flight who could still be put back."""
    return Passengers(people_on(session, flight, [Seat.no_show]))


def put_back(session: Session, staff: StaffContext, flight: Flight, typed: str) -> int:
    """Give the household's no-shows their seats back, if still free; returns how many."""
    if flight.status not in CHECK_IN_OPEN:
        raise InvalidInput(N_("Reopen check-in before putting no-shows back."))
    case = household_on_flight(session, flight, typed)
    people = step_people(session, case, flight, Action.restore, None, actor=staff.actor)
    session.commit()
    return people


def departure_preview(session: Session, flight: Flight) -> tuple[Passengers, Passengers]:
    """Who is on board, and who checked in but has not boarded (which holds departure)."""
    return (
        Passengers(people_on(session, flight, [Seat.boarded])),
        Passengers(people_on(session, flight, [Seat.checked_in])),
    )


def mark_departed(session: Session, staff: StaffContext, flight: Flight, expected: int) -> int:
    """The flight has left with its boarded passengers; returns how many."""
    _may(flight, FlightAction.depart)
    boarded, waiting = departure_preview(session, flight)
    if waiting.people:
        raise Conflict(
            N_(
                "Checked in but not on board: %(num)s. Board them, or offload their "
                "households, before the flight departs."
            ),
            num=len(waiting),
        )
    _move_as_shown(session, staff, flight, FlightAction.depart, boarded, expected, "boarded")
    session.commit()
    return len(boarded)


def mark_arrived(session: Session, staff: StaffContext, flight: Flight, expected: int) -> int:
    """The flight has landed: its boarded households whose journey ends here arrive and
    their cases close; those with a later leg travel on."""
    _may(flight, FlightAction.arrive)
    boarded = Passengers(people_on(session, flight, [Seat.boarded]))
    _move_as_shown(session, staff, flight, FlightAction.arrive, boarded, expected, "arrived")
    case_ids = arriving(session, flight)
    lifecycle.apply_many(
        session,
        case_ids,
        Action.arrive,
        actor=staff.actor,
        details={case_id: {"flight": flight.flight_number} for case_id in case_ids},
    )
    session.commit()
    return len(boarded)


def _move_as_shown(
    session: Session,
    staff: StaffContext,
    flight: Flight,
    action: FlightAction,
    passengers: Passengers,
    expected: int,
    label: str,
) -> None:
    """Move the flight, but only for the passengers its confirmation page counted."""
    if len(passengers) != expected:
        raise Conflict(CHANGED)
    details = {f"{label}_people": len(passengers), f"{label}_households": passengers.households}
    move_flight(session, flight, action, actor=staff.actor, details=details)


def _may(flight: Flight, action: FlightAction) -> None:
    """Refuse for the flight's status before looking at its passengers."""
    reason = flight_refusal(action, flight.status)
    if reason:
        raise FlightRefused(reason)
