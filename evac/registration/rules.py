"""Validation rules for a household's registration: pure functions, no database.

Each problem names the field it is about and carries a gettext message id, so
the form can show it next to the field in the reader's language and the API
can return it field by field.
"""

from __future__ import annotations

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from evac.errors import Problem
from evac.geo.countries import is_country_code
from evac.i18n import N_
from evac.registration.models import DocumentMissingReason, DocumentType, Sex
from evac.registration.normalize import document_key
from evac.registration.passport_rules import passport_findings
from evac.registration.schemas import ContactIn, DocumentIn, LocationIn, RegistrationIn
from evac.settings import SUPPORTED_LANGUAGES

OLDEST_BIRTH_YEAR = 1900
# Who the form offers the pregnancy box to (register.js hides it for anyone else).
PREGNANCY_AGES = (12, 60)
PREGNANCY_SEXES = (Sex.female, Sex.unspecified)


def normalize_phone(raw: str, region: str) -> str | None:
    """E.164 form of a phone number, read with the country of presence as default."""
    try:
        number = phonenumbers.parse(raw, region.upper())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalize_email(raw: str) -> str | None:
    try:
        return validate_email(raw, check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def check_registration(data: RegistrationIn, *, today: date, staff: bool = False) -> list[Problem]:
    """Every problem with a registration. ``staff``: an officer is making the change,
    who alone may record an emergency travel document."""
    problems = check_contact_and_location(data.contact, data.location)
    seen_documents: dict[tuple[str, str, str | None], int] = {}
    for index, member in enumerate(data.members):
        problems += _check_member(data, index, today)
        problems += [
            Problem(("members", index, "document", *path), message)
            for path, message in document_findings(member.document, today, staff=staff)
        ]
        problems += [
            Problem(("members", index, *path), message, params)
            for path, message, params in passport_findings(member)
        ]
        document = member.document
        if document.type == DocumentType.none:
            continue
        key = (document.type, document_key(document.number or ""), document.country)
        if key in seen_documents:
            problems.append(
                Problem(
                    ("members", index, "document", "number"),
                    N_("This document is already listed for member %(number)s."),
                    {"number": seen_documents[key] + 1},
                )
            )
        seen_documents.setdefault(key, index)
    if not data.consent:
        problems.append(
            Problem(("consent",), N_("You must agree to the processing of your data to register."))
        )
    return problems


def check_contact_and_location(contact: ContactIn, location: LocationIn) -> list[Problem]:
    """The rules a household's contact and location meet, however they are sent:
    the registration form and API, the registrant's own changes, the staff API."""
    problems: list[Problem] = []
    if not is_country_code(location.country):
        problems.append(Problem(("location", "country"), N_("Choose a country from the list.")))
    elif normalize_phone(contact.phone, location.country) is None:
        problems.append(
            Problem(
                ("contact", "phone"),
                N_("Enter a valid phone number, with the country code if it is not local."),
            )
        )
    if contact.email and normalize_email(contact.email) is None:
        problems.append(
            Problem(("contact", "email"), N_("Enter a valid email address, like name@example.com."))
        )
    if contact.language not in SUPPORTED_LANGUAGES:
        problems.append(Problem(("contact", "language"), N_("Choose a language from the list.")))
    if (location.latitude is None) != (location.longitude is None):
        problems.append(
            Problem(("location", "latitude"), N_("Give both latitude and longitude, or neither."))
        )
    return problems


def _check_member(data: RegistrationIn, index: int, today: date) -> list[Problem]:
    member = data.members[index]
    problems: list[Problem] = []

    def add(field_path: tuple[str, ...], message: str) -> None:
        problems.append(Problem(("members", index, *field_path), message))

    if member.date_of_birth > today:
        add(("date_of_birth",), N_("The date of birth cannot be in the future."))
    elif member.date_of_birth.year < OLDEST_BIRTH_YEAR:
        add(("date_of_birth",), N_("Check the year of birth."))
    if not is_country_code(member.nationality):
        add(("nationality",), N_("Choose a nationality from the list."))
    if member.pregnant and not pregnancy_possible(member.sex, member.date_of_birth, today):
        add(
            ("pregnant",),
            N_(
                "Pregnancy can be recorded for a woman aged 12 to 60 only: "
                "check the sex, the date of birth or the pregnancy box."
            ),
        )
    return problems


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def pregnancy_possible(sex: Sex | str, born: date, today: date) -> bool:
    """Whether the pregnancy box applies to this person (not a man, aged 12 to 60)."""
    youngest, oldest = PREGNANCY_AGES
    return sex in PREGNANCY_SEXES and youngest <= age_on(born, today) <= oldest


DocumentFinding = tuple[tuple[str, ...], str]


def document_findings(document: DocumentIn, today: date, *, staff: bool) -> list[DocumentFinding]:
    """The problems with one travel document, each at its path within ``document``."""
    if document.type == DocumentType.none:
        return _missing_document_findings(document)
    findings: list[DocumentFinding] = []
    if document.type == DocumentType.emergency and not staff:
        findings.append(
            (
                ("type",),
                N_(
                    "Only the mission records an emergency travel document. Choose "
                    "“No travel document” and say why; the mission will contact you."
                ),
            )
        )
    if not is_country_code(document.country or ""):
        findings.append((("country",), N_("Choose the country that issued the document.")))
    if document.expiry is not None and document.expiry < today:
        findings.append(
            (
                ("expiry",),
                N_(
                    "This document has expired. Register with a valid document, "
                    "or contact the mission."
                ),
            )
        )
    elif document.expiry is None and document.type == DocumentType.emergency:
        findings.append(
            (("expiry",), N_("Enter the date until which the emergency travel document is valid."))
        )
    if not document_key(document.number or ""):
        findings.append((("number",), N_("Enter the document number as printed.")))
    return findings


def _missing_document_findings(document: DocumentIn) -> list[DocumentFinding]:
    findings: list[DocumentFinding] = []
    if document.number or document.expiry:
        findings.append(
            (
                ("number",),
                N_(
                    "Leave the document number and expiry empty, or choose the type of "
                    "document: this person has no travel document."
                ),
            )
        )
    if document.missing_reason is None:
        findings.append((("missing_reason",), N_("Choose why this person has no travel document.")))
    elif document.missing_reason == DocumentMissingReason.other and not document.missing_note:
        findings.append(
            (("missing_note",), N_("Say in a few words why this person has no travel document."))
        )
    return findings
