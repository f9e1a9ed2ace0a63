"""Reports for the ministry and other governments: scoped, filtered, CSV and XLSX."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlmodel import Session
from typer.testing import CliRunner

from evac import migrations
from evac.cases.export import COLUMNS
from evac.cli.main import app as cli
from evac.column_words import COLUMN_WORDS, column_headings
from evac.db import get_engine
from evac.reports.exports import FLIGHT_COLUMNS, TCN_COLUMNS
from tests.factories import make_case, member, sign_in
from tests.planning_db.test_plan_commit import make_flight

pytestmark = pytest.mark.usefixtures("missions")
EVAC = str(Path(sys.executable).with_name("evac"))


def _csv(client: TestClient, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200, response.text
    return list(csv.reader(io.StringIO(response.text)))


def test_third_country_nationals_by_nationality_for_their_governments(
    client: TestClient, session: Session
) -> None:
    make_case(
        session,
        "DE",
        [member("Omar", "Haddad", nationality="SY"), member("Lina", "Haddad", nationality="SY")],
    )
    make_case(session, "DE", [member("Ivan", "Petrov", nationality="UA")])
    make_case(session, "DE", [member("Ayşe", "Kaya")])
    sign_in(client, "berlin")
    rows = _csv(client, "/staff/reports/third-country-nationals.csv")
    assert tuple(rows[0]) == TCN_COLUMNS
    assert rows[1:] == [["SY", "2", "1", "1", "0", "0"], ["UA", "1", "1", "1", "0", "0"]]


def test_officers_reports_hold_only_their_countries(client: TestClient, session: Session) -> None:
    make_case(session, "DE", [member("Omar", "Haddad", nationality="SY")])
    make_case(session, "FR", [member("Ivan", "Petrov", nationality="UA")])
    make_flight(session, "TK1", 10)  # from Berlin
    sign_in(client, "paris")
    assert [row[0] for row in _csv(client, "/staff/reports/third-country-nationals.csv")[1:]] == [
        "UA"
    ]
    assert _csv(client, "/staff/reports/flights.csv")[1:] == []
    assert all(row[3] == "FR" for row in _csv(client, "/staff/reports/cases.csv")[1:])


def test_flights_report_counts_seats_and_passengers(client: TestClient, session: Session) -> None:
    from evac.planning.service import commit_plan

    make_case(session, "DE", [member("Ayşe", "Kaya"), member("Hans", "Weber", nationality="DE")])
    make_flight(session, "TK9", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "center")
    rows = _csv(client, "/staff/reports/flights.csv")
    assert tuple(rows[0]) == FLIGHT_COLUMNS
    assert rows[1][0] == "TK9" and rows[1][7:] == ["10", "2", "0", "0", "1", "1"]


def test_reports_download_as_excel(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE", [member("Zeynep", "Öztürk")])
    sign_in(client, "berlin")
    response = client.get("/staff/reports/cases.xlsx?q=ozturk")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and rows[1][0] == case.reference and rows[1][7] == "Öztürk"


def test_the_cases_workbook_keeps_its_header_in_view_with_filters(
    client: TestClient, session: Session
) -> None:
    make_case(session, "DE", [member("Zeynep", "Öztürk"), member("Ali", "Öztürk")])
    make_case(session, "DE", [member("Hans", "Weber", nationality="DE")])
    sign_in(client, "berlin")
    response = client.get("/staff/reports/cases.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [cell.value for cell in sheet[1]] == column_headings(COLUMNS, str)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 4
    assert sheet.auto_filter.ref == f"A1:{get_column_letter(len(COLUMNS))}4"


def _headings(content: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
    return [cell.value for cell in sheet[1]]


@pytest.mark.parametrize("report", ["cases", "flights", "third-country-nationals"])
def test_every_workbook_is_headed_in_words_with_the_header_frozen_and_filters_on(
    client: TestClient, session: Session, report: str
) -> None:
    make_case(session, "DE", [member("Omar", "Haddad", nationality="SY")])
    sign_in(client, "center")
    codes = _csv(client, f"/staff/reports/{report}.csv")[0]
    headings = _headings(client.get(f"/staff/reports/{report}.xlsx").content)
    assert headings == [COLUMN_WORDS[code] for code in codes]
    assert not set(headings) & set(codes)


def test_workbook_headings_speak_the_readers_language(client: TestClient, session: Session) -> None:
    make_case(session, "DE", [member("Zeynep", "Öztürk")])
    sign_in(client, "berlin")
    turkish = _headings(client.get("/staff/reports/cases.xlsx?lang=tr").content)
    assert turkish[:3] == ["Referans", "Liste numarası", "Durum"]
    assert "Doğum tarihi" in turkish and "Kayıt zamanı (UTC)" in turkish
    arabic = _headings(client.get("/staff/reports/flights.xlsx?lang=ar").content)
    assert "رقم الرحلة" in arabic and "النقالات المستخدمة" in arabic


def test_the_workbook_holds_tiers_as_numbers_and_dates_as_in_the_csv(
    client: TestClient, session: Session
) -> None:
    make_case(session, "DE", [member("Zeynep", "Öztürk")])
    sign_in(client, "berlin")
    from_csv = _csv(client, "/staff/reports/cases.csv")[1]
    response = client.get("/staff/reports/cases.xlsx")
    from_xlsx = [cell.value for cell in load_workbook(io.BytesIO(response.content)).active[2]]
    tier = COLUMNS.index("priority_tier")
    assert from_xlsx[tier] == int(from_csv[tier])
    assert [value or "" for i, value in enumerate(from_xlsx) if i != tier] == [
        value for i, value in enumerate(from_csv) if i != tier
    ]


def test_unknown_report_or_format_is_a_404(client: TestClient) -> None:
    sign_in(client, "center")
    assert client.get("/staff/reports/secrets.csv").status_code == 404
    assert client.get("/staff/reports/cases.pdf").status_code == 404
    assert client.get("/staff/reports/..%2F..%2Fetc%2Fpasswd.csv").status_code == 404


def test_cli_exports_every_case_as_xlsx(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    for step in (["db", "upgrade"], ["seed", "demo", "--people", "250"]):
        subprocess.run([EVAC, *step], env=env, cwd=tmp_path, check=True, capture_output=True)
    out = tmp_path / "cases.xlsx"
    subprocess.run(
        [EVAC, "export", "cases", "--format", "xlsx", "--out", str(out)],
        env=env, cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    sheet = load_workbook(out, read_only=True).active
    assert sum(1 for _ in sheet.iter_rows()) == 251


def test_the_command_lines_workbook_is_headed_in_words(fresh_database: str, tmp_path: Path) -> None:
    migrations.upgrade(get_engine())
    out = tmp_path / "cases.xlsx"
    result = CliRunner().invoke(cli, ["export", "cases", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    sheet = load_workbook(out).active
    assert [cell.value for cell in sheet[1]][:3] == ["Reference", "List id", "Status"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref
