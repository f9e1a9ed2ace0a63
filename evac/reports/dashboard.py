"""The coordination dashboard's figures, each from one grouped query.

People are counted by their case's status; withdrawn and duplicate cases are
left out of every figure. *Waiting* people are those the planner can still
seat: their case is registered or verified.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, fields
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from evac.flights.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Flight,
    FlightStatus,
)
from evac.planning.report import planes_by_country
from evac.planning.service import preview_plan
from evac.registration.models import CaseStatus, Person, Registration

NOT_COUNTED = (CaseStatus.withdrawn, CaseStatus.duplicate)
WAITING = (CaseStatus.registered, CaseStatus.verified)
ON_A_FLIGHT = (CaseStatus.assigned, CaseStatus.confirmed, CaseStatus.checked_in)
CHART_DAYS = 21


@dataclass
class CountryFigures:
    country: str
    people: int = 0
    waiting: int = 0
    verified: int = 0
    assigned: int = 0
    boarded: int = 0
    arrived: int = 0
    citizens: int = 0
    third_country: int = 0
    medical_cases: int = 0
    flights: int = 0
    seats: int = 0
    seats_used: int = 0
    stretchers: int = 0
    stretchers_used: int = 0
    extra_flights: int = 0
    extra_ambulances: int = 0
    latitude: float | None = None
    longitude: float | None = None

    @property
    def seat_use(self) -> float:
        return self.seats_used / self.seats if self.seats else 0.0


@dataclass
class Dashboard:
    countries: list[CountryFigures]
    total: CountryFigures
    nationalities: list[tuple[str, int]]
    registrations_per_day: list[tuple[date, int]]
    evacuations_per_day: list[tuple[date, int]]
    with_recommendations: bool = False


def _day(session: Session, column: sa.ColumnElement[object]) -> sa.ColumnElement[object]:
    if session.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone("UTC", column))
    return sa.func.date(column)


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _people(session: Session, home: str, rows: dict[str, CountryFigures]) -> Counter[str]:
    """People per country, status and nationality; returns third-country nationalities."""
    query = (
        sa.select(Registration.country, Registration.status, Person.nationality, sa.func.count())
        .select_from(Person)
        .join(Registration, Registration.id == Person.registration_id)  # type: ignore[arg-type]
        .where(Registration.status.notin_(NOT_COUNTED))  # type: ignore[attr-defined]
        .group_by(Registration.country, Registration.status, Person.nationality)
    )
    nationalities: Counter[str] = Counter()
    for country, status, nationality, count in session.execute(query):
        row = rows.setdefault(country, CountryFigures(country))
        row.people += count
        row.waiting += count if status in WAITING else 0
        row.verified += count if status == CaseStatus.verified else 0
        row.assigned += count if status in ON_A_FLIGHT else 0
        row.boarded += count if status == CaseStatus.boarded else 0
        row.arrived += count if status == CaseStatus.arrived else 0
        if nationality == home:
            row.citizens += count
        else:
            row.third_country += count
            nationalities[nationality] += count
    return nationalities


def _cases(session: Session, rows: dict[str, CountryFigures]) -> None:
    """Medical cases and where each country's waiting households are, on average."""
    waiting = Registration.status.in_(WAITING)  # type: ignore[attr-defined]
    query = (
        sa.select(
            Registration.country,
            sa.func.count().filter(Registration.has_medical_need),  # type: ignore[arg-type]
            sa.func.avg(sa.case((waiting, Registration.latitude))),
            sa.func.avg(sa.case((waiting, Registration.longitude))),
        )
        .where(Registration.status.notin_(NOT_COUNTED))  # type: ignore[attr-defined]
        .group_by(Registration.country)
    )
    for country, medical, latitude, longitude in session.execute(query):
        row = rows.setdefault(country, CountryFigures(country))
        row.medical_cases = medical
        row.latitude = float(latitude) if latitude is not None else None
        row.longitude = float(longitude) if longitude is not None else None


def _flights(session: Session, rows: dict[str, CountryFigures]) -> None:
    flights = (
        sa.select(
            Flight.country,
            sa.func.count(),
            sa.func.sum(Flight.seats),
            sa.func.sum(Flight.stretchers),
        )
        .where(Flight.status != FlightStatus.cancelled)
        .group_by(Flight.country)
    )
    for country, count, seats, stretchers in session.execute(flights):
        row = rows.setdefault(country, CountryFigures(country))
        row.flights, row.seats, row.stretchers = count, seats or 0, stretchers or 0
    used = (
        sa.select(
            Flight.country,
            sa.func.count().filter(Assignment.uses_stretcher.is_(False)),  # type: ignore[attr-defined]
            sa.func.count().filter(Assignment.uses_stretcher.is_(True)),  # type: ignore[attr-defined]
        )
        .select_from(Assignment)
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(
            Assignment.status.in_(ACTIVE_ASSIGNMENT_STATUSES),  # type: ignore[attr-defined]
            Flight.status != FlightStatus.cancelled,
        )
        .group_by(Flight.country)
    )
    for country, seats_used, stretchers_used in session.execute(used):
        row = rows.setdefault(country, CountryFigures(country))
        row.seats_used, row.stretchers_used = seats_used, stretchers_used


def _per_day(session: Session, day: sa.ColumnElement[object], query: sa.Select) -> list:  # type: ignore[type-arg]
    counts = session.execute(query.group_by(day).order_by(day.desc()).limit(CHART_DAYS)).all()
    return sorted((_as_date(d), int(n)) for d, n in counts)


def registrations_per_day(session: Session) -> list[tuple[date, int]]:
    """Households registered per UTC day, the last days that had any."""
    day = _day(session, Registration.registered_at)  # type: ignore[arg-type]
    return _per_day(session, day, sa.select(day, sa.func.count()))


def evacuations_per_day(session: Session) -> list[tuple[date, int]]:
    """People boarded, by their flight's local departure date."""
    day = Flight.departure_date
    query = (
        sa.select(day, sa.func.count())
        .select_from(Assignment)
        .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
        .where(Assignment.status == AssignmentStatus.boarded)
    )
    return _per_day(session, day, query)  # type: ignore[arg-type]


def daily_series(
    counts: list[tuple[date, int]], last: date, days: int = CHART_DAYS
) -> list[tuple[date, int]]:
    """One value per day for the ``days`` days up to ``last``, zero where none."""
    by_day = dict(counts)
    first = last - timedelta(days=days - 1)
    return [
        (first + timedelta(days=i), by_day.get(first + timedelta(days=i), 0)) for i in range(days)
    ]


def _add_recommendations(session: Session, rows: dict[str, CountryFigures]) -> None:
    preview = preview_plan(session)
    if preview.by_journeys:
        for country, regular, ambulance in planes_by_country(preview):
            row = rows.setdefault(country, CountryFigures(country))
            row.extra_flights, row.extra_ambulances = regular, ambulance
        return
    for rec in preview.result.recommendations:
        row = rows.setdefault(rec.country, CountryFigures(rec.country))
        row.extra_flights = rec.extra_regular_flights  # type: ignore[union-attr]
        row.extra_ambulances = rec.extra_ambulance_flights  # type: ignore[union-attr]


def _sum(rows: list[CountryFigures]) -> CountryFigures:
    total = CountryFigures("")
    for f in fields(CountryFigures):
        if f.type == "int":
            setattr(total, f.name, sum(getattr(row, f.name) for row in rows))
    return total


def build_dashboard(
    session: Session, home_country: str, *, recommendations: bool = False, top: int = 10
) -> Dashboard:
    rows: dict[str, CountryFigures] = {}
    nationalities = _people(session, home_country, rows)
    _cases(session, rows)
    _flights(session, rows)
    if recommendations:
        _add_recommendations(session, rows)
    countries = sorted(rows.values(), key=lambda r: (-r.waiting, -r.people, r.country))
    return Dashboard(
        countries=countries,
        total=_sum(countries),
        nationalities=nationalities.most_common(top),
        registrations_per_day=registrations_per_day(session),
        evacuations_per_day=evacuations_per_day(session),
        with_recommendations=recommendations,
    )
