"""Places for the registration form: city suggestions, and geocoding that never
stops a registration (the suggestions' API is in ``places_routes.py``)."""

from __future__ import annotations

import logging
import math

from geopy.exc import GeopyError
from pydantic import BaseModel

from evac.geo.city_index import City, CityIndexUnavailable
from evac.geo.gazetteer import load_gazetteer, suggest_cities
from evac.geo.geocoder import geocode_city, get_geocoder
from evac.settings import get_settings

logger = logging.getLogger(__name__)

MIN_QUERY_LENGTH = 2
MAX_SUGGESTIONS = 20
# Cities do not move: let phones and proxies keep the answers for a day.
CACHE_CONTROL = "public, max-age=86400"


class CityOut(BaseModel):
    name: str
    country: str
    latitude: float
    longitude: float


def city_suggestions(query: str, country: str | None, limit: int = 10) -> list[CityOut]:
    """Cities whose name, in any language the gazetteer knows, starts with ``query``."""
    if len(query.strip()) < MIN_QUERY_LENGTH:
        return []
    return [
        CityOut(name=c.name, country=c.country, latitude=c.latitude, longitude=c.longitude)
        for c in suggest_cities(query, country.upper() if country else None, limit)
    ]


# Farther than this, the nearest known city is not "where you are": only the country is given.
NEAREST_CITY_KM = 50
_CANDIDATES = 25


class PlaceOut(BaseModel):
    country: str
    city: str | None
    distance_km: float


def nearest_place(latitude: float, longitude: float) -> PlaceOut | None:
    """The country, and the city if one is near, of a position, from the offline gazetteer.

    GeoNames lists neighbourhoods as places of their own ("Nasir Extension" lies 3 km
    from a point in Khartoum, Khartoum's own point 4 km): of the places nearby, the one
    a person would name is the biggest not much farther away.
    """
    found = load_gazetteer().nearest(latitude, longitude, limit=_CANDIDATES)
    if not found:
        return None
    near = [(city, km) for city, km in found if km <= NEAREST_CITY_KM]
    if not near:
        city, km = found[0]
        return PlaceOut(country=city.country, city=None, distance_km=round(km, 1))
    city, km = max(near, key=lambda pair: _prominence(*pair))
    return PlaceOut(country=city.country, city=city.name, distance_km=round(km, 1))


def _prominence(city: City, km: float) -> float:
    return math.log1p(city.population) - 3 * math.log1p(km)


def geocode_for_registration(city: str, country: str) -> tuple[float, float] | None:
    """A city's position with the configured geocoder; None rather than an error,
    since a household must be able to register even when geocoding fails."""
    try:
        return geocode_city(city, country, get_geocoder(get_settings().geocoder))
    except (GeopyError, CityIndexUnavailable, OSError, ValueError) as error:
        # Neither the city nor the error's text (which may quote it) is logged.
        logger.warning("Could not geocode a city in %s: %s", country, type(error).__name__)
        return None
