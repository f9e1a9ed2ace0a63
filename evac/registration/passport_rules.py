"""The rules for a member's passport name and typed MRZ (called by ``rules``).

A passport name is optional where :func:`suggest_passport_name` can spell the
typed name in Latin letters (the suggestion is then stored), and required
where it cannot (Arabic, Chinese, Cyrillic script…). A typed MRZ must have
valid check digits and agree with the passport name, document number and
date of birth typed beside it.
"""

from __future__ import annotations

from typing import Any

from evac.i18n import N_
from evac.registration.mrz_check import (
    DISAGREES,
    MrzError,
    MrzTyped,
    disagreements,
    read_mrz,
)
from evac.registration.passport_names import (
    is_passport_name,
    normalize_passport_name,
    suggest_passport_name,
)
from evac.registration.schemas import MemberIn

# (field path within the member, gettext message id, parameters)
Finding = tuple[tuple[str, ...], str, dict[str, Any]]

NEEDS_SURNAME = N_(
    "Type the surname as printed in Latin letters in the passport (in the two lines at the "
    "bottom of the photo page): it cannot be spelled from “%(name)s”."
)
NEEDS_GIVEN_NAMES = N_(
    "Type the given names as printed in Latin letters in the passport (in the two lines at "
    "the bottom of the photo page): they cannot be spelled from “%(name)s”."
)
NOT_LATIN = N_(
    "Use only the Latin letters A to Z, spaces, hyphens and apostrophes, as in the passport's "
    "machine-readable zone."
)


def passport_names(member: MemberIn) -> tuple[str | None, str | None]:
    """The member's passport surname and given names: as typed, else the suggestion."""
    surname = normalize_passport_name(member.passport_surname)
    given = normalize_passport_name(member.passport_given_names)
    return (
        surname or suggest_passport_name(member.family_name),
        given or suggest_passport_name(member.given_name),
    )


def passport_findings(member: MemberIn) -> list[Finding]:
    """Every problem with a member's passport name and MRZ."""
    findings: list[Finding] = []
    surname, given = passport_names(member)
    for field, name, typed, needed in (
        ("passport_surname", surname, member.family_name, NEEDS_SURNAME),
        ("passport_given_names", given, member.given_name, NEEDS_GIVEN_NAMES),
    ):
        if name is None:
            findings.append(((field,), needed, {"name": typed}))
        elif not is_passport_name(name):
            findings.append(((field,), NOT_LATIN, {}))
    if member.mrz:
        findings += _mrz_findings(member, surname, given)
    return findings


def _mrz_findings(member: MemberIn, surname: str | None, given: str | None) -> list[Finding]:
    try:
        mrz = read_mrz(member.mrz or "")
    except MrzError as error:
        return [(("mrz",), error.message, {})]
    typed = MrzTyped(surname, given, member.document.number or "", member.date_of_birth)
    return [(("mrz",), DISAGREES[key], {}) for key in disagreements(mrz, typed)]
