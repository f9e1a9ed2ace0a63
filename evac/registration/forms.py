"""The registration form: flat HTML field names to and from the registration schemas.

A form is kept as the flat strings the browser posted (``phone``,
``members-0-given_name``…), so that it can be shown again exactly as typed.
Parsing turns it into the schemas and every problem, from Pydantic or from the
validation rules, into a :class:`Problem` named by its form field, so that each
message is shown next to its field and in the summary at the top.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from evac.geo.countries import country_choices
from evac.i18n import N_, language_name
from evac.registration.models import DocumentMissingReason, DocumentType, MedicalUrgency, Sex
from evac.registration.passport_names import browser_table
from evac.registration.rules import (
    PREGNANCY_AGES,
    PREGNANCY_SEXES,
    Problem,
    check_registration,
)
from evac.registration.schemas import (
    MAX_MEMBERS,
    ContactIn,
    DocumentIn,
    LocationIn,
    MemberIn,
    RegistrationIn,
)
from evac.settings import get_settings
from evac.validation import CONTROL_CHARACTER, CONTROL_CHARACTER_MESSAGE

CONTACT_FIELDS = ("phone", "email", "language")
LOCATION_FIELDS = ("country", "city", "address", "latitude", "longitude")
CONSENT_FIELDS = ("consent", "consent_share")
MEMBER_FIELDS = (
    "given_name",
    "family_name",
    "passport_surname",
    "passport_given_names",
    "date_of_birth",
    "sex",
    "nationality",
    "document_type",
    "document_number",
    "document_country",
    "document_expiry",
    "document_missing_reason",
    "document_missing_note",
    "needs_stretcher",
    "needs_wheelchair",
    "needs_oxygen",
    "medical_urgency",
    "pregnant",
)
MEMBER_CHECKBOXES = ("needs_stretcher", "needs_wheelchair", "needs_oxygen", "pregnant")
MEMBER_SELECTS = (
    *("sex", "nationality", "document_type", "document_country", "document_missing_reason"),
    "medical_urgency",
)
MEMBER_DATES = ("date_of_birth", "document_expiry")
DOCUMENT_PREFIX = "document_"
# Posted rows beyond this are ignored; one more than allowed still reaches validation.
_MAX_POSTED_MEMBERS = MAX_MEMBERS + 1
_MEMBER_NAME = re.compile(r"^members-(\d{1,3})-([a-z_]+)$")
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./ -](\d{1,2})[./ -](\d{4})$")
_SELECTS = frozenset({"language", "country", *MEMBER_SELECTS})

M = TypeVar("M", bound=BaseModel)

SEX_CHOICES = (
    (Sex.female.value, N_("Female")),
    (Sex.male.value, N_("Male")),
    (Sex.unspecified.value, N_("Unspecified (X)")),
)
DOCUMENT_CHOICES = (
    (DocumentType.passport.value, N_("Passport")),
    (DocumentType.identity_card.value, N_("National identity card")),
    (DocumentType.none.value, N_("No travel document")),
)
# An officer also records an emergency travel document (ETD).
STAFF_DOCUMENT_CHOICES = (
    *DOCUMENT_CHOICES[:2],
    (DocumentType.emergency.value, N_("Emergency travel document (ETD)")),
    DOCUMENT_CHOICES[2],
)
DOCUMENT_NAMES = dict(STAFF_DOCUMENT_CHOICES)
MISSING_REASON_CHOICES = (
    (
        DocumentMissingReason.on_parent_passport.value,
        N_("A newborn or child on a parent's passport"),
    ),
    (
        DocumentMissingReason.held_by_authority.value,
        N_("Passport held by another authority or embassy"),
    ),
    (DocumentMissingReason.lost_or_stolen.value, N_("Lost or stolen")),
    (DocumentMissingReason.expired.value, N_("Expired")),
    (DocumentMissingReason.other.value, N_("Other (say why)")),
)
MISSING_REASONS = dict(MISSING_REASON_CHOICES)
URGENCY_CHOICES = (
    (MedicalUrgency.none.value, N_("No medical need")),
    (MedicalUrgency.stable.value, N_("Stable, but needs care during the journey")),
    (MedicalUrgency.urgent.value, N_("Urgent: needs treatment soon")),
    (MedicalUrgency.critical.value, N_("Critical: life-threatening")),
)
NEED_LABELS = (
    ("needs_stretcher", N_("Must lie on a stretcher")),
    ("needs_wheelchair", N_("Uses a wheelchair")),
    ("needs_oxygen", N_("Needs oxygen")),
    ("pregnant", N_("Pregnant")),
)

REQUIRED = N_("This field is required.")
CHOOSE = N_("Choose an option from the list.")
BAD_DATE = N_("Enter a real date: day, month and year.")
TOO_LONG = N_("This is too long: at most %(max)s characters.")
TOO_SHORT = N_("This is too short.")
NOT_A_NUMBER = N_("Enter a number, like 41.0082.")
BAD_LATITUDE = N_("Enter a latitude between -90 and 90.")
BAD_LONGITUDE = N_("Enter a longitude between -180 and 180.")
TOO_MANY = N_("A household can register at most %(max)s people. Register the others separately.")
CHECK_FIELD = N_("Check this field.")
BAD_PHONE = N_("Enter a valid phone number, with the country code if it is not local.")
# Where each part of the registration is on the page, to list problems in that order.
_SECTION_ORDER = {"location": 0, "members": 1, "contact": 2, "consent": 3}


def form_choices(language: str) -> dict[str, Any]:
    """What the form's selects offer, in the reader's language."""
    settings = get_settings()
    return {
        "countries": country_choices(language),
        "home_country": settings.home_country,
        "contact_languages": [(code, language_name(code)) for code in settings.languages],
        "sex_choices": SEX_CHOICES,
        "document_choices": DOCUMENT_CHOICES,
        "document_names": DOCUMENT_NAMES,
        "missing_reason_choices": MISSING_REASON_CHOICES,
        "missing_reasons": MISSING_REASONS,
        "urgency_choices": URGENCY_CHOICES,
        "need_labels": NEED_LABELS,
        "max_members": MAX_MEMBERS,
        "passport_letters": browser_table(),
        # Who is offered the pregnancy box: "F X" and the ages, for register.js.
        "pregnancy_sexes": " ".join(PREGNANCY_SEXES),
        "pregnancy_ages": PREGNANCY_AGES,
    }


def member_field(index: int, name: str) -> str:
    return f"members-{index}-{name}"


def new_form_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass
class RegistrationForm:
    """What the person typed, as flat strings, with one row of fields per member."""

    values: dict[str, str] = field(default_factory=dict)
    member_count: int = 1
    token: str = field(default_factory=new_form_token)

    @classmethod
    def blank(cls, language: str) -> RegistrationForm:
        return cls(values={"language": language, member_field(0, "medical_urgency"): "none"})

    @classmethod
    def from_post(cls, posted: Mapping[str, str]) -> RegistrationForm:
        """Keep the known fields; renumber the member rows 0, 1, 2… in posted order."""
        values = {
            name: str(posted[name])
            for name in (*CONTACT_FIELDS, *LOCATION_FIELDS, *CONSENT_FIELDS)
            if name in posted
        }
        rows: dict[int, dict[str, str]] = {}
        for name, value in posted.items():
            match = _MEMBER_NAME.match(name)
            if match and match.group(2) in MEMBER_FIELDS:
                rows.setdefault(int(match.group(1)), {})[match.group(2)] = str(value)
        kept = sorted(rows)[:_MAX_POSTED_MEMBERS]
        for position, index in enumerate(kept):
            for name, value in rows[index].items():
                values[member_field(position, name)] = value
        token = str(posted.get("form_token", ""))
        return cls(values, max(len(kept), 1), token if _TOKEN.match(token) else new_form_token())

    def add_member(self) -> None:
        if self.member_count < MAX_MEMBERS:
            self.values[member_field(self.member_count, "medical_urgency")] = "none"
            self.member_count += 1

    def remove_member(self, index: int) -> None:
        if self.member_count <= 1 or not 0 <= index < self.member_count:
            return
        for position in range(index, self.member_count):
            for name in MEMBER_FIELDS:
                later = self.values.pop(member_field(position + 1, name), None)
                self.values.pop(member_field(position, name), None)
                if later is not None:
                    self.values[member_field(position, name)] = later
        self.member_count -= 1

    def nationalities(self) -> list[str]:
        return [
            self.values.get(member_field(i, "nationality"), "") for i in range(self.member_count)
        ]

    def parse(self, *, today: date) -> tuple[RegistrationIn | None, list[Problem]]:
        """The registration, or every problem found: type errors and rule violations."""
        return parse_registration(self.values, self.member_count, today=today)


def parse_registration(
    values: Mapping[str, str], member_count: int, *, today: date
) -> tuple[RegistrationIn | None, list[Problem]]:
    contact, problems = parse_contact(values)
    location, location_problems = parse_location(values)
    problems += location_problems
    members: list[MemberIn | None] = []
    for index in range(member_count):
        member, member_problems = parse_member(values, index)
        members.append(member)
        problems += member_problems
    if member_count > MAX_MEMBERS:
        problems.append(Problem(("members",), TOO_MANY, {"max": MAX_MEMBERS}))
    consent = _checked(values, "consent")
    share = _checked(values, "consent_share")
    if not problems and contact and location and all(members):
        data = RegistrationIn(
            contact=contact,
            location=location,
            members=[m for m in members if m],
            consent=consent,
            consent_share_with_own_mission=share,
        )
        return data, check_registration(data, today=today)
    return None, problems + _rule_problems_of_valid_parts(
        contact, location, members, consent, today
    )


def parse_contact(values: Mapping[str, str]) -> tuple[ContactIn | None, list[Problem]]:
    raw = _filled(values, CONTACT_FIELDS)
    return _validate(ContactIn, raw, lambda loc: ("contact", *loc))


def parse_location(values: Mapping[str, str]) -> tuple[LocationIn | None, list[Problem]]:
    raw: dict[str, Any] = _filled(values, LOCATION_FIELDS)
    for name in ("latitude", "longitude"):
        if name in raw:
            raw[name] = raw[name].replace(",", ".").replace("−", "-")
    return _validate(LocationIn, raw, lambda loc: ("location", *loc))


def parse_member(values: Mapping[str, str], index: int) -> tuple[MemberIn | None, list[Problem]]:
    row = {name: values.get(member_field(index, name), "") for name in MEMBER_FIELDS}
    for name in MEMBER_DATES:
        row[name] = _iso_date(row[name])
    raw: dict[str, Any] = {
        name: value.strip()
        for name, value in row.items()
        if value.strip() and name not in MEMBER_CHECKBOXES and not name.startswith(DOCUMENT_PREFIX)
    }
    raw["document"] = {
        name.removeprefix(DOCUMENT_PREFIX): value.strip()
        for name, value in row.items()
        if name.startswith(DOCUMENT_PREFIX) and value.strip()
    }
    raw.update({name: bool(row[name]) for name in MEMBER_CHECKBOXES})
    return _validate(MemberIn, raw, lambda loc: ("members", index, *loc))


def _rule_problems_of_valid_parts(
    contact: ContactIn | None,
    location: LocationIn | None,
    members: list[MemberIn | None],
    consent: bool,
    today: date,
) -> list[Problem]:
    """Run the rules with stand-ins for the invalid parts, and keep what they say
    about the valid ones, so that every error is shown in one round trip."""
    stand_in = MemberIn.model_construct(
        given_name="-",
        family_name="-",
        date_of_birth=today,
        sex=Sex.unspecified,
        nationality="",
        document=DocumentIn.model_construct(type=DocumentType.passport, number="", country=""),
        medical_urgency=MedicalUrgency.none,
        pregnant=False,
    )
    data = RegistrationIn.model_construct(
        contact=contact or ContactIn.model_construct(phone="", email=None, language="en"),
        location=location or LocationIn.model_construct(country="", latitude=None, longitude=None),
        members=[member or stand_in for member in members],
        consent=consent,
        consent_share_with_own_mission=False,
    )
    invalid_members = {i for i, member in enumerate(members) if member is None}

    def about_valid_part(problem: Problem) -> bool:
        if problem.loc[0] in ("contact", "location"):
            return contact is not None and location is not None
        if problem.loc[0] == "members":
            return len(problem.loc) < 2 or problem.loc[1] not in invalid_members
        return True

    return [p for p in check_registration(data, today=today) if about_valid_part(p)]


def _filled(values: Mapping[str, str], names: Iterable[str]) -> dict[str, Any]:
    """Only the fields with something in them: an empty one is missing, or its default."""
    return {name: values[name].strip() for name in names if values.get(name, "").strip()}


def _checked(values: Mapping[str, str], name: str) -> bool:
    return bool(values.get(name))


def _iso_date(text: str) -> str:
    """``31/03/1985`` or ``31.03.1985`` (typed where there is no date picker) as ISO."""
    match = _DAY_MONTH_YEAR.match(text.strip())
    if not match:
        return text
    day, month, year = match.groups()
    return f"{year}-{int(month):02d}-{int(day):02d}"


def _validate(
    model: type[M], raw: dict[str, Any], locate: Callable[[tuple[Any, ...]], tuple[Any, ...]]
) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(raw), []
    except ValidationError as exc:
        return None, [
            _problem(locate(tuple(error["loc"])), error["type"], error.get("ctx") or {})
            for error in exc.errors()
        ]


def _problem(loc: tuple[Any, ...], kind: str, ctx: dict[str, Any]) -> Problem:
    last = str(loc[-1])
    if kind == "missing":
        return Problem(loc, CHOOSE if _form_name(loc).split("-")[-1] in _SELECTS else REQUIRED)
    if kind in ("enum", "literal_error"):
        return Problem(loc, CHOOSE)
    if kind == CONTROL_CHARACTER:
        return Problem(loc, CONTROL_CHARACTER_MESSAGE)
    if kind.startswith("date") or kind.startswith("datetime"):
        return Problem(loc, BAD_DATE)
    if kind == "string_too_long":
        return Problem(loc, TOO_LONG, {"max": ctx.get("max_length", "")})
    if kind == "string_too_short":
        return Problem(loc, BAD_PHONE if last == "phone" else TOO_SHORT)
    if last == "latitude" and kind != "float_parsing":
        return Problem(loc, BAD_LATITUDE)
    if last == "longitude" and kind != "float_parsing":
        return Problem(loc, BAD_LONGITUDE)
    if kind.startswith("float") or kind.startswith("int"):
        return Problem(loc, NOT_A_NUMBER)
    return Problem(loc, CHECK_FIELD)


def _form_name(loc: tuple[Any, ...]) -> str:
    """The form field a problem is about: ("members", 1, "document", "number") →
    "members-1-document_number"; ("contact", "phone") → "phone"."""
    if not loc:
        return ""
    if loc[0] == "members":
        if len(loc) < 3:
            return member_field(0, "given_name")
        return member_field(int(loc[1]), "_".join(str(part) for part in loc[2:]))
    if loc[0] == "consent_share_with_own_mission":
        return "consent_share"
    return str(loc[-1])


def field_errors(problems: Iterable[Problem], gettext: Callable[[str], str]) -> dict[str, str]:
    """Each field's first problem, in the reader's language, in form order."""
    errors: dict[str, str] = {}
    for problem in sorted(problems, key=_page_order):
        errors.setdefault(_form_name(problem.loc), problem.render(gettext))
    return errors


def _page_order(problem: Problem) -> tuple[int, int]:
    section = _SECTION_ORDER.get(str(problem.loc[0]), len(_SECTION_ORDER)) if problem.loc else 0
    member = problem.loc[1] if section == 1 and len(problem.loc) > 1 else 0
    return section, member if isinstance(member, int) else 0
