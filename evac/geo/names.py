"""Folding place names into search keys: no case, no accents, any script.

"Köln", "KÖLN" and "koln" fold alike, as do "İstanbul" and "istanbul",
"Şanlıurfa" and "Sanliurfa", "القاهِرَة" and "القاهرة". The gazetteer folds
every name it knows once, when its index is built, and each query as it comes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from unidecode import unidecode

_APOSTROPHES = "'`’‘ʼʻʾʿ´"
# Arabic letters written in several ways that a person typing does not tell apart.
_ARABIC_VARIANTS = {"ٱ": "ا", "ة": "ه", "ى": "ي", "ی": "ي", "ک": "ك", "ـ": None}
# Airport codes and abbreviations among the alternate names.
_CODE = re.compile(r"[A-Z0-9]{2,4}")
# The characters ``fold`` rewrites; any other one is kept as it is.
_FOLDED_RANGE = range(0x20, 0x10000)


def _fold_char(code: int) -> str | None:
    """What one character folds to: "" or None to drop it, else its replacement.

    Combining marks go (after NFKD this removes accents and Arabic vowel
    signs), Latin letters become their ASCII spelling ("ı" → "i", "ł" → "l",
    "æ" → "ae"), punctuation becomes a space. Letters of other scripts stay,
    so that "القاهرة" is looked up in Arabic rather than in a lossy
    transliteration.
    """
    char = chr(code)
    if char in _APOSTROPHES:
        return None
    if char in _ARABIC_VARIANTS:
        return _ARABIC_VARIANTS[char]
    if code not in _FOLDED_RANGE:
        return char
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return None
    if code >= 0x80 and category.startswith("L") and "LATIN" in unicodedata.name(char, ""):
        return _ascii_words(unidecode(char))
    if category[0] in "PSZ":
        return " "
    return char


class _FoldTable(dict[int, str | None]):
    """``str.translate``'s table, each character worked out the first time it is met.

    Working out the whole Basic Multilingual Plane up front took a quarter of
    a second of one core, holding the GIL, on the first query a worker served.
    """

    def __missing__(self, code: int) -> str | None:
        folded = _fold_char(code)
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


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
        folded = text.lower().translate(_FOLD_TABLE)
    else:
        # Decompose before case-folding too: some compatibility characters
        # ("𝝖") decompose to capitals.
        text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
        folded = text.translate(_FOLD_TABLE)
    return " ".join(folded.split())


_ARABIC_ARTICLE = "ال"


def search_key(text: str) -> str:
    """The key a query and every indexed name are compared on: ``fold`` without the
    Arabic article "ال" at the start of a word, which GeoNames writes on some names
    and not others ("الخرطوم" is listed as "خرطوم"; "القاهرة" keeps it)."""
    return " ".join(
        word[len(_ARABIC_ARTICLE) :]
        if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE)
        else word
        for word in fold(text).split(" ")
    )


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
    names = {search_key(name)}
    codes = set()
    for alternate in alternates:
        (codes if _CODE.fullmatch(alternate) else names).add(search_key(alternate))
    names.discard("")
    return NameKeys(tuple(sorted(names)), tuple(sorted(codes - names)))
