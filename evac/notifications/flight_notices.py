"""What passengers are told about their flight: a seat, a change, a cancellation,
and a reminder the day before.

Each function queues its messages in the caller's transaction, so a plan or a
flight change that is rolled back sends nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.flights.meeting_texts import ONLY_IN, language_in, meeting_for, one_line
from evac.flights.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Flight,
    FlightStatus,
    LegMode,
)
from evac.i18n import N_, get_translations
from evac.notifications.bulk import queue_for
from evac.notifications.models import Channel, OutboxMessage
from evac.notifications.service import format_departure
from evac.registration.seat_links import seat_url

SEAT_ASSIGNED = "seat_assigned"
SEAT_ASSIGNED_SMS = "seat_assigned_sms"
FLIGHT_CHANGED = "flight_changed"
FLIGHT_CHANGED_SMS = "flight_changed_sms"
FLIGHT_CANCELLED = "flight_cancelled"
FLIGHT_CANCELLED_SMS = "flight_cancelled_sms"
REMINDER = "reminder"
REMINDER_SMS = "reminder_sms"

SEAT_TEMPLATES = ((SEAT_ASSIGNED, Channel.email), (SEAT_ASSIGNED_SMS, Channel.sms))
CHANGED_TEMPLATES = ((FLIGHT_CHANGED, Channel.email), (FLIGHT_CHANGED_SMS, Channel.sms))
CANCELLED_TEMPLATES = ((FLIGHT_CANCELLED, Channel.email), (FLIGHT_CANCELLED_SMS, Channel.sms))
REMINDER_TEMPLATES = ((REMINDER, Channel.email), (REMINDER_SMS, Channel.sms))
SEAT_RELEASED = "seat_released"
SEAT_RELEASED_SMS = "seat_released_sms"
RELEASED_TEMPLATES = ((SEAT_RELEASED, Channel.email), (SEAT_RELEASED_SMS, Channel.sms))

# What a passenger must hear about when it changes.
PASSENGER_FIELDS = frozenset(
    {"flight_number", "mode", "departure_airport", "departure_time", "meeting_point"}
)
REMINDER_LEAD = timedelta(hours=24)
# Passengers still to travel: checked-in or boarded people need no reminder.
TO_TRAVEL = (AssignmentStatus.assigned, AssignmentStatus.confirmed)
REMINDED_FLIGHTS = (FlightStatus.planned, FlightStatus.open)


# A leg named as its passengers say it: "flight TK1", "bus KRT-B1".
LEG_NAMES = {
    LegMode.flight: N_("flight %(number)s"),
    LegMode.ambulance_flight: N_("ambulance plane %(number)s"),
    LegMode.bus: N_("bus %(number)s"),
    LegMode.ship: N_("ship %(number)s"),
    LegMode.train: N_("train %(number)s"),
}


class FlightFacts:
    """A leg's values for a message, with the departure written once per language.

    ``leg`` names the vehicle and its number ("bus KRT-B1"), ``Leg`` the same at the
    start of a sentence; ``by_air`` tells the templates whether people go to an airport
    or to another departure point (an assembly point, a port, a station)."""

    def __init__(self, flight: Flight) -> None:
        self.flight = flight
        self._contexts: dict[str, dict[str, Any]] = {}
        self._meetings: dict[str, str] = {}

    def departure(self, language: str) -> str:
        return self.context(language)["departure"]

    def context(self, language: str) -> dict[str, Any]:
        """Built once per language: a plan commit writes one message per household."""
        if language not in self._contexts:
            name = get_translations(language).gettext(LEG_NAMES[LegMode(self.flight.mode)])
            leg = name % {"number": self.flight.flight_number}
            self._contexts[language] = {
                "flight": self.flight.flight_number,
                "leg": leg,
                "Leg": leg[:1].upper() + leg[1:],
                "by_air": self.flight.by_air,
                "airport": self.flight.departure_airport,
                "departure": format_departure(self.flight, language),
                "meeting_point": self.meeting(language),
            }
        return self._contexts[language]

    def meeting(self, language: str) -> str:
        """The meeting point in ``language``, or in another with a note saying so."""
        if language not in self._meetings:
            meeting = meeting_for(self.flight, language)
            text = ""
            if meeting is not None:
                note = get_translations(language).gettext(ONLY_IN) % {
                    "language": language_in(meeting.language, language)
                }
                text = one_line(meeting, note)
            self._meetings[language] = text
        return self._meetings[language]


def passengers(
    session: Session, flight_id: int, statuses: Iterable[AssignmentStatus]
) -> Counter[int]:
    """People per household holding a seat of ``statuses`` on the flight."""
    rows = session.execute(
        sa.select(Assignment.registration_id, sa.func.count())
        .where(
            Assignment.flight_id == flight_id,
            col(Assignment.status).in_(list(statuses)),
        )
        .group_by(Assignment.registration_id)
    ).all()
    return Counter(dict(rows))  # type: ignore[arg-type]


def enqueue_seat_notices(session: Session, preview: Any) -> int:
    """Tell every household whose flight changed to a new one where and when to go.

    ``preview`` is the planner's ``PlanPreview`` being committed: households whose
    ``move`` ends on a flight (on a journey: its first leg, where they must go) get
    an email (if they gave one) and an SMS (if they gave a phone), with a link to
    confirm the seat and print the boarding passes. Returns the number of messages
    queued.
    """
    seated = {m.registration_id: m.after for m in preview.moves if m.after is not None}
    if not seated:
        return 0
    # People, not seats: a household on a journey holds a seat per person per leg.
    travellers = {(a.registration_id, a.person_id) for a in preview.result.assignments}
    people = Counter(registration_id for registration_id, _ in travellers)
    statement = select(Flight).where(col(Flight.id).in_(set(seated.values())))
    facts = {flight.id: FlightFacts(flight) for flight in session.exec(statement)}

    def context_for(row: Any, language: str) -> dict[str, Any]:
        flight = facts[seated[row.id]]
        link = seat_url(row.reference, row.id, row.access_token_hash, flight.flight.id)  # type: ignore[arg-type]
        context = {**flight.context(language), "people": people[row.id], "seat_link": link}
        return {**context, "journey": journeys.get(row.id, "")}

    # A journey of several legs is named whole, leg by leg; its first leg is where to go.
    journeys = {
        m.registration_id: ", ".join(str(preview.leg_number(leg)) for leg in legs)
        for m in preview.moves
        if len(legs := getattr(m, "after_legs", ())) > 1
    }
    with_flight = [registration_id for registration_id, f in seated.items() if f in facts]
    return queue_for(session, with_flight, SEAT_TEMPLATES, context_for)


def enqueue_flight_changed(session: Session, flight: Flight, changed: Iterable[str]) -> int:
    """Tell the flight's passengers its new details, if a detail they rely on changed."""
    if PASSENGER_FIELDS.isdisjoint(changed):
        return 0
    return _tell_passengers(session, flight, CHANGED_TEMPLATES, ACTIVE_ASSIGNMENT_STATUSES)


def enqueue_flight_cancelled(session: Session, flight: Flight) -> int:
    """Tell the flight's passengers it will not leave and that they keep their place in line."""
    return _tell_passengers(session, flight, CANCELLED_TEMPLATES, ACTIVE_ASSIGNMENT_STATUSES)


def enqueue_seats_released(session: Session, released: dict[int, int]) -> int:
    """Tell each household (case id → flight id) that it no longer holds its seats."""
    statement = select(Flight).where(col(Flight.id).in_(set(released.values())))
    facts = {flight.id: FlightFacts(flight) for flight in session.exec(statement)}

    def context_for(row: Any, language: str) -> dict[str, Any]:
        return {**facts[released[row.id]].context(language)}

    return queue_for(session, released, RELEASED_TEMPLATES, context_for)


def enqueue_seats_given_back(session: Session, flight: Flight, case_ids: Iterable[int]) -> int:
    """Tell households seated again on ``flight`` (an officer undid taking their seats)
    where and when to go, with the link to confirm, as the planner's seat message does."""
    return _seat_notice(session, flight, case_ids, flight.id)  # type: ignore[arg-type]


def enqueue_onward_seats(
    session: Session, case_id: int, legs: Sequence[Flight], first_leg_id: int
) -> int:
    """Tell a household whose people left behind were given onward travel where and when
    they go, as the seat message does: the first new leg, and all of them in order.

    ``first_leg_id`` is the first leg of the household's whole journey, which its seat
    link opens (the household's page of every leg, boarding passes included)."""
    numbers = ", ".join(leg.flight_number for leg in legs) if len(legs) > 1 else ""
    return _seat_notice(session, legs[0], [case_id], first_leg_id, numbers)


def _seat_notice(
    session: Session, flight: Flight, case_ids: Iterable[int], link_leg_id: int, journey: str = ""
) -> int:
    people = passengers(session, flight.id, ACTIVE_ASSIGNMENT_STATUSES)  # type: ignore[arg-type]
    facts = FlightFacts(flight)

    def context_for(row: Any, language: str) -> dict[str, Any]:
        link = seat_url(row.reference, row.id, row.access_token_hash, link_leg_id)
        context = {**facts.context(language), "people": people[row.id], "seat_link": link}
        return {**context, "journey": journey}

    return queue_for(session, case_ids, SEAT_TEMPLATES, context_for)


def _tell_passengers(
    session: Session,
    flight: Flight,
    templates: Any,
    statuses: Iterable[AssignmentStatus],
    *,
    dedupe_prefix: str | None = None,
    households: Iterable[int] | None = None,
) -> int:
    people = passengers(session, flight.id, statuses)  # type: ignore[arg-type]
    facts = FlightFacts(flight)

    def context_for(row: Any, language: str) -> dict[str, Any]:
        return {**facts.context(language), "people": people[row.id]}

    chosen = people.keys() if households is None else households
    return queue_for(session, chosen, templates, context_for, dedupe_prefix=dedupe_prefix)


def queue_due_reminders(session: Session, now: datetime) -> int:
    """Remind the passengers of flights leaving within a day, once per household.

    A household seated less than a day before departure got its seat notice
    moments ago, with the same facts, and is not reminded. Safe to run from
    several workers at once: each reminder has a ``dedupe_key``.
    """
    flights = session.exec(
        select(Flight).where(
            col(Flight.status).in_(REMINDED_FLIGHTS),
            col(Flight.departure_time) > now,
            col(Flight.departure_time) <= now + REMINDER_LEAD,
        )
    ).all()
    queued = 0
    for flight in flights:
        prefix = f"reminder:{flight.id}"
        due = _households_to_remind(session, flight, prefix)
        if due:
            queued += _tell_passengers(
                session, flight, REMINDER_TEMPLATES, TO_TRAVEL, dedupe_prefix=prefix, households=due
            )
    return queued


def _households_to_remind(session: Session, flight: Flight, prefix: str) -> list[int]:
    seated_in_time = set(
        session.exec(
            select(Assignment.registration_id).where(
                Assignment.flight_id == flight.id,
                col(Assignment.status).in_(TO_TRAVEL),
                col(Assignment.created_at) <= flight.departure_time - REMINDER_LEAD,
            )
        ).all()
    )
    reminded = set(
        session.exec(
            select(OutboxMessage.registration_id).where(
                col(OutboxMessage.dedupe_key).startswith(prefix + ":")
            )
        ).all()
    )
    return sorted(seated_in_time - reminded)
