"""Passport names: a person's name as printed in Latin letters on the passport.

A passport shows the holder's name twice: in the visual zone, where it may
keep national letters, and in the machine-readable zone (MRZ), in capital
letters A–Z only. ICAO Doc 9303 Part 3, section 6, tells issuing States how to
write national Latin letters there: ``Ü`` as ``UE``, ``Ø`` as ``OE``, ``ß`` as
``SS``, ``Å`` as ``AA``, ``Ş`` as ``S``, and most letters with a diacritic as the
bare letter. :data:`DOC9303_LATIN` is that table; :func:`suggest_passport_name`
applies it to a name as typed.

evac stores the passport name in capitals A–Z with the spaces, hyphens and
apostrophes of the visual zone (``O'BRIEN``, ``JEAN-LUC``): the MRZ itself turns
hyphens into the filler ``<`` and drops apostrophes, which :func:`mrz_words`
does when a typed MRZ is compared or a border file is written. A name in
another script (Arabic, Chinese, Cyrillic…) has no suggestion: its Latin
spelling is the issuing State's choice, so the registrant types it from the
passport.
"""

from __future__ import annotations

import re
import unicodedata

# ICAO Doc 9303 Part 3, section 6, "Transliteration of multinational Latin-based
# characters": the recommended spelling of each capital letter in the MRZ.
# Where the table allows two (Ä: AE or A, Ñ: N or NXX, Ö: OE or O, Ü: UE or UXX),
# the first is used; the registrant corrects a suggestion that differs from
# the passport. Small letters are looked up by their capital.
DOC9303_LATIN: dict[str, str] = {
    **dict.fromkeys("ÁÀÂÃĂĀĄ", "A"),
    "Ä": "AE",
    "Å": "AA",
    "Æ": "AE",
    **dict.fromkeys("ĆĈČĊÇ", "C"),
    **dict.fromkeys("ĐĎÐ", "D"),
    **dict.fromkeys("ÉÈÊËĚĖĒĘĔ", "E"),
    **dict.fromkeys("ĜĞĠĢ", "G"),
    **dict.fromkeys("ĦĤ", "H"),
    **dict.fromkeys("ÍÌÎÏĨİĪĮĬ", "I"),
    "Ĳ": "IJ",
    "Ĵ": "J",
    "Ķ": "K",
    **dict.fromkeys("ŁĹĽĻĿ", "L"),
    **dict.fromkeys("ŃÑŇŅŊ", "N"),
    **dict.fromkeys("ÓÒÔÕŐŌŎ", "O"),
    "Ö": "OE",
    "Ø": "OE",
    "Œ": "OE",
    **dict.fromkeys("ŔŘŖ", "R"),
    **dict.fromkeys("ŚŜŠŞȘ", "S"),
    "ẞ": "SS",
    **dict.fromkeys("ŦŤŢȚ", "T"),
    "Þ": "TH",
    **dict.fromkeys("ÚÙÛŨŬŰŮŪŲ", "U"),
    "Ü": "UE",
    "Ŵ": "W",
    **dict.fromkeys("ÝŶŸ", "Y"),
    **dict.fromkeys("ŹŽŻ", "Z"),
}
# Letters whose capital is not one character, or not the one in the table; and
# the Azerbaijani schwa, absent from the table, which Azerbaijan's passports
# write as A (ƏLİYEV → ALIYEV).
_SMALL = {"ß": "SS", "ı": "I", "i": "I", "ə": "A", "Ə": "A"}
_APOSTROPHES = "'’ʼ‘`´"
# What a passport name may hold: capitals A–Z, with spaces, hyphens and
# apostrophes between words ("O'BRIEN", "JEAN-LUC", "D' ARTAGNAN").
PASSPORT_NAME = re.compile(r"^[A-Z]+(?:[-' ]{1,2}[A-Z]+)*$")
_SPACES = re.compile(r"\s+")


def _latin(char: str) -> str | None:
    """One character of a typed name in MRZ letters; None if it has no Latin spelling."""
    if char in _SMALL:
        return _SMALL[char]
    capital = char.upper()
    if "A" <= capital <= "Z" and len(capital) == 1:
        return capital
    if capital in DOC9303_LATIN:
        return DOC9303_LATIN[capital]
    if char in _APOSTROPHES:
        return "'"
    if char in " -":
        return char
    if char in ".,":
        return ""  # "Jr." and "Smith, John": punctuation is not written
    base = unicodedata.normalize("NFD", capital)[0]
    if "A" <= base <= "Z" and unicodedata.name(capital, "").startswith("LATIN"):
        return base  # another Latin letter with a diacritic: the bare letter
    return None


def browser_table() -> dict[str, dict[str, str]]:
    """The transliteration as the form's script applies it (static/js/passport-name.js)."""
    return {"capitals": DOC9303_LATIN, "small": _SMALL}


def suggest_passport_name(name: str) -> str | None:
    """The Doc 9303 spelling of a name typed in Latin letters, e.g. "Müller" → "MUELLER".

    None when the name holds anything else (another script, digits): then no
    spelling can be suggested and the registrant types it from the passport.
    """
    text = unicodedata.normalize("NFC", _SPACES.sub(" ", name).strip())
    letters: list[str] = []
    for char in text:
        if unicodedata.category(char) == "Mn":
            continue  # a combining accent left after NFC
        latin = _latin(char)
        if latin is None:
            return None
        letters.append(latin)
    suggestion = _SPACES.sub(" ", "".join(letters)).strip()
    return suggestion if PASSPORT_NAME.match(suggestion) else None


def normalize_passport_name(typed: str | None) -> str | None:
    """A typed passport name as stored: capitals, single spaces, typographic
    apostrophes as ``'``, the MRZ filler ``<`` as a space; None if empty."""
    if typed is None:
        return None
    text = typed.upper().replace("<", " ")
    for apostrophe in _APOSTROPHES:
        text = text.replace(apostrophe, "'")
    text = _SPACES.sub(" ", text).strip()
    return text or None


def is_passport_name(name: str) -> bool:
    return bool(PASSPORT_NAME.match(name))


def mrz_words(name: str) -> str:
    """A passport name as the MRZ reads it, words separated by spaces:
    apostrophes dropped, hyphens read as the filler that separates words."""
    return " ".join(name.replace("'", "").replace("-", " ").split())
