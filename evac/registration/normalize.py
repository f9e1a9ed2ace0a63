"""Folding names and document numbers into search keys.

"Şahin", "ŞAHİN" and "sahin" share one key; so do "Öztürk" and "Ozturk".
Keys are stored beside the original spelling so that search is a plain
indexed comparison on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re

from unidecode import unidecode

_SPACES = re.compile(r"\s+")
# Letters unidecode gets wrong for names: Azerbaijani schwa becomes "@".
_BEFORE_UNIDECODE = str.maketrans({"ə": "a", "Ə": "A"})
_NOT_ALNUM = re.compile(r"[^0-9A-Z]")


def fold(text: str) -> str:
    return _SPACES.sub(" ", unidecode(text.translate(_BEFORE_UNIDECODE)).casefold()).strip()


def name_key(given_name: str, family_name: str) -> str:
    return fold(f"{given_name} {family_name}")


def document_key(number: str) -> str:
    return _NOT_ALNUM.sub("", unidecode(number.translate(_BEFORE_UNIDECODE)).upper())


def clean_text(text: str | None) -> str | None:
    """Trim and collapse white space; None for empty."""
    if text is None:
        return None
    text = _SPACES.sub(" ", text).strip()
    return text or None
