"""A typed or scanned machine-readable zone (MRZ), checked against what was typed.

The check digits are verified by the ``mrz`` library (ICAO Doc 9303 parts 4
to 7: passports, visas and identity cards); this module only decides which of
its checkers a text is for and compares the MRZ's fields with the member's
typed passport name, document number and date of birth. Pure: no database.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from mrz.checker.mrva import MRVACodeChecker
from mrz.checker.mrvb import MRVBCodeChecker
from mrz.checker.td1 import TD1CodeChecker
from mrz.checker.td2 import TD2CodeChecker
from mrz.checker.td3 import TD3CodeChecker

from evac.i18n import N_
from evac.registration.normalize import document_key
from evac.registration.passport_names import mrz_words

# (number of lines, characters per line, first letter) → the library's checker.
_CHECKERS: dict[tuple[int, int, bool], Callable[[str], Any]] = {
    (2, 44, False): TD3CodeChecker,
    (2, 44, True): MRVACodeChecker,
    (2, 36, False): TD2CodeChecker,
    (2, 36, True): MRVBCodeChecker,
    (3, 30, False): TD1CodeChecker,
}

BAD_SHAPE = N_(
    "Type the machine-readable zone as printed: two lines of 44 or 36 characters, "
    "or three lines of 30 (letters, digits and <)."
)
BAD_CHECK_DIGITS = N_(
    "The check digits of the machine-readable zone do not match: check every character "
    "(0 and O, 1 and I, 8 and B are easily confused)."
)
UNREADABLE = N_("The machine-readable zone cannot be read: check it against the document.")
# What each disagreement between the MRZ and the typed values is called.
DISAGREES = {
    "surname": N_("The machine-readable zone holds another surname than the one typed."),
    "given_names": N_("The machine-readable zone holds other given names than the ones typed."),
    "document_number": N_(
        "The machine-readable zone holds another document number than the one typed."
    ),
    "date_of_birth": N_(
        "The machine-readable zone holds another date of birth than the one typed."
    ),
}


@dataclass(frozen=True)
class MrzFields:
    surname: str
    given_names: str
    document_number: str
    birth_date: str  # YYMMDD
    name_truncated: bool


@dataclass(frozen=True)
class MrzTyped:
    """What was typed for a person, to compare with the MRZ."""

    passport_surname: str | None
    passport_given_names: str | None
    document_number: str
    date_of_birth: date


class MrzError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def read_mrz(text: str) -> MrzFields:
    """The fields of a valid MRZ; raises MrzError with the reason otherwise."""
    lines = [line.replace(" ", "").upper() for line in text.strip().splitlines() if line.strip()]
    width = len(lines[0]) if lines else 0
    checker_class = _CHECKERS.get((len(lines), width, lines[0].startswith("V") if lines else False))
    if checker_class is None or any(len(line) != width for line in lines):
        raise MrzError(BAD_SHAPE)
    try:
        checker = checker_class("\n".join(lines))
    except (ValueError, TypeError, IndexError):
        raise MrzError(BAD_SHAPE) from None
    if not checker:
        failed = [name for name, ok in checker.report.fields if not ok]
        raise MrzError(BAD_CHECK_DIGITS if any("hash" in n for n in failed) else UNREADABLE)
    fields = checker.fields()
    name_zone = lines[0][5:] if len(lines) == 2 else lines[2]
    return MrzFields(
        surname=" ".join(fields.surname.split()),
        given_names=" ".join(fields.name.split()),
        document_number=fields.document_number.replace("<", ""),
        birth_date=fields.birth_date,
        name_truncated=not name_zone.endswith("<"),
    )


def disagreements(mrz: MrzFields, typed: MrzTyped) -> list[str]:
    """The keys of DISAGREES where the MRZ and the typed values differ."""
    found: list[str] = []
    names = (
        ("surname", mrz.surname, typed.passport_surname),
        ("given_names", mrz.given_names, typed.passport_given_names),
    )
    for key, in_mrz, name in names:
        if name is not None and not _same_name(in_mrz, mrz_words(name), mrz.name_truncated):
            found.append(key)
    typed_number = document_key(typed.document_number)
    if typed_number != mrz.document_number and not (
        len(mrz.document_number) == 9 and typed_number.startswith(mrz.document_number)
    ):
        found.append("document_number")  # a longer number continues in the optional data
    if typed.date_of_birth.strftime("%y%m%d") != mrz.birth_date:
        found.append("date_of_birth")
    return found


def _same_name(in_mrz: str, typed: str, truncated: bool) -> bool:
    """Equal, or (when the MRZ's name field is full) the MRZ holds its truncated start."""
    if in_mrz == typed:
        return True
    return truncated and bool(in_mrz) and typed.replace(" ", "").startswith(in_mrz.replace(" ", ""))
