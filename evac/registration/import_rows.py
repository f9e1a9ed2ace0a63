"""Reading and checking an import CSV: text in, households and their problems out.

No database here: ``read_households`` groups the rows by ``household_ref``
and ``validate_household`` checks each household with the registration
form's own rules, reporting every problem on its line (the header is line 1)
and column, at most once per row and column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from evac.csvfiles import check_header
from evac.registration.models import DocumentType
from evac.registration.normalize import document_key
from evac.registration.rules import Problem, check_registration
from evac.registration.schemas import MAX_MEMBERS, ContactIn, LocationIn, MemberIn, RegistrationIn

HEADER = (
    *("household_ref", "given_name", "family_name", "date_of_birth", "sex", "nationality"),
    *("document_type", "document_number", "document_country", "document_expiry"),
    *("phone", "email", "country", "city", "latitude", "longitude"),
    *("needs_stretcher", "needs_wheelchair", "needs_oxygen", "medical_urgency", "pregnant"),
    "registered_at",
)
# Columns a file may add; files without them import as before (a passport
# name is then suggested from the typed name, where it can be).
OPTIONAL_COLUMNS = ("passport_surname", "passport_given_names", "mrz")
# A person without a travel document: the document columns empty, and why.
NO_DOCUMENT_COLUMNS = ("document_missing_reason", "document_missing_note")
DOCUMENT_COLUMNS = ("document_type", "document_number", "document_country")
BOOLEAN_COLUMNS = ("needs_stretcher", "needs_wheelchair", "needs_oxygen", "pregnant")
REQUIRED_MEMBER_COLUMNS = ("given_name", "family_name", "date_of_birth", "sex", "nationality")
TRUE_WORDS = frozenset({"true", "yes", "1", "evet"})
FALSE_WORDS = frozenset({"", "false", "no", "0", "hayır", "hayir"})
MAX_REF_LENGTH = 64

DocumentKey = tuple[str, str, str]
_Model = TypeVar("_Model", bound=BaseModel)


@dataclass(frozen=True)
class RowError:
    line: int
    household_ref: str
    reason: str


@dataclass
class CsvRow:
    line: int
    values: dict[str, str]
    complete: bool = True
    member: MemberIn | None = None
    flagged: set[str] = field(default_factory=set)


@dataclass
class CsvHousehold:
    ref: str
    rows: list[CsvRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    data: RegistrationIn | None = None
    registered_at: datetime | None = None

    def reject(self, row: CsvRow, column: str | None, message: str) -> None:
        """Report a problem, at most once per row and column."""
        if column:
            if column in row.flagged:
                return
            row.flagged.add(column)
        value = row.values.get(column, "") if column else ""
        where = f"{column} {value!r}" if value else column
        reason = f"{where}: {message}" if where else message
        self.errors.append(RowError(row.line, self.ref, reason))

    def document_keys(self) -> list[DocumentKey | None]:
        """Each member's document as the unique index sees it; None for no document."""
        assert self.data is not None
        return [document_key_of(member) for member in self.data.members]


# Reading ------------------------------------------------------------------


def check_file_header(lines: Iterable[str]) -> None:
    """Refuse a file whose header is wrong (``ImportFileError``), reading its first record only."""
    check_header(next(csv.reader(lines), None), HEADER, (*OPTIONAL_COLUMNS, *NO_DOCUMENT_COLUMNS))


def read_households(lines: Iterable[str]) -> list[CsvHousehold]:
    reader = csv.reader(lines)
    optional = (*OPTIONAL_COLUMNS, *NO_DOCUMENT_COLUMNS)
    columns = check_header(next(reader, None), HEADER, optional)
    households: list[CsvHousehold] = []
    by_ref: dict[str, CsvHousehold] = {}
    next_line = reader.line_num + 1
    for record in reader:
        line, next_line = next_line, reader.line_num + 1
        if not any(cell.strip() for cell in record):
            continue
        values = dict.fromkeys((*HEADER, *optional), "") | dict(
            zip(columns, map(str.strip, record), strict=False)
        )
        row = CsvRow(line, values, complete=len(record) == len(columns))
        ref = values["household_ref"]
        household = by_ref.get(ref) if ref else None
        if household is None:
            household = by_ref[ref] = CsvHousehold(ref)
            households.append(household)
        household.rows.append(row)
        if not row.complete:
            household.reject(row, None, f"has {len(record)} fields, expected {len(columns)}")
        elif not ref:
            household.reject(row, "household_ref", "required")
        elif len(ref) > MAX_REF_LENGTH:
            household.reject(row, "household_ref", f"longer than {MAX_REF_LENGTH} characters")
    return households


# Validating ---------------------------------------------------------------


def validate_household(household: CsvHousehold, today: date, language: str) -> None:
    """Check every row and the household as a whole, reporting each problem once."""
    rows = household.rows
    for row in rows:
        if row.complete:
            row.member = _parse_member(household, row)
    if len(rows) > MAX_MEMBERS:
        household.reject(
            rows[0], None, f"the household has {len(rows)} people; at most {MAX_MEMBERS}"
        )
    parsed = [row for row in rows if row.member is not None]
    if not rows[0].complete or not parsed:
        return
    contact_fields = _contact_fields(rows[0], language)
    location_fields = _location_fields(household, rows[0])
    contact = _parse_model(household, rows[0], ContactIn, contact_fields)
    location = _parse_model(household, rows[0], LocationIn, location_fields)
    household.registered_at = _parse_registered_at(household, rows[0], today)
    data = RegistrationIn.model_construct(
        contact=contact or ContactIn.model_construct(**contact_fields),
        location=location or LocationIn.model_construct(**location_fields),
        members=[row.member for row in parsed],
        consent=True,
        consent_share_with_own_mission=False,
    )
    for problem in check_registration(data, today=today):
        _reject_problem(household, parsed, problem)
    if not household.errors:
        household.data = data


def _parse_member(household: CsvHousehold, row: CsvRow) -> MemberIn | None:
    values = row.values
    for column in _required_columns(values):
        if not values[column]:
            household.reject(row, column, "required")
    fields = {
        "given_name": values["given_name"],
        "family_name": values["family_name"],
        "date_of_birth": _parse_date(household, row, "date_of_birth"),
        "sex": values["sex"].upper(),
        "nationality": values["nationality"].upper(),
        "document": _document_fields(household, row),
        "medical_urgency": values["medical_urgency"].lower() or "none",
        **{name: values[name] or None for name in OPTIONAL_COLUMNS},
        **{name: _parse_boolean(household, row, name) for name in BOOLEAN_COLUMNS},
    }
    member = _parse_model(household, row, MemberIn, fields)
    return member if not row.flagged else None


def _without_document(values: dict[str, str]) -> bool:
    """Empty document columns and a reason: a person registered without a document."""
    return not any(values[column] for column in DOCUMENT_COLUMNS) and bool(
        values["document_missing_reason"]
    )


def _required_columns(values: dict[str, str]) -> tuple[str, ...]:
    if _without_document(values):
        return REQUIRED_MEMBER_COLUMNS
    return (*REQUIRED_MEMBER_COLUMNS, *DOCUMENT_COLUMNS)


def _document_fields(household: CsvHousehold, row: CsvRow) -> dict[str, Any]:
    values = row.values
    reason = {
        "missing_reason": values["document_missing_reason"].lower() or None,
        "missing_note": values["document_missing_note"] or None,
    }
    if _without_document(values):
        return {"type": "N", "expiry": _parse_date(household, row, "document_expiry"), **reason}
    return {
        "type": values["document_type"].upper(),
        "number": values["document_number"],
        "country": values["document_country"].upper(),
        "expiry": _parse_date(household, row, "document_expiry"),
        **reason,
    }


def _contact_fields(row: CsvRow, language: str) -> dict[str, Any]:
    return {
        "phone": row.values["phone"],
        "email": row.values["email"] or None,
        "language": language,
    }


def _location_fields(household: CsvHousehold, row: CsvRow) -> dict[str, Any]:
    return {
        "country": row.values["country"].upper(),
        "city": row.values["city"] or None,
        "latitude": _parse_number(household, row, "latitude"),
        "longitude": _parse_number(household, row, "longitude"),
    }


def _parse_model(
    household: CsvHousehold, row: CsvRow, model: type[_Model], fields: dict[str, Any]
) -> _Model | None:
    """Validate with Pydantic, reporting each error under its CSV column."""
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        for problem in error.errors():
            column = "_".join(str(part) for part in problem["loc"])
            household.reject(row, column, problem["msg"])
        return None


def _parse_date(household: CsvHousehold, row: CsvRow, column: str) -> date | None:
    text = row.values[column]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        household.reject(row, column, "not a date; write it as YYYY-MM-DD")
        return None


def _parse_number(household: CsvHousehold, row: CsvRow, column: str) -> float | None:
    text = row.values[column]
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        household.reject(row, column, "not a number; write it like 41.0082")
        return None


def _parse_boolean(household: CsvHousehold, row: CsvRow, column: str) -> bool:
    word = row.values[column].lower()
    if word in TRUE_WORDS or word in FALSE_WORDS:
        return word in TRUE_WORDS
    household.reject(row, column, "not a yes/no value; use true/false, yes/no, 1/0 or evet/hayır")
    return False


def _parse_registered_at(household: CsvHousehold, row: CsvRow, today: date) -> datetime | None:
    text = row.values["registered_at"]
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        household.reject(row, "registered_at", "not an ISO 8601 date and time")
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    if moment.date() > today:
        household.reject(row, "registered_at", "is in the future")
    return moment


def _reject_problem(household: CsvHousehold, rows: list[CsvRow], problem: Problem) -> None:
    """Report a rule's problem on the row and column it is about."""
    if problem.loc[0] == "members":
        row, column = rows[int(problem.loc[1])], "_".join(str(p) for p in problem.loc[2:])
        if column == "document_number" and "number" in problem.params:
            other = rows[int(problem.params["number"]) - 1]
            problem = Problem(problem.loc, problem.message, {"number": f"on line {other.line}"})
    else:
        row, column = rows[0], str(problem.loc[-1])
    household.reject(row, column, problem.render(_english))


def _english(message: str) -> str:
    return message


def document_key_of(member: MemberIn) -> DocumentKey | None:
    """The key under which a travel document is held exclusively (see Person);
    None for a person without one, who holds nothing."""
    document = member.document
    if document.type == DocumentType.none:
        return None
    number, country = document.number or "", document.country or ""
    return (document_key(number), country.upper(), str(document.type))
