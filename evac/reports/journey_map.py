"""The map of a country's legs and the table of people in transit, in the reader's
language.

Loads the legs and their people (``evac.reports.legs``), words each route's and
place's title, and hands plain routes to the SVG drawing (``evac.reports.leg_map``).
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.support import NullTranslations
from sqlmodel import Session
from sqlmodel.sql.expression import SelectOfScalar

from evac.flights.models import Flight
from evac.flights.times import DepartureTimes, arrival_times, departure_times
from evac.geo.countries import country_choices
from evac.i18n import get_translations
from evac.i18n.formats import number, zoned_time
from evac.i18n.labels import label
from evac.places.service import ResolvedPlace, resolve_places
from evac.reports.leg_map import Route, RoutePlace, leg_map, legs_frame
from evac.reports.legs import LegPeople, legs_in_transit, map_legs, people_by_leg


@dataclass(frozen=True)
class LegRow:
    """One leg as the page's table shows it: times already on the places' clocks."""

    leg: Flight
    people: LegPeople
    origin: str
    destination: str
    departure: str
    arrival: str


def _local(times: DepartureTimes | None, lang: str) -> str:
    return zoned_time(times.local, lang) if times else "—"


def _name(code: str, places: dict[str, ResolvedPlace]) -> str:
    place = places.get(code)
    return f"{code} {place.name}" if place else code


def leg_rows(
    legs: list[Flight], places: dict[str, ResolvedPlace], people: dict[int, LegPeople], lang: str
) -> list[LegRow]:
    return [
        LegRow(
            leg,
            people.get(leg.id or 0, LegPeople()),
            _name(leg.departure_airport, places),
            _name(leg.destination_airport, places),
            _local(departure_times(leg), lang),
            _local(arrival_times(leg), lang),
        )
        for leg in legs
    ]


def _leg_words(row: LegRow, t: NullTranslations, lang: str) -> str:
    return t.gettext(
        "%(leg)s (%(mode)s) from %(origin)s to %(destination)s, leaves %(departure)s; "
        "%(used)s of %(seats)s seats taken"
    ) % {
        "leg": row.leg.flight_number,
        "mode": label(row.leg.mode, lang, "leg_mode"),
        "origin": row.origin,
        "destination": row.destination,
        "departure": row.departure,
        "used": number(row.people.seated, lang),
        "seats": number(row.leg.seats, lang),
    }


def _routes(rows: list[LegRow], t: NullTranslations, lang: str) -> list[Route]:
    """One route per origin, destination and mode; its title names each of its legs."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for row in rows:
        key = (row.leg.departure_airport, row.leg.destination_airport, str(row.leg.mode))
        grouped.setdefault(key, []).append(_leg_words(row, t, lang))
    return [Route(a, b, mode, "\n".join(words)) for (a, b, mode), words in grouped.items()]


def _place(place: ResolvedPlace, names: dict[str, str], lang: str) -> RoutePlace:
    kind = label(place.kind, lang, "place_kind")
    country = names.get(place.country, place.country)
    title = f"{place.code} {place.name} ({kind}, {country})"
    return RoutePlace(place.code, title, place.latitude, place.longitude)


def legs_map_context(
    session: Session, scope: SelectOfScalar[Flight], country: str, home: str, lang: str
) -> dict[str, object]:
    t = get_translations(lang)
    names = dict(country_choices(lang))
    legs, places = map_legs(session, scope, country, home)
    rows = leg_rows(legs, places, people_by_leg(session, [leg.id for leg in legs if leg.id]), lang)
    used = {code for leg in legs for code in (leg.departure_airport, leg.destination_airport)}
    marks = [_place(places[code], names, lang) for code in sorted(used) if code in places]
    label_text = t.gettext("Legs from and to %(country)s, and where they continue") % {
        "country": names.get(country, country)
    }
    return {
        "country": country,
        "country_label": names.get(country, country),
        "rows": rows,
        "legs_map": leg_map(
            label_text,
            routes=_routes(rows, t, lang),
            places=marks,
            frame=legs_frame(marks, country),
            names=names,
            current=country,
        ),
    }


def transit_rows(session: Session, scope: SelectOfScalar[Flight], lang: str) -> list[LegRow]:
    """The dashboard's legs with people in transit, by country and departure."""
    found = legs_in_transit(session, scope)
    legs = [leg for leg, _ in found]
    codes = {code for leg in legs for code in (leg.departure_airport, leg.destination_airport)}
    people = {leg.id or 0: counts for leg, counts in found}
    return leg_rows(legs, resolve_places(session, codes), people, lang)
