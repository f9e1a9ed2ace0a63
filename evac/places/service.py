"""Places: reading them (as the planner does, through ``resolve_place``), creating,
changing and deleting them.

Every change is audited and bumps the place's row version with a conditional
UPDATE, so two coordinators editing one place cannot silently overwrite each
other. A place is deleted only while no leg leaves from or arrives at it.
Officers read the places of their missions' countries through
``readable_places``; coordinators read and change every place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select
from sqlmodel.sql.expression import SelectOfScalar

from evac.audit.service import record_event
from evac.errors import Conflict, Forbidden, InvalidFields, NotFound, Problem
from evac.flights.models import Flight
from evac.geo.airports import get_airport, zone_near
from evac.i18n import N_
from evac.pagination import page_window
from evac.places.models import Place, PlaceKind
from evac.places.schemas import IATA_CODE, PLACE_FIELDS, PlaceCreate, parse_place
from evac.row_versions import claim_next_version
from evac.settings import Settings
from evac.staff.auth import StaffContext
from evac.staff.models import Role

AUDIT_SUBJECT = "place"
MAX_PER_PAGE = 500


# Errors -----------------------------------------------------------------


class DuplicatePlace(Conflict):
    def __init__(self, code: str) -> None:
        super().__init__(
            N_("A place with the code %(code)s already exists: change that one instead."),
            code=code,
        )


class StalePlace(Conflict):
    def __init__(self) -> None:
        super().__init__(
            N_("Someone else changed this place while you were working on it. Reload and retry.")
        )


class PlaceInUse(Conflict):
    def __init__(self, code: str, legs: int) -> None:
        super().__init__(
            N_(
                "Legs leave from or arrive at %(code)s (%(legs)s in all): a place is deleted "
                "only when no leg uses it."
            ),
            code=code,
            legs=legs,
        )


# What the planner reads ------------------------------------------------------


@dataclass(frozen=True)
class ResolvedPlace:
    """A place as plain data, whether stored or an airport airportsdata knows.

    ``reach_km`` is what was recorded (None: the default for the kind, see
    ``effective_reach_km``); ``tz`` is the IANA zone its local times are read in.
    """

    code: str
    kind: PlaceKind
    name: str
    country: str
    latitude: float
    longitude: float
    reach_km: float | None
    tz: str


def effective_reach_km(place: Place | ResolvedPlace, settings: Settings) -> float:
    """How far people may travel on their own to board at ``place``, in km."""
    if place.reach_km is not None:
        return place.reach_km
    if place.kind == PlaceKind.airport:
        return settings.max_airport_distance_km
    return settings.local_reach_km


def _resolved(place: Place | None, code: str) -> ResolvedPlace | None:
    airport = get_airport(code) if IATA_CODE.fullmatch(code) else None
    if airport is not None:
        return ResolvedPlace(
            code=airport.iata,
            kind=PlaceKind.airport,
            name=place.name if place else airport.name,
            country=airport.country,
            latitude=place.latitude if place and place.latitude is not None else airport.latitude,
            longitude=(
                place.longitude if place and place.longitude is not None else airport.longitude
            ),
            reach_km=place.reach_km if place else None,
            tz=airport.tz or "UTC",
        )
    if place is None or place.latitude is None or place.longitude is None:
        return None
    return ResolvedPlace(
        code=place.code,
        kind=PlaceKind(place.kind),
        name=place.name,
        country=place.country,
        latitude=place.latitude,
        longitude=place.longitude,
        reach_km=place.reach_km,
        tz=zone_near(place.latitude, place.longitude, place.country),
    )


def airport_place(code: str) -> ResolvedPlace | None:
    """An airport as airportsdata knows it (without a recorded reach); no database."""
    return _resolved(None, code.strip().upper())


def resolve_places(
    session: Session, codes: Iterable[str], *, lock: bool = False
) -> dict[str, ResolvedPlace]:
    """Every code that names a stored place or an airport, by code (upper case).

    ``lock`` holds the stored rows (``FOR SHARE`` on PostgreSQL) until commit, so
    that a leg being saved cannot lose its place to a concurrent delete.
    """
    wanted = sorted({code.strip().upper() for code in codes if code and code.strip()})
    if not wanted:
        return {}
    statement = select(Place).where(col(Place.code).in_(wanted))
    if lock:
        statement = statement.with_for_update(read=True)
    stored = {place.code: place for place in session.exec(statement).all()}
    found = {code: _resolved(stored.get(code), code) for code in wanted}
    return {code: place for code, place in found.items() if place is not None}


def resolve_place(session: Session, code: str) -> ResolvedPlace | None:
    """The place or airport with this code, as plain data; None if nothing has it."""
    return resolve_places(session, [code]).get(code.strip().upper())


def stored_places(session: Session, country: str | None = None) -> list[ResolvedPlace]:
    """Every stored place (of one country), as plain data, by code."""
    statement = select(Place).order_by(col(Place.code))
    if country:
        statement = statement.where(Place.country == country.upper())
    places = (_resolved(place, place.code) for place in session.exec(statement).all())
    return [place for place in places if place is not None]


# Reading ----------------------------------------------------------------


def require_place_access(staff: StaffContext) -> None:
    if staff.role is Role.admin:
        raise Forbidden(N_("Administrators manage accounts; places need another role."))


def readable_places(staff: StaffContext) -> SelectOfScalar[Place]:
    """Coordinators see every place; officers those in their missions' countries."""
    statement = select(Place)
    if staff.role is Role.coordinator:
        return statement
    if staff.role is Role.officer and staff.countries:
        return statement.where(col(Place.country).in_(staff.countries))
    return statement.where(sa.false())


def get_readable_place(session: Session, staff: StaffContext, code: str) -> Place:
    """The place, if this staff member may see it; otherwise the same 404 as a missing one."""
    require_place_access(staff)
    statement = readable_places(staff).where(Place.code == code.strip().upper())
    place = session.exec(statement).first()
    if place is None:
        raise NotFound(N_("No such place among the places you may see."))
    return place


@dataclass(frozen=True)
class PlaceQuery:
    country: str | None = None
    kind: PlaceKind | None = None
    page: int = 1
    per_page: int = 100


@dataclass(frozen=True)
class PlacePage:
    rows: list[Place]
    total: int
    page: int
    pages: int


def list_places(session: Session, staff: StaffContext, query: PlaceQuery) -> PlacePage:
    """The places this staff member may see, by country and code."""
    require_place_access(staff)
    statement = readable_places(staff)
    if query.country:
        statement = statement.where(Place.country == query.country.upper())
    if query.kind:
        statement = statement.where(Place.kind == query.kind)
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()
    window = page_window(total, query.page, query.per_page, MAX_PER_PAGE)
    ordered = statement.order_by(col(Place.country), col(Place.code))
    rows = list(session.exec(ordered.offset(window.offset).limit(window.per_page)).all())
    return PlacePage(rows=rows, total=total, page=window.page, pages=window.pages)


def legs_using(session: Session, code: str) -> int:
    """How many legs (flights included) leave from or arrive at ``code``."""
    uses = sa.or_(Flight.departure_airport == code, Flight.destination_airport == code)
    return session.exec(select(func.count()).select_from(Flight).where(uses)).one()


# Changing ---------------------------------------------------------------


def place_values(data: PlaceCreate) -> dict[str, Any]:
    return data.model_dump()


def _commit(session: Session, code: str) -> None:
    """Commit; a unique-code race lost to another writer is the same conflict as a taken code."""
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        raise DuplicatePlace(code) from None


def create_place(session: Session, data: PlaceCreate, *, actor: str) -> Place:
    """Add a place and commit, or raise with the reason it is refused."""
    values = place_values(data)
    if session.exec(select(Place.id).where(Place.code == data.code)).first() is not None:
        raise DuplicatePlace(data.code)
    place = Place(**values)
    session.add(place)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="place.create",
        subject_type=AUDIT_SUBJECT,
        subject_id=data.code,
        after=values,
    )
    _commit(session, data.code)
    return place


def current_values(place: Place) -> dict[str, Any]:
    return {name: getattr(place, name) for name in PLACE_FIELDS}


def changed_values(place: Place, data: PlaceCreate) -> dict[str, Any]:
    values = place_values(data)
    return {name: value for name, value in values.items() if getattr(place, name) != value}


_MOVES_LEGS = N_(
    "Legs leave from or arrive at %(code)s (%(legs)s in all) and read their times on its "
    "clocks (%(zone)s): the place cannot move to another country or time zone. Record "
    "a new place and move the legs to it."
)


def moves_legs_clocks(session: Session, place: Place, changed: dict[str, Any]) -> Problem | None:
    """Why ``changed`` may not be applied: it moves a place that legs use to another
    country or time zone (each leg keeps its places' country and zones, written when
    it was saved; ``evac.flights.service.flight_values``)."""
    if not changed.keys() & {"country", "latitude", "longitude", "kind"}:
        return None
    before = _resolved(place, place.code)
    after = _resolved(Place(**(current_values(place) | changed)), place.code)
    if before is None or after is None:
        return None
    if (before.country, before.tz) == (after.country, after.tz):
        return None
    legs = legs_using(session, place.code)
    if not legs:
        return None
    field = "country" if before.country != after.country else "latitude"
    return Problem((field,), _MOVES_LEGS, {"code": place.code, "legs": legs, "zone": before.tz})


def apply_change(
    session: Session, place: Place, changed: dict[str, Any], *, actor: str, version: int | None
) -> None:
    """Claim the next version, set ``changed`` and audit it (the caller commits)."""
    before = {name: getattr(place, name) for name in changed}
    claim_next_version(session, place, version, StalePlace)
    for name, value in changed.items():
        setattr(place, name, value)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="place.update",
        subject_type=AUDIT_SUBJECT,
        subject_id=place.code,
        before=before | {"row_version": place.row_version - 1},
        after=changed | {"row_version": place.row_version},
    )


def update_place(
    session: Session,
    place: Place,
    changes: dict[str, Any],
    *,
    expected_version: int | None,
    actor: str,
) -> Place:
    """Apply ``changes`` (any of the place's fields but its code), checked as a whole."""
    if "code" in changes and str(changes["code"] or "").strip().upper() != place.code:
        message = N_("A place's code cannot change: legs refer to it. Add a new place instead.")
        raise InvalidFields([Problem(("code",), message)])
    merged = {**current_values(place), **changes, "code": place.code}
    data = parse_place(merged)
    changed = changed_values(place, data)
    # Locked first, so that a leg saved meanwhile (it holds the place FOR SHARE) is
    # counted, or waits and then reads the place as it becomes.
    session.exec(select(Place.id).where(Place.id == place.id).with_for_update()).first()
    problem = moves_legs_clocks(session, place, changed)
    if problem is not None:
        raise InvalidFields([problem])
    apply_change(session, place, changed, actor=actor, version=expected_version)
    _commit(session, place.code)
    return place


def delete_place(
    session: Session, place: Place, *, expected_version: int | None, actor: str
) -> None:
    """Delete the place and commit, if no leg uses it (the row is locked first, so
    a leg saved meanwhile waits for the delete and then finds the place gone)."""
    session.exec(select(Place.id).where(Place.id == place.id).with_for_update()).first()
    legs = legs_using(session, place.code)
    if legs:
        raise PlaceInUse(place.code, legs)
    if expected_version is not None and expected_version != place.row_version:
        raise StalePlace()
    before = current_values(place) | {"row_version": place.row_version}
    deleted = session.execute(
        sa.delete(Place)
        .where(col(Place.id) == place.id, col(Place.row_version) == place.row_version)
        .execution_options(synchronize_session=False)
    )
    if deleted.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise StalePlace()
    record_event(
        session,
        actor=actor,
        action="place.delete",
        subject_type=AUDIT_SUBJECT,
        subject_id=place.code,
        before=before,
    )
    session.commit()
    session.expunge(place)
