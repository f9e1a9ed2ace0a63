"""Finding an airport by its code, its name or its city; large airports first.

airportsdata has no field for an airport's size, so ``data/airport_kinds.csv``
(made by ``scripts/airport_kinds.py`` from OurAirports' classification) says
which airports are large or medium; every other one counts as small. A
coordinator typing "Istanbul" wants Istanbul Airport, not a heliport.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from evac.geo.airports import Airport, all_airports, get_airport
from evac.geo.names import fold

KINDS_FILE = Path(__file__).parent / "data" / "airport_kinds.csv"
KIND_RANK = {"large": 0, "medium": 1, "small": 2}
_ICAO = re.compile(r"[A-Z0-9]{4}")


@lru_cache(maxsize=1)
def _kinds() -> dict[str, str]:
    with KINDS_FILE.open(encoding="utf-8", newline="") as rows:
        return {row["iata"]: row["kind"] for row in csv.DictReader(rows)}


def airport_kind(iata: str) -> str:
    """``large``, ``medium`` or ``small`` (anything OurAirports does not call large or medium)."""
    return _kinds().get(iata, "small")


@lru_cache(maxsize=1)
def _index() -> tuple[tuple[Airport, str, str], ...]:
    """Each airport with its folded name and city, large airports first."""
    airports = sorted(all_airports(), key=lambda a: (KIND_RANK[airport_kind(a.iata)], a.iata))
    return tuple((a, fold(a.name), fold(a.city)) for a in airports)


@lru_cache(maxsize=1)
def _by_icao() -> dict[str, Airport]:
    return {a.icao: a for a in all_airports() if a.icao}


def by_code(text: str) -> Airport | None:
    """The airport whose IATA (3 letters) or ICAO (4 characters) code this is."""
    code = text.strip().upper()
    if len(code) == 3:
        return get_airport(code)
    if _ICAO.fullmatch(code):
        return _by_icao().get(code)
    return None


def _word_start(key: str, haystack: str) -> bool:
    return haystack.startswith(key) or f" {key}" in haystack


def find_airports(text: str, limit: int = 10) -> list[Airport]:
    """Airports matching a code exactly, or a name or city by its words' starts.

    Exact codes come first; then large, medium and small airports, each in
    IATA order; an airport whose city matches comes before one whose name does.
    """
    key = fold(text)
    if not key:
        return []
    exact = by_code(text)
    found: list[Airport] = [exact] if exact else []
    by_city, by_name = [], []
    for airport, name, city in _index():
        if airport is exact:
            continue
        if _word_start(key, city):
            by_city.append(airport)
        elif _word_start(key, name):
            by_name.append(airport)
    ranked = sorted(
        [(0, a) for a in by_city] + [(1, a) for a in by_name],
        key=lambda pair: (KIND_RANK[airport_kind(pair[1].iata)], pair[0]),
    )
    found += [airport for _, airport in ranked]
    return found[:limit]


def resolve_airport(text: str) -> tuple[Airport | None, list[Airport]]:
    """The airport meant by ``text``, or None with the candidates to choose from.

    A code is taken as it is. A name or a city is taken when it matches one
    airport, or one large airport only (the review step then shows which).
    """
    exact = by_code(text)
    if exact:
        return exact, []
    candidates = find_airports(text, limit=50)
    large = [a for a in candidates if airport_kind(a.iata) == "large"]
    if len(candidates) == 1:
        return candidates[0], []
    if len(large) == 1:
        return large[0], []
    return None, candidates[:8]


def large_airports() -> list[Airport]:
    """Every large airport, by IATA code: the choices offered as the form is typed."""
    return [a for a in all_airports() if airport_kind(a.iata) == "large"]
