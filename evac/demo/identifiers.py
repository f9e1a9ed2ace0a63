"""Document numbers, phone numbers and e-mail addresses for demo people.

Document numbers follow each country's visible format (a Turkish passport is
``U`` and eight digits, a German one nine characters from a reduced alphabet)
and are unique across one generated set. Phone numbers are real-looking mobile
numbers of the country of presence, each checked with ``phonenumbers``.
E-mail addresses use the reserved ``example.*`` domains, so that a demo can
never write to a real mailbox.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import phonenumbers
from unidecode import unidecode

# '#' a digit, '@' a letter, '*' a character of the German alphabet; others literal.
DOCUMENT_FORMATS: dict[str, tuple[str, str | None]] = {
    "TR": ("U########", "A##@#####"),
    "DE": ("C********", "L********"),
    "AT": ("P#######", "#######"),
    "CH": ("X#######", "C#######"),
    "FR": ("##@@#####", "*********"),
    "BE": ("@@######", "###-#######-##"),
    "NL": ("@@*******", "I@*******"),
    "GB": ("#########", None),
    "IE": ("P@#######", None),
    "US": ("#########", None),
    "CA": ("@@######", None),
    "AU": ("P@#######", None),
    "SY": ("N#########", None),
    "IQ": ("@########", None),
    "EG": ("A########", None),
    "MA": ("@@#######", None),
    "DZ": ("#########", None),
    "TN": ("@######", None),
    "JO": ("@#######", None),
    "LB": ("LR#######", None),
    "IR": ("@########", None),
    "AZ": ("C########", "AA#######"),
    "GE": ("##@@#####", "##ID#####"),
    "RU": ("#########", None),
    "UA": ("@@######", "#########"),
    "ES": ("@@@######", None),
    "IT": ("@@#######", "CA#####@@"),
    "BR": ("@@######", None),
    "PT": ("@######", None),
    "CN": ("E########", None),
    "JP": ("@@#######", None),
}
DEFAULT_FORMAT = ("@@#######", None)
EEA = frozenset({
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT",
    "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO", "CH",
})  # fmt: skip
# Where a Turkish identity card is enough to travel.
TR_ID_CARD_COUNTRIES = frozenset({"GE", "UA", "AZ", "BA", "RS", "ME", "MD", "AL", "MK"})
LETTERS = "ABCDEFGHIJKLMNPRSTUVWXYZ"
GERMAN_ALPHABET = "CFGHJKLMNPRTVWXYZ0123456789"
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
NEAR_EXPIRY_SHARE = 0.03
PHONE_BATCH = 64
_TOKEN = re.compile(r"#+|@|\*|[^#@*]+")


@cache
def _compile(template: str) -> tuple[tuple[str, int], ...]:
    """Split a format into runs of ('#', digits), ('@', 1), ('*', 1) or (literal, 0)."""
    parts = []
    for token in _TOKEN.findall(template):
        if token[0] == "#":
            parts.append(("#", len(token)))
        elif token in ("@", "*"):
            parts.append((token, 1))
        else:
            parts.append((token, 0))
    return tuple(parts)


def _fill(rng: random.Random, template: str) -> str:
    out = []
    for piece, length in _compile(template):
        if piece == "#":
            out.append(f"{int(rng.random() * 10**length):0{length}d}")
        elif piece == "@":
            out.append(LETTERS[int(rng.random() * len(LETTERS))])
        elif piece == "*":
            out.append(GERMAN_ALPHABET[int(rng.random() * len(GERMAN_ALPHABET))])
        else:
            out.append(piece)
    return "".join(out)


def has_identity_card(nationality: str) -> bool:
    return DOCUMENT_FORMATS.get(nationality, DEFAULT_FORMAT)[1] is not None


def pick_document_type(rng: random.Random, nationality: str, country: str) -> str:
    """'P' (passport) mostly; 'I' (identity card) where one is enough to travel."""
    if not has_identity_card(nationality):
        return "P"
    if nationality == "TR" and country in TR_ID_CARD_COUNTRIES:
        return "I" if rng.random() < 0.3 else "P"
    if nationality in EEA and country in EEA:
        return "I" if rng.random() < 0.35 else "P"
    return "P"


@dataclass(frozen=True, slots=True)
class _PhonePlan:
    country_code: int
    national: str


@cache
def _phone_plan(region: str) -> _PhonePlan:
    example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    if example is None:
        example = phonenumbers.example_number(region)
    if example is None:
        raise ValueError(f"no phone numbering plan for {region}")
    return _PhonePlan(example.country_code, str(example.national_number))


class IdentifierFactory:
    """Draws identifiers from one ``random.Random``, never the same one twice."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self._rng = rng
        self._today = today
        self._documents: set[str] = set()
        self._phones: set[str] = set()
        self._phone_pools: dict[str, list[str]] = {}

    def document_number(self, nationality: str, document_type: str) -> str:
        passport, identity_card = DOCUMENT_FORMATS.get(nationality, DEFAULT_FORMAT)
        template = identity_card if document_type == "I" and identity_card else passport
        while True:
            number = _fill(self._rng, template)
            if number not in self._documents:
                self._documents.add(number)
                return number

    def document_expiry(self) -> date:
        """Mostly years ahead; a few documents expire within the next six weeks."""
        if self._rng.random() < NEAR_EXPIRY_SHARE:
            return self._today + timedelta(days=self._rng.randint(1, 42))
        return self._today + timedelta(days=self._rng.randint(60, 3650))

    def phone(self, region: str) -> str:
        """A valid E.164 mobile number of ``region``, new in this set."""
        pool = self._phone_pools.setdefault(region, [])
        if not pool:
            pool.extend(self._draw_phones(region))
        return pool.pop()

    def _draw_phones(self, region: str) -> list[str]:
        """A batch of new numbers for one region, each checked with ``phonenumbers``.

        Drawing a batch per region keeps phonenumbers' patterns in ``re``'s cache.
        The leading digits of the region's example mobile number are kept and
        the rest drawn at random; when too few such numbers are valid, more of
        the leading digits are kept.
        """
        plan = _phone_plan(region)
        drawn: list[str] = []
        for keep in range(3, len(plan.national)):
            tail = "#" * (len(plan.national) - keep)
            for _ in range(PHONE_BATCH * 30):
                national = plan.national[:keep] + _fill(self._rng, tail)
                e164 = f"+{plan.country_code}{national}"
                number = phonenumbers.PhoneNumber(
                    country_code=plan.country_code, national_number=int(national)
                )
                if e164 not in self._phones and phonenumbers.is_valid_number_for_region(
                    number, region
                ):
                    self._phones.add(e164)
                    drawn.append(e164)
                    if len(drawn) == PHONE_BATCH:
                        return drawn
            if drawn:
                return drawn
        raise RuntimeError(f"could not draw a new phone number for {region}")

    def email(self, given_name: str, family_name: str) -> str:
        local = f"{_ascii(given_name)}.{_ascii(family_name)}"
        return f"{local}{self._rng.randint(1, 9999)}@{self._rng.choice(EMAIL_DOMAINS)}"


def _ascii(name: str) -> str:
    folded = unidecode(name.replace("Ə", "E").replace("ə", "e")).lower()
    return "".join(ch for ch in folded if ch.isalnum()) or "x"
