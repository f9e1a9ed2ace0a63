"""Flights: where they leave from and on which local date; creating, changing, cancelling.

Every change is audited and bumps the flight's row version with a conditional
UPDATE, so two coordinators editing one flight at once cannot silently
overwrite each other: the second one gets a conflict. Officers read the flights
of their missions' countries through ``readable_flights``, the one scoping
helper every page and API call goes through.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select
from sqlmodel.sql.expression import SelectOfScalar

from evac.audit.models import AuditEvent
from evac.audit.service import record_event
from evac.errors import Conflict, Forbidden, InvalidFields, InvalidInput, NotFound, Problem
from evac.flights.flight_status import FlightAction, StaleFlight, move_flight
from evac.flights.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Flight,
    FlightKind,
    FlightStatus,
    LegMode,
    kind_for_mode,
)
from evac.flights.schemas import (
    FLIGHT_FIELDS,
    FlightCreate,
    parse_flight,
    try_parse,
)
from evac.flights.times import times_at
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.airport import step_people
from evac.lifecycle.rules import Action
from evac.notifications.flight_notices import enqueue_flight_cancelled, enqueue_flight_changed
from evac.pagination import page_window
from evac.places.service import ResolvedPlace, airport_place, resolve_places
from evac.registration.models import CaseStatus, Registration
from evac.row_versions import claim_next_version
from evac.staff.auth import StaffContext
from evac.staff.models import Role

# Flights that have left (or will never leave) cannot be cancelled any more.
NOT_CANCELLABLE = (FlightStatus.departed, FlightStatus.arrived, FlightStatus.cancelled)
AUDIT_SUBJECT = "flight"
MAX_PER_PAGE = 500
CANCELLED_IS_FINAL = N_("This flight is cancelled; a cancelled flight cannot be changed.")


# Errors -----------------------------------------------------------------


class DuplicateFlight(Conflict):
    def __init__(self, flight_number: str, departure_date: date) -> None:
        super().__init__(
            N_(
                "Flight %(flight_number)s on %(date)s already exists: a flight number is used "
                "once per local departure date."
            ),
            flight_number=flight_number,
            date=departure_date.isoformat(),
        )


# Reading ----------------------------------------------------------------


def require_flight_access(staff: StaffContext) -> None:
    if staff.role is Role.admin:
        raise Forbidden(N_("Administrators manage accounts; flights need another role."))


def readable_flights(staff: StaffContext) -> SelectOfScalar[Flight]:
    """Coordinators see every flight; officers those leaving their missions' countries."""
    statement = select(Flight)
    if staff.role is Role.coordinator:
        return statement
    if staff.role is Role.officer and staff.countries:
        return statement.where(Flight.country.in_(staff.countries))  # type: ignore[attr-defined]
    return statement.where(sa.false())


def get_readable_flight(session: Session, staff: StaffContext, flight_id: int) -> Flight:
    """The flight, if this staff member may see it; otherwise the same 404 as a missing one.

    The one check every flight page, airport page and API call goes through."""
    require_flight_access(staff)
    flight = session.exec(readable_flights(staff).where(Flight.id == flight_id)).first()
    if flight is None:
        raise NotFound(N_("No such flight among the flights you may see."))
    return flight


@dataclass(frozen=True)
class Used:
    """Seats and stretchers held by active assignments."""

    seats: int = 0
    stretchers: int = 0


def used_capacity(session: Session, flight_ids: Iterable[int]) -> dict[int, Used]:
    """Seats and stretchers in use per flight, in one grouped query."""
    ids = sorted(set(flight_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(Assignment.flight_id, Assignment.uses_stretcher, func.count())
        .where(
            Assignment.flight_id.in_(ids),  # type: ignore[attr-defined]
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
        )
        .group_by(Assignment.flight_id, Assignment.uses_stretcher)
    ).all()
    counts: dict[int, dict[bool, int]] = {}
    for flight_id, stretcher, count in rows:
        counts.setdefault(flight_id, {})[bool(stretcher)] = count
    return {
        flight_id: Used(seats=by_kind.get(False, 0), stretchers=by_kind.get(True, 0))
        for flight_id, by_kind in counts.items()
    }


def used_on(session: Session, flight: Flight) -> Used:
    assert flight.id is not None
    return used_capacity(session, [flight.id]).get(flight.id, Used())


@dataclass(frozen=True)
class FlightQuery:
    country: str | None = None
    status: FlightStatus | None = None
    kind: FlightKind | None = None
    mode: LegMode | None = None
    page: int = 1
    per_page: int = 100


@dataclass(frozen=True)
class FlightRow:
    flight: Flight
    used: Used


@dataclass(frozen=True)
class FlightPage:
    rows: list[FlightRow]
    total: int
    page: int
    pages: int


def list_flights(
    session: Session, staff: StaffContext, query: FlightQuery, now: datetime
) -> FlightPage:
    """The flights this staff member may see: upcoming first (soonest first), then past ones."""
    statement = readable_flights(staff)
    if query.country:
        statement = statement.where(Flight.country == query.country.upper())
    if query.status:
        statement = statement.where(Flight.status == query.status)
    if query.kind:
        statement = statement.where(Flight.kind == query.kind)
    if query.mode:
        statement = statement.where(Flight.mode == query.mode)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    upcoming = Flight.departure_time >= now  # type: ignore[operator]
    ordered = statement.order_by(
        sa.case((upcoming, 0), else_=1),
        sa.case((upcoming, Flight.departure_time), else_=None).asc(),
        Flight.departure_time.desc(),  # type: ignore[attr-defined]
        Flight.id,
    )
    window = page_window(total, query.page, query.per_page, MAX_PER_PAGE)
    flights = session.exec(ordered.offset(window.offset).limit(window.per_page)).all()
    used = used_capacity(session, (f.id for f in flights if f.id is not None))
    rows = [FlightRow(f, used.get(f.id, Used())) for f in flights]  # type: ignore[arg-type]
    return FlightPage(rows=rows, total=total, page=window.page, pages=window.pages)


def flight_history(session: Session, flight: Flight) -> list[AuditEvent]:
    """The flight's audit events, newest first."""
    return list(
        session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == AUDIT_SUBJECT, AuditEvent.subject_id == str(flight.id)
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())  # type: ignore[attr-defined,union-attr]
        ).all()
    )


# Changing ---------------------------------------------------------------


def flight_values(
    data: FlightCreate, origin: ResolvedPlace, destination: ResolvedPlace
) -> dict[str, Any]:
    """The columns of a leg: what was given, its kind (from its mode), and what its
    places decide: its country, its local departure date, and the zones every page,
    document and message reads its times in. The one writer of those columns."""
    mode = data.mode or LegMode.flight
    values = data.model_dump() | {"mode": mode, "kind": kind_for_mode(mode)}
    departure = times_at(data.departure_time, origin.tz)
    return values | {
        "country": origin.country,
        "departure_date": departure.local.date(),
        "departure_zone": origin.tz,
        "arrival_zone": destination.tz,
    }


def airport_leg_values(data: FlightCreate) -> dict[str, Any]:
    """``flight_values`` for a flight between two airports, without a database (the
    demo's flights); raises ``InvalidInput`` for an unknown airport."""
    ends = [airport_place(code) for code in (data.departure_airport, data.destination_airport)]
    for code, place in zip((data.departure_airport, data.destination_airport), ends, strict=True):
        if place is None:
            raise InvalidInput(N_("Unknown airport code %(code)s."), code=code)
    return flight_values(data, *ends)  # type: ignore[arg-type]


_UNKNOWN_PLACE = N_(
    "No airport or recorded place has the code %(code)s: check it, or record the place "
    "on the places page first."
)


def place_problems(data: FlightCreate, known: dict[str, ResolvedPlace]) -> list[Problem]:
    """A leg's ends that name neither an airport nor a recorded place."""
    return [
        Problem((name,), _UNKNOWN_PLACE, {"code": getattr(data, name)})
        for name in ("departure_airport", "destination_airport")
        if getattr(data, name) not in known
    ]


def checked_values(session: Session, data: FlightCreate) -> dict[str, Any]:
    """The leg's columns, once both its ends are known places (held until commit)."""
    codes = (data.departure_airport, data.destination_airport)
    known = resolve_places(session, codes, lock=True)
    problems = place_problems(data, known)
    if problems:
        raise InvalidFields(problems)
    return flight_values(data, known[data.departure_airport], known[data.destination_airport])


def _check_number_free(
    session: Session, flight_number: str, departure_date: date, flight_id: int | None = None
) -> None:
    statement = select(Flight.id).where(
        Flight.flight_number == flight_number, Flight.departure_date == departure_date
    )
    if flight_id is not None:
        statement = statement.where(Flight.id != flight_id)
    if session.exec(statement).first() is not None:
        raise DuplicateFlight(flight_number, departure_date)


def _commit(session: Session, values: dict[str, Any]) -> None:
    """Commit; a unique-key race lost to another writer is the same conflict as a taken number."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise DuplicateFlight(values["flight_number"], values["departure_date"]) from None


def create_flight(session: Session, data: FlightCreate, *, actor: str) -> Flight:
    """Add a flight or any other leg (status planned) and commit, or raise with the
    reason it is refused."""
    values = checked_values(session, data)
    _check_number_free(session, values["flight_number"], values["departure_date"])
    flight = Flight(**values)
    session.add(flight)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="flight.create",
        subject_type=AUDIT_SUBJECT,
        subject_id=flight.id,  # type: ignore[arg-type]
        after=values,
    )
    _commit(session, values)
    return flight


_IN_USE = {
    "seats": N_(
        "%(used)s seats are taken by active assignments: the flight needs at least %(used)s seats."
    ),
    "stretchers": N_(
        "%(used)s stretchers are taken by active assignments: the flight needs at least "
        "%(used)s stretchers."
    ),
}


def capacity_problems(raw: Mapping[str, Any], used: Used) -> list[Problem]:
    """Refusals for fewer seats or stretchers than are in use (unreadable counts are skipped)."""
    problems = []
    for name, in_use in (("seats", used.seats), ("stretchers", used.stretchers)):
        count = try_parse(name, raw.get(name))
        if count is not None and count < in_use:
            problems.append(Problem((name,), _IN_USE[name], {"used": in_use}))
    return problems


def current_values(flight: Flight) -> dict[str, Any]:
    return {name: getattr(flight, name) for name in FLIGHT_FIELDS}


def update_flight(
    session: Session,
    flight: Flight,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: str,
) -> Flight:
    """Apply ``changes`` (any subset of the flight's fields) checked as a whole, and commit."""
    if flight.status == FlightStatus.cancelled:
        raise InvalidInput(CANCELLED_IS_FINAL)
    merged = {**current_values(flight), **changes}
    # The mode decides the kind; an older client that sends only the kind changes the mode.
    if "kind" in changes and "mode" not in changes:
        merged["mode"] = None
    elif "mode" in changes and "kind" not in changes:
        merged["kind"] = None
    problems = capacity_problems(merged, used_on(session, flight))
    try:
        data = parse_flight(merged)
    except InvalidFields as invalid:
        raise InvalidFields(invalid.problems + problems) from None
    if problems:
        raise InvalidFields(problems)
    values = checked_values(session, data)
    _check_number_free(session, values["flight_number"], values["departure_date"], flight.id)
    before = {name: getattr(flight, name) for name in values}
    changed = {name: value for name, value in values.items() if before[name] != value}
    claim_next_version(session, flight, expected_version, StaleFlight)
    for name, value in changed.items():
        setattr(flight, name, value)
    record_event(
        session,
        actor=actor,
        action="flight.update",
        subject_type=AUDIT_SUBJECT,
        subject_id=flight.id,  # type: ignore[arg-type]
        before={name: before[name] for name in changed} | {"row_version": flight.row_version - 1},
        after=changed | {"row_version": flight.row_version},
    )
    enqueue_flight_changed(session, flight, changed)
    _commit(session, values)
    return flight


def _release_leg_in_transit(
    session: Session, flight: Flight, case_ids: list[int], actor: str
) -> None:
    """Households in transit lose their seats on a cancelled later leg, and nothing else:
    they stay boarded, their people listed as left behind for an officer."""
    for case_id in case_ids:
        case = session.get_one(Registration, case_id)
        if case.status != CaseStatus.boarded:
            continue
        try:
            step_people(session, case, flight, Action.offload, None, actor=actor)
        except lifecycle.TransitionRefused:  # everyone of it boarded this leg already
            continue


def cancel_flight(
    session: Session, flight: Flight, *, expected_version: int | None, actor: str
) -> int:
    """Cancel the flight and commit; returns how many people still hold a seat on it.

    Its passengers lose their seats and return to the pool, verified, for the
    next plan; the cancellation message tells them so.
    """
    if flight.status in NOT_CANCELLABLE:
        raise InvalidInput(
            N_("This flight is %(status)s; it can no longer be cancelled."),
            status=flight.status,
        )
    move_flight(
        session, flight, FlightAction.cancel, actor=actor, expected_version=expected_version
    )
    enqueue_flight_cancelled(session, flight)
    used = used_on(session, flight)
    on_board = lifecycle.cases_on(session, flight)
    unseated = lifecycle.apply_many(
        session,
        on_board,
        Action.unseat,
        actor=actor,
        details={case_id: {"from_flight": flight.flight_number} for case_id in on_board},
        notify=False,  # the cancellation message tells them
    )
    _release_leg_in_transit(session, flight, sorted(set(on_board) - set(unseated)), actor)
    session.commit()
    return used.seats + used.stretchers
