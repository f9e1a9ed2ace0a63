"""Exports of 100,000 people: CLI and HTTP, CSV and XLSX, beside their ceilings (run by hand).

    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 python -m bench.exports
    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 python -m bench.exports --csv-only

Ceilings, measured in the same run so a busy machine still gives a fair ratio:
- ``csv.writer``: the export's own join (same FROM, JOIN, ORDER BY, plain
  columns) read through SQLAlchemy Core and written by ``csv.writer.writerows``,
  with no formatting and no formula check: what the cases CSV is held to (2x).
- driver: the same SQL on the bare DB-API cursor, for reference.
- ``evac --help``: the CLI's start-up, which every CLI figure includes.
- XlsxWriter alone: the export's rows, already in memory, written by
  ``write_row`` in constant-memory mode: the library's own pace, which the
  XLSX export is held to. With ``--openpyxl``, openpyxl's write-only mode on
  the same rows too (what the XLSX export used before).

Each line gives wall time and CPU time (the machine is shared: CPU time moves
less with the load of others).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

os.environ.setdefault("EVAC_MODE", "development")
os.environ.setdefault("EVAC_SECRET_KEY", "bench-secret-key-long-enough-0123456789abcdef")
os.environ.setdefault("EVAC_ALLOWED_HOSTS", "testserver")

import sqlalchemy as sa
import xlsxwriter
from fastapi.testclient import TestClient
from sqlmodel import Session

from bench.case_list import PASSWORD, ensure_user
from evac.app import create_app
from evac.cases.export import COLUMNS, case_export_statement, case_rows
from evac.cases.search import CaseQuery
from evac.cli.export import every_country
from evac.db import get_engine
from evac.registration.models import Person, Registration
from evac.settings import get_settings
from evac.spreadsheet import XLSX_OPTIONS
from evac.staff.models import Role

EVAC = str(Path(sys.executable).with_name("evac"))
CSV_PATH, XLSX_PATH = "/staff/reports/cases.csv", "/staff/reports/cases.xlsx"
XLSX = ("--format", "xlsx")
PLAIN_COLUMNS = (
    Registration.reference, Registration.external_reference, Registration.status,
    Registration.country, Registration.city, Registration.priority_tier,
    Registration.registered_at, Person.family_name, Person.given_name, Person.date_of_birth,
    Person.sex, Person.nationality, Person.document_type, Person.document_number,
    Person.document_country, Person.document_expiry, Person.needs_stretcher,
    Person.needs_wheelchair, Person.needs_oxygen, Person.medical_urgency, Person.pregnant,
    Registration.phone, Registration.email,
)  # fmt: skip


def _cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(label: str, action: Callable[[], int]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), _cpu()
    size = action()
    wall, spent = time.perf_counter() - started, _cpu() - cpu
    print(f"{label:<34} {wall:6.2f} s wall {spent:6.2f} s cpu {size:>12,} bytes", flush=True)
    return wall, spent


def plain_statement() -> sa.Select[tuple[object, ...]]:
    return case_export_statement(every_country(), CaseQuery(), PLAIN_COLUMNS)


def csv_writer_ceiling() -> int:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with get_engine().connect() as connection:
        for batch in connection.execute(plain_statement()).partitions():
            writer.writerows(batch)
    return len(buffer.getvalue().encode())


def driver_ceiling() -> int:
    engine = get_engine()
    sql = str(plain_statement().compile(engine, compile_kwargs={"literal_binds": True}))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    with engine.connect() as connection:
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        cursor.execute(sql)
        while batch := cursor.fetchmany(2000):
            writer.writerows(batch)
    return len(buffer.getvalue().encode())


def cli(*args: str) -> int:
    out = Path(tempfile.mkdtemp()) / "export"
    command = [EVAC, *args] if args else [EVAC, "--help"]
    if args:
        command += ["--out", str(out)]
    subprocess.run(command, check=True, capture_output=not args)
    return out.stat().st_size if args else 0


def http(client: TestClient, path: str) -> int:
    with client.stream("GET", path) as response:
        response.raise_for_status()
        return sum(len(chunk) for chunk in response.iter_bytes())


def export_rows() -> list[Sequence[object]]:
    with Session(get_engine()) as session:
        return list(case_rows(session, every_country(), CaseQuery(), get_settings().home_country))


def xlsxwriter_alone(rows: list[Sequence[object]]) -> int:
    path = Path(tempfile.mkdtemp()) / "alone.xlsx"
    workbook = xlsxwriter.Workbook(str(path), XLSX_OPTIONS)
    sheet = workbook.add_worksheet("cases")
    sheet.write_row(0, 0, COLUMNS)
    for number, row in enumerate(rows, start=1):
        sheet.write_row(number, 0, row)
    workbook.close()
    return path.stat().st_size


def openpyxl_alone(rows: list[Sequence[object]]) -> int:
    from openpyxl import Workbook

    path = Path(tempfile.mkdtemp()) / "openpyxl.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("cases")
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append(tuple(row))
    workbook.save(path)
    return path.stat().st_size


def ratio(
    label: str,
    measured: tuple[float, float],
    ceiling: tuple[float, float],
    name: str = "the csv.writer ceiling",
) -> None:
    wall, cpu = (m / c for m, c in zip(measured, ceiling, strict=True))
    print(f"  {label:<32} {wall:5.2f}x wall {cpu:5.2f}x cpu of {name}")


def csv_exports(client: TestClient) -> None:
    ceiling = timed("ceiling: csv.writer, same join", csv_writer_ceiling)
    timed("ceiling: driver cursor, same SQL", driver_ceiling)
    timed("CLI start-up (evac --help)", cli)
    cli_csv = timed("CLI  export cases --format csv", lambda: cli("export", "cases"))
    http_csv = timed("HTTP /staff/reports/cases.csv", lambda: http(client, CSV_PATH))
    again = timed("ceiling: csv.writer, again", csv_writer_ceiling)
    best = (min(ceiling[0], again[0]), min(ceiling[1], again[1]))
    ratio("HTTP csv", http_csv, best)
    ratio("CLI csv (start-up included)", cli_csv, best)


def xlsx_library(with_openpyxl: bool) -> tuple[float, float]:
    """XlsxWriter's own time for the export's rows (and openpyxl's, if asked)."""
    rows = export_rows()
    library = timed("ceiling: XlsxWriter alone", lambda: xlsxwriter_alone(rows))
    if with_openpyxl:
        timed("openpyxl write-only, same rows", lambda: openpyxl_alone(rows))
    return library


def xlsx_exports(client: TestClient, with_openpyxl: bool) -> None:
    library = xlsx_library(with_openpyxl)
    cli_xlsx = timed("CLI  export cases --format xlsx", lambda: cli("export", "cases", *XLSX))
    http_xlsx = timed("HTTP /staff/reports/cases.xlsx", lambda: http(client, XLSX_PATH))
    ratio("HTTP xlsx", http_xlsx, library, "XlsxWriter alone")
    ratio("CLI xlsx (start-up included)", cli_xlsx, library, "XlsxWriter alone")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv-only", action="store_true", help="skip the XLSX exports")
    parser.add_argument("--openpyxl", action="store_true", help="time openpyxl on the rows too")
    args = parser.parse_args()
    ensure_user("bench-coordinator", Role.coordinator, [])
    client = TestClient(create_app())
    client.post("/staff/login", data={"username": "bench-coordinator", "password": PASSWORD})
    csv_exports(client)
    if not args.csv_only:
        xlsx_exports(client, args.openpyxl)


if __name__ == "__main__":
    main()
