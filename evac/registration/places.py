"""Places for the registration form: city suggestions, and geocoding that never
stops a registration (the suggestions' API is in ``places_routes.py``)."""

from __future__ import annotations

import logging

from geopy.exc import GeopyError
from pydantic import BaseModel

from evac.geo.city_index import CityIndexUnavailable
from evac.geo.gazetteer import suggest_cities
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


def geocode_for_registration(city: str, country: str) -> tuple[float, float] | None:
    """A city's position with the configured geocoder; None rather than an error,
    since a household must be able to register even when geocoding fails."""
    try:
        return geocode_city(city, country, get_geocoder(get_settings().geocoder))
    except (GeopyError, CityIndexUnavailable, OSError, ValueError) as error:
        # Neither the city nor the error's text (which may quote it) is logged.
        logger.warning("Could not geocode a city in %s: %s", country, type(error).__name__)
        return None
