"""Importing households from a CSV file, in the service and through `evac import`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import Session, func, select

from evac.audit.models import AuditEvent
from evac.audit.service import IMPORT, REGISTRANT
from evac.csvfiles import ImportFileError, decode_csv
from evac.registration.importer import (
    HEADER,
    ImportReport,
    import_registrations,
)
from evac.registration.models import Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from tests.factories import APP_TODAY
from tests.foundation.test_cli import run_evac
from tests.registration import household, member

TODAY = APP_TODAY
NEXT_YEAR = str(TODAY + timedelta(days=365))


def row(**changes: str) -> dict[str, str]:
    values = dict.fromkeys(HEADER, "")
    values.update(
        household_ref="H1",
        given_name="Ayşe",
        family_name="Yılmaz",
        date_of_birth="1984-05-12",
        sex="F",
        nationality="TR",
        document_type="P",
        document_number="U1000001",
        document_country="TR",
        document_expiry=NEXT_YEAR,
        phone="+49 30 1234567",
        email="ayse@example.com",
        country="DE",
        city="Berlin",
        latitude="52.52",
        longitude="13.405",
    )
    values.update(changes)
    return values


def csv_text(*rows: dict[str, str], header: tuple[str, ...] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def family(ref: str, first_document: int, size: int = 2, **changes: str) -> list[dict[str, str]]:
    return [
        row(
            household_ref=ref,
            given_name=f"Person {chr(65 + index)}",
            document_number=f"U{first_document + index}",
        )
        | changes
        for index in range(size)
    ]


def run_import(session: Session, text: str, **options: Any) -> ImportReport:
    options = {"dry_run": False, "today": TODAY, "home_country": "TR", **options}
    return import_registrations(session, io.StringIO(text, newline=""), **options)


def imported(session: Session, ref: str) -> Registration | None:
    return session.exec(select(Registration).where(Registration.external_reference == ref)).first()


def test_rows_with_the_same_household_ref_become_one_registration(session: Session) -> None:
    text = csv_text(
        row(household_ref="A", registered_at="2020-03-20T10:00:00"),
        row(household_ref="B", document_number="U2000001", phone="0221 1234567", city="Köln"),
        row(household_ref="A", given_name="Can", sex="M", document_number="U1000002", phone=""),
    )
    report = run_import(session, text)
    assert (report.households_imported, report.people_imported) == (2, 3)
    assert (report.households_rejected, report.people_rejected, report.errors) == (0, 0, [])

    first = imported(session, "A")
    assert first is not None
    assert [m.given_name for m in first.members] == ["Ayşe", "Can"]
    assert first.phone == "+49301234567"
    assert first.registered_at == datetime(2020, 3, 20, 10, 0, tzinfo=UTC)
    assert first.people_count == 2 and first.has_citizen
    events = session.exec(select(AuditEvent).where(AuditEvent.subject_id == first.reference)).all()
    assert [(e.actor, e.action, e.after["people"]) for e in events] == [
        (IMPORT, "registration.create", 2)
    ]


def test_imported_household_is_audited_like_a_registration(session: Session) -> None:
    data = RegistrationIn.model_validate(household(member(document={"number": "F1"})))
    form = register_household(session, data, actor=REGISTRANT, today=TODAY).case(session)
    run_import(session, csv_text(row(household_ref="IMP")))
    references = (form.reference, imported(session, "IMP").reference)  # type: ignore[union-attr]
    events = session.exec(select(AuditEvent).where(AuditEvent.subject_id.in_(references))).all()
    assert len(events) == 2
    assert set(events[0].after) == set(events[1].after)  # type: ignore[arg-type]


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(session: Session) -> None:
    lines = csv_text(row(household_ref="A", city="Bad\nHomburg")).splitlines(keepends=True)
    text = "".join(lines) + "\r\n" + csv_text(row(household_ref="B", sex="?")).split("\n", 1)[1]
    report = run_import(session, text)
    # A city is one line: A is refused for its line break, at the line it starts on.
    assert [(e.line, e.household_ref) for e in report.errors] == [(2, "A"), (5, "B")]


@pytest.mark.parametrize(
    ("changes", "column"),
    [
        ({"date_of_birth": "12/05/1984"}, "date_of_birth"),
        ({"date_of_birth": str(TODAY + timedelta(days=1))}, "date_of_birth"),
        ({"nationality": "XX"}, "nationality"),
        ({"country": "XX"}, "country"),
        ({"document_expiry": str(TODAY - timedelta(days=1))}, "document_expiry"),
        ({"needs_oxygen": "maybe"}, "needs_oxygen"),
        ({"sex": "Q"}, "sex"),
        ({"family_name": ""}, "family_name"),
        ({"phone": "12"}, "phone"),
        ({"latitude": "north"}, "latitude"),
        ({"registered_at": "yesterday"}, "registered_at"),
    ],
)
def test_bad_row_is_reported_with_its_line_and_reason(
    session: Session, changes: dict[str, str], column: str
) -> None:
    text = csv_text(
        row(household_ref="GOOD"), row(household_ref="BAD", document_number="U9", **changes)
    )
    report = run_import(session, text)
    assert (report.households_imported, report.households_rejected) == (1, 1)
    assert [(e.line, e.household_ref) for e in report.errors] == [(3, "BAD")]
    assert report.errors[0].reason.startswith(column)
    assert imported(session, "BAD") is None and imported(session, "GOOD") is not None


def test_household_with_one_bad_row_is_rejected_whole(session: Session) -> None:
    rows = family("F", 100, size=3)
    rows[1]["date_of_birth"] = "1990-02-30"
    rows[2]["pregnant"] = "perhaps"
    report = run_import(session, csv_text(*rows, row(household_ref="OK", document_number="X1")))
    assert (report.households_rejected, report.people_rejected) == (1, 3)
    assert (report.households_imported, report.people_imported) == (1, 1)
    assert [(e.line, e.reason.split(" ")[0]) for e in report.errors] == [
        (3, "date_of_birth"),
        (4, "pregnant"),
    ]
    assert imported(session, "F") is None


def test_document_listed_twice_in_the_file_is_reported(session: Session) -> None:
    text = csv_text(
        row(household_ref="FIRST", document_number="U 777"),
        row(household_ref="SECOND", given_name="Other", document_number="u777"),
        row(household_ref="THIRD", document_number="U888"),
        row(household_ref="THIRD", given_name="Twin", document_number="U-888"),
    )
    report = run_import(session, text)
    assert report.households_imported == 1
    reasons = {(e.line, e.household_ref): e.reason for e in report.errors}
    assert "line 2" in reasons[(3, "SECOND")]
    assert "line 4" in reasons[(5, "THIRD")]


def test_document_already_registered_is_reported(session: Session) -> None:
    data = RegistrationIn.model_validate(household(member(document={"number": "U1000001"})))
    register_household(session, data, actor=REGISTRANT, today=TODAY)
    report = run_import(session, csv_text(row(household_ref="AGAIN")))
    assert report.households_rejected == 1
    assert "already registered" in report.errors[0].reason


def test_document_registered_while_the_import_runs_is_reported(session: Session) -> None:
    """Someone registers a document between the check and the insert."""

    def geocode_and_race(city: str, country: str) -> tuple[float, float]:
        data = RegistrationIn.model_validate(household(member(document={"number": "U5"})))
        register_household(session, data, actor=REGISTRANT, today=TODAY)
        return (50.0, 7.0)

    text = csv_text(
        row(household_ref="RACE", document_number="U5", latitude="", longitude=""),
        row(household_ref="CALM", document_number="U6"),
    )
    report = run_import(session, text, geocode=geocode_and_race)
    assert report.households_imported == 1 and imported(session, "CALM") is not None
    assert [(e.household_ref, "already registered" in e.reason) for e in report.errors] == [
        ("RACE", True)
    ]


def test_dry_run_validates_and_writes_nothing(session: Session) -> None:
    before = session.exec(select(func.count()).select_from(Registration)).one()
    report = run_import(
        session, csv_text(*family("D", 10), row(household_ref="E", sex="?")), dry_run=True
    )
    assert report.dry_run
    assert (report.households_imported, report.people_imported, report.households_rejected) == (
        1,
        2,
        1,
    )
    assert session.exec(select(func.count()).select_from(Registration)).one() == before


def test_booleans_accept_words_in_english_and_turkish(session: Session) -> None:
    text = csv_text(
        row(needs_stretcher="Evet", needs_wheelchair="YES", needs_oxygen="1", pregnant="hayır"),
        row(given_name="Can", document_number="U2", needs_wheelchair="HAYIR", pregnant="true"),
    )
    report = run_import(session, text)
    assert report.errors == []
    first, second = imported(session, "H1").members  # type: ignore[union-attr]
    assert (first.needs_stretcher, first.needs_wheelchair, first.needs_oxygen) == (True,) * 3
    assert (first.pregnant, second.needs_wheelchair, second.pregnant) == (False, False, True)


def test_city_is_located_when_coordinates_are_empty(session: Session) -> None:
    places = {("Köln", "DE"): (50.94, 6.96)}
    text = csv_text(
        row(household_ref="K", city="Köln", latitude="", longitude=""),
        row(household_ref="N", city="Nowhere", latitude="", longitude="", document_number="U2"),
    )
    report = run_import(session, text, geocode=lambda city, cc: places.get((city, cc)))
    assert (report.households_imported, report.households_not_located) == (2, 1)
    located = imported(session, "K")
    assert located is not None and (located.latitude, located.longitude) == (50.94, 6.96)


def test_same_person_in_another_household_is_flagged_as_possible_duplicate(
    session: Session,
) -> None:
    text = csv_text(
        row(household_ref="ONE", document_number="P1"),
        row(household_ref="TWO", given_name="AYSE", family_name="YILMAZ", document_number="I2"),
    )
    run_import(session, text)
    one, two = imported(session, "ONE"), imported(session, "TWO")
    assert one is not None and two is not None
    assert (one.possible_duplicate_of_id, two.possible_duplicate_of_id) == (None, one.id)


def test_missing_header_column_rejects_the_whole_file(session: Session) -> None:
    header = tuple(name for name in HEADER if name != "email")
    with pytest.raises(ImportFileError, match=r"missing column.*email"):
        run_import(session, csv_text(row(), header=header))


def test_file_that_is_not_utf8_is_refused_clearly() -> None:
    with pytest.raises(ImportFileError, match="not UTF-8"):
        decode_csv(csv_text(row(given_name="Jürgen", family_name="Müller")).encode("cp1252"))
    assert decode_csv(b"\xef\xbb\xbf" + b"household_ref").startswith("household_ref")


# Through the command line -------------------------------------------------


@pytest.fixture
def database(fresh_database: str, tmp_path: Path) -> str:
    upgraded = run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stderr
    return fresh_database


def count(database_url: str, table: str) -> int:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        total = connection.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return total


def write(tmp_path: Path, text: str, encoding: str = "utf-8-sig") -> str:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding=encoding)
    return str(path)


def mixed_file(tmp_path: Path) -> str:
    return write(
        tmp_path,
        csv_text(
            *family("GOOD", 10, size=3),
            row(household_ref="BAD", document_number="U50", date_of_birth="1984-13-01"),
            row(household_ref="BAD", document_number="U51", nationality="ZZ"),
            row(household_ref="DUP", document_number="U10"),
        ),
    )


def test_command_imports_good_households_and_lists_bad_rows(database: str, tmp_path: Path) -> None:
    result = run_evac(
        "import", "registrations", mixed_file(tmp_path), database_url=database, cwd=tmp_path
    )
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("line 5 (household BAD): date_of_birth '1984-13-01'")
    assert lines[1].startswith("line 6 (household BAD): nationality 'ZZ'")
    assert lines[2].startswith("line 7 (household DUP): document_number 'U10'")
    assert "imported 1 households (3 people); rejected 2 households (3 people)" in lines[3]
    assert (count(database, "registration"), count(database, "person")) == (1, 3)
    assert count(database, "audit_event") == 1


def test_command_dry_run_and_json_report(database: str, tmp_path: Path) -> None:
    path = mixed_file(tmp_path)
    result = run_evac(
        "import", "registrations", path, "--dry-run", "--json", database_url=database, cwd=tmp_path
    )
    report = json.loads(result.stdout)
    counts = {key: report[key] for key in ("households_imported", "people_imported")}
    assert counts == {"households_imported": 1, "people_imported": 3}
    assert (report["households_rejected"], report["people_rejected"]) == (2, 3)
    assert all(
        type(value) is int for key, value in report.items() if key.startswith(("house", "people"))
    )
    assert [error["line"] for error in report["errors"]] == [5, 6, 7]
    assert set(report["errors"][0]) == {"line", "household_ref", "reason"}
    assert count(database, "registration") == 0


def test_command_refuses_a_file_with_a_missing_column_in_one_line(
    database: str, tmp_path: Path
) -> None:
    header = tuple(name for name in HEADER if name != "pregnant")
    path = write(tmp_path, csv_text(row(), header=header))
    result = run_evac("import", "registrations", path, database_url=database, cwd=tmp_path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("evac: The header has missing column(s): pregnant")

    latin = write(
        tmp_path, csv_text(row(given_name="Jürgen", family_name="Müller")), encoding="cp1252"
    )
    result = run_evac("import", "registrations", latin, database_url=database, cwd=tmp_path)
    assert result.returncode != 0
    assert "not UTF-8" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert count(database, "registration") == 0
