"""Country codes and their names in the languages evac speaks.

Codes are ISO 3166-1 alpha-2 (pycountry), plus ``XK`` for Kosovo: ISO has not
assigned it, but the EU, airlines and airportsdata use it, and citizens live
there. Names come from the CLDR data that babel ships.

There is no ICU here, so lists are sorted with ``collation_key``: the folded
gazetteer key (no case, no accents, Arabic hamza and vowel marks ignored, so
Arabic sorts in alphabet order by code point), with Turkish letters placed as
the Turkish alphabet has them (Ç after C, I before İ, Ş after S…).
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from babel import Locale

from evac.geo.names import fold

EXTRA_COUNTRIES = {"XK": "Kosovo"}
# Each Turkish letter that is not in the Latin alphabet sorts right after its base
# letter: the base followed by a private-use character, which outranks any letter.
_AFTER = "\ue000"
_TURKISH_LETTERS = str.maketrans(
    {"ç": "c" + _AFTER, "ğ": "g" + _AFTER, "ı": "h" + _AFTER, "ö": "o" + _AFTER}
    | {"ş": "s" + _AFTER, "ü": "u" + _AFTER}
)
_TURKIC_LANGUAGES = frozenset({"tr", "az"})


@lru_cache(maxsize=1)
def _codes() -> frozenset[str]:
    return frozenset({c.alpha_2 for c in pycountry.countries} | EXTRA_COUNTRIES.keys())


def is_country_code(cc: object) -> bool:
    """Whether ``cc`` is an upper-case ISO 3166-1 alpha-2 code (or ``XK``)."""
    return isinstance(cc, str) and cc in _codes()


def _locale(locale: str) -> Locale:
    return Locale.parse(locale.replace("-", "_"))


def collation_key(text: str, locale: str) -> tuple[str, str]:
    """Sort key that orders ``text`` as a reader of ``locale`` expects.

    The text itself breaks ties, so the order never depends on input order.
    """
    if _locale(locale).language in _TURKIC_LANGUAGES:
        turkish = text.replace("I", "ı").replace("İ", "i").lower()
        return fold(turkish.translate(_TURKISH_LETTERS)), text
    return fold(text), text


@lru_cache(maxsize=32)
def _names(locale: str) -> dict[str, str]:
    territories = _locale(locale).territories
    names = {}
    for code in _codes():
        fallback = EXTRA_COUNTRIES.get(code) or pycountry.countries.get(alpha_2=code).name
        names[code] = territories.get(code, fallback)
    return names


def country_name(cc: str, locale: str) -> str:
    """The name of a country in a language ("DE", "tr" → "Almanya").

    Raises ``KeyError`` for a code that is not a country.
    """
    if not is_country_code(cc):
        raise KeyError(f"Not an ISO 3166-1 alpha-2 country code: {cc!r}")
    return _names(locale)[cc]


@lru_cache(maxsize=32)
def _choices(locale: str) -> tuple[tuple[str, str], ...]:
    names = _names(locale)
    return tuple(sorted(names.items(), key=lambda item: (*collation_key(item[1], locale), item[0])))


def country_choices(locale: str) -> list[tuple[str, str]]:
    """(code, name) for every country, in the alphabetical order of ``locale``."""
    return list(_choices(locale))
