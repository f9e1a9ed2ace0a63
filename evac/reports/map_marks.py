"""The dashboard's world map and a country's page, in the reader's language.

Loads the places and airports (``evac.reports.places``), words each mark's
title, and hands plain marks to the SVG drawing (``evac.reports.world_map``).
"""

from __future__ import annotations

from babel.support import NullTranslations
from markupsafe import Markup
from sqlmodel import Session

from evac.flights.flight_status import FLIGHT_STATUS_WORDS
from evac.flights.times import departure_times
from evac.geo.countries import country_choices
from evac.i18n import get_translations
from evac.reports.dashboard import Dashboard
from evac.reports.places import (
    DepartureAirport,
    WaitingPlace,
    country_flights,
    covering_missions,
    departure_airports,
    waiting_places,
)
from evac.reports.world_map import MapMark, country_frame, country_href, world_map


def _place_mark(place: WaitingPlace, names: dict[str, str], t: NullTranslations) -> MapMark:
    where = place.city or t.gettext("City not given")
    title = t.ngettext(
        "%(place)s (%(country)s): %(num)s person waiting",
        "%(place)s (%(country)s): %(num)s people waiting",
        place.people,
    ) % {"place": where, "country": names.get(place.country, place.country), "num": place.people}
    href = country_href(place.country)
    return MapMark(title, place.latitude or 0.0, place.longitude or 0.0, place.people, href)


def _airport_mark(departure: DepartureAirport, t: NullTranslations) -> MapMark:
    airport = departure.airport
    title = t.ngettext(
        "%(code)s %(name)s: %(num)s flight to leave, %(seats)s seats",
        "%(code)s %(name)s: %(num)s flights to leave, %(seats)s seats",
        departure.flights,
    ) % {
        "code": airport.iata,
        "name": airport.name,
        "num": departure.flights,
        "seats": f"{departure.seats:,}",
    }
    return MapMark(title, airport.latitude, airport.longitude, departure.flights)


def _marks(
    session: Session, language: str, country: str | None = None
) -> tuple[list[WaitingPlace], list[DepartureAirport], list[MapMark], list[MapMark]]:
    t = get_translations(language)
    names = dict(country_choices(language))
    places = waiting_places(session, country)
    airports = departure_airports(session, country)
    place_marks = [_place_mark(p, names, t) for p in places if p.latitude is not None]
    airport_marks = [_airport_mark(a, t) for a in airports]
    return places, airports, place_marks, airport_marks


def dashboard_map(session: Session, dashboard: Dashboard, language: str) -> Markup:
    """The world: outlines, cities where people wait, airports with flights to leave."""
    _, _, place_marks, airport_marks = _marks(session, language)
    linked = {row.country for row in dashboard.countries}
    return world_map(
        get_translations(language).gettext("Where people wait and where flights leave from"),
        places=place_marks,
        airports=airport_marks,
        names=dict(country_choices(language)),
        linked=linked,
    )


def country_page_context(session: Session, country: str, language: str) -> dict[str, object]:
    places, airports, place_marks, airport_marks = _marks(session, language, country)
    name = dict(country_choices(language))[country]
    label = get_translations(language).gettext("Map of %(country)s") % {"country": name}
    return {
        "country": country,
        "country_label": name,
        "places": places,
        "waiting": sum(place.people for place in places),
        "airports": airports,
        "flights": country_flights(session, country),
        "missions": covering_missions(session, country),
        "status_words": FLIGHT_STATUS_WORDS,
        "times": departure_times,
        "country_map": world_map(
            label,
            places=place_marks,
            airports=airport_marks,
            names=dict(country_choices(language)),
            frame=country_frame(country),
            current=country,
        ),
    }
