"""Geocoding behind geopy's interface, offline by default.

``GazetteerGeocoder`` answers from the bundled gazetteer, so registration and
CSV import work with no network, which is the usual state of a crisis server.
``get_geocoder("nominatim")`` gives geopy's Nominatim for deployments that may
reach OpenStreetMap; both are called the same way.

Geocoding answers only for a name the gazetteer knows (a name or an alternate
name, in any script, without regard to case or accents): a typo gives no
answer rather than a confident wrong place. Prefix matching is for
suggestions (``evac.geo.gazetteer.suggest_cities``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from geopy.adapters import BaseSyncAdapter
from geopy.exc import GeocoderServiceError
from geopy.geocoders import Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from evac.geo.countries import is_country_code
from evac.geo.gazetteer import City, Gazetteer, load_gazetteer

USER_AGENT = "evac"
GEOCODER_KINDS = ("gazetteer", "nominatim")


class OfflineAdapter(BaseSyncAdapter):
    """A geopy adapter that refuses to make any request."""

    def get_json(self, url: str, *, timeout: float, headers: dict[str, str]) -> Any:
        raise GeocoderServiceError(f"The offline geocoder does not make requests ({url}).")

    def get_text(self, url: str, *, timeout: float, headers: dict[str, str]) -> str:
        raise GeocoderServiceError(f"The offline geocoder does not make requests ({url}).")


class GazetteerGeocoder(Geocoder):
    """geopy ``Geocoder`` answering from the offline gazetteer."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        super().__init__(user_agent=USER_AGENT, adapter_factory=OfflineAdapter)
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        country_codes: str | Iterable[str] | None = None,
        limit: int | None = None,
        **kwargs: Any,
    ) -> Location | list[Location] | None:
        """Places named ``query``, the most populous first.

        ``query`` may end with ", CC" (an ISO alpha-2 code), as our own
        addresses do. ``country_codes`` (one code or several) limits the
        countries, as for Nominatim. Other Nominatim keywords (``timeout``,
        ``language``…) are accepted and ignored.
        """
        name, countries = _split_query(query, country_codes)
        cities = self._matches(name, countries, 1 if exactly_one else limit or 10)
        if exactly_one:
            return _location(cities[0]) if cities else None
        return [_location(city) for city in cities] or None

    def reverse(
        self, query: Any, *, exactly_one: bool = True, **kwargs: Any
    ) -> Location | list[Location] | None:
        """The city nearest to a point ("lat, lon", a tuple or a geopy ``Point``)."""
        point = Point(query)
        found = self.gazetteer.nearest(point.latitude, point.longitude)
        if not found:
            return None
        city, km = found[0]
        location = _location(city, distance_km=round(km, 3))
        return location if exactly_one else [location]

    def _matches(self, name: str, countries: list[str] | None, limit: int) -> list[City]:
        """Cities with exactly this name, the most populous first."""
        if countries is None:
            return self.gazetteer.matches(name, None, limit)
        found = [c for cc in countries for c in self.gazetteer.matches(name, cc, limit)]
        found.sort(key=lambda city: -city.population)
        return found[:limit]


def _split_query(
    query: str, country_codes: str | Iterable[str] | None
) -> tuple[str, list[str] | None]:
    """The place name and the country codes to search in."""
    if isinstance(country_codes, str):
        countries: list[str] | None = [country_codes.upper()]
    elif country_codes is not None:
        countries = [code.upper() for code in country_codes]
    else:
        countries = None
    name, _, tail = query.rpartition(",")
    tail = tail.strip().upper()
    if name.strip() and is_country_code(tail):
        return name.strip(), [tail] if countries is None or tail in countries else []
    return query.strip(), countries


def _location(city: City, **extra: Any) -> Location:
    raw = {
        "geonameid": city.geonameid,
        "name": city.name,
        "country_code": city.country,
        "population": city.population,
        "lat": city.latitude,
        "lon": city.longitude,
        **extra,
    }
    return Location(f"{city.name}, {city.country}", (city.latitude, city.longitude), raw)


def get_geocoder(kind: str = "gazetteer") -> Geocoder:
    """A geocoder by name: "gazetteer" (offline) or "nominatim" (OpenStreetMap, online)."""
    if kind == "gazetteer":
        return _default_geocoder()
    if kind == "nominatim":
        return Nominatim(user_agent=USER_AGENT)
    raise ValueError(f"Unknown geocoder {kind!r}; expected one of {', '.join(GEOCODER_KINDS)}")


@lru_cache(maxsize=1)
def _default_geocoder() -> GazetteerGeocoder:
    return GazetteerGeocoder()


def geocode_city(
    city: str, country: str, geocoder: Geocoder | None = None
) -> tuple[float, float] | None:
    """(latitude, longitude) of a city in a country, or None when it is not known."""
    if not city.strip():
        return None
    location = (geocoder or _default_geocoder()).geocode(
        city, exactly_one=True, country_codes=[country]
    )
    if location is None:
        return None
    return (location.latitude, location.longitude)
