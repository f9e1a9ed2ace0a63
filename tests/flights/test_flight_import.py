"""`evac import flights FILE.csv`: good rows are imported, each bad row is reported by line."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.importer import ImportFileError, import_flights_csv
from evac.flights.models import Flight
from tests.flights.conftest import make_flight
from tests.foundation.test_cli import run_evac

HEADER = "flight_number,kind,departure_airport,destination_airport,departure_time,seats,stretchers"
MIXED = "\n".join(
    [
        HEADER + ",meeting_point",
        "TK6001,regular,FRA,IST,2099-01-15T10:00+01:00,180,0,Terminal 1",
        "TK6002,regular,FRA,IST,2099-01-15T10:00,180,0,",
        'TK6901,ambulance,CDG,IST,2099-01-16T08:00Z,4,2,"Gate A, ""medical"" desk"',
        "tk 6001,regular,FRA,SAW,2099-01-15T22:30Z,150,0,",
        "TK6003,regular,FRA,IST",
        "TK6004,regular,XQX,IST,2099-01-17T08:00Z,-5,1,",
        "",
    ]
)


def _import(session: Session, text: str, dry_run: bool = False) -> dict[str, object]:
    return import_flights_csv(session, io.StringIO(text, newline=""), dry_run=dry_run).as_dict()


def test_good_rows_are_imported_and_each_bad_row_is_reported(session: Session) -> None:
    report = _import(session, MIXED)
    assert (report["imported"], report["rejected"]) == (2, 4)
    reasons = {error["line"]: error["reason"] for error in report["errors"]}  # type: ignore[attr-defined]
    assert reasons[3].startswith("departure_time: Add the UTC offset")
    assert reasons[5] == "Flight TK6001 on 2099-01-15 is already on line 2."
    assert reasons[6] == "expected 8 values, found 4"
    assert reasons[7].startswith("departure_airport: No airport has this IATA code")
    assert "seats: Enter the number of seats" in reasons[7]
    assert "stretchers: A regular flight carries no stretchers" in reasons[7]
    ambulance = session.exec(select(Flight).where(Flight.flight_number == "TK6901")).one()
    assert ambulance.meeting_point == 'Gate A, "medical" desk' and ambulance.country == "FR"
    actors = session.exec(select(AuditEvent.actor).where(AuditEvent.action == "flight.create"))
    assert list(actors) == ["import", "import"]


def test_a_flight_already_in_the_database_is_a_reported_duplicate(session: Session) -> None:
    make_flight(session)
    report = _import(session, f"{HEADER}\nTK6001,regular,FRA,IST,2099-01-15T18:00Z,100,0\n")
    assert report == {
        "imported": 0,
        "rejected": 1,
        "errors": [
            {
                "line": 2,
                "reason": "Flight TK6001 on 2099-01-15 already exists: "
                "a flight number is used once per local departure date.",
            }
        ],
    }


def test_a_dry_run_writes_nothing(session: Session) -> None:
    report = _import(session, MIXED, dry_run=True)
    assert (report["imported"], report["rejected"]) == (2, 4)
    assert session.exec(select(Flight)).first() is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "The file is empty"),
        ("flight_number,kind\nTK1,regular\n", "missing column(s): departure_airport"),
        (HEADER + ",gate\n", "unexpected column(s): gate"),
        (HEADER + ",seats\n", "repeated column(s): seats"),
    ],
)
def test_a_wrong_header_stops_the_import(session: Session, text: str, reason: str) -> None:
    with pytest.raises(ImportFileError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        _import(session, text)


def _flights_in(database_url: str) -> list[tuple[str, str]]:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT flight_number, country FROM flight ORDER BY flight_number")
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]  # type: ignore[misc]


def test_the_cli_imports_good_rows_and_reports_bad_ones(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    (tmp_path / "flights.csv").write_text(MIXED, encoding="utf-8")
    result = run_evac("import", "flights", "flights.csv", database_url=fresh_database, cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # some rows were rejected
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["line 3", "line 5", "line 6", "line 7"]
    assert lines[-1].startswith("imported 2 flights; rejected 4 rows")
    assert _flights_in(fresh_database) == [("TK6001", "DE"), ("TK6901", "FR")]


def test_the_cli_dry_run_prints_one_json_object(fresh_database: str, tmp_path: Path) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    (tmp_path / "flights.csv").write_text(MIXED, encoding="utf-8-sig")
    result = run_evac(
        "import", "flights", "flights.csv", "--dry-run", "--json",
        database_url=fresh_database, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert set(report) == {"imported", "rejected", "errors"}
    assert (report["imported"], report["rejected"]) == (2, 4)
    assert [error["line"] for error in report["errors"]] == [3, 5, 6, 7]
    assert _flights_in(fresh_database) == []


def test_the_cli_fails_with_one_line_when_the_file_cannot_be_used(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    (tmp_path / "wrong.csv").write_text("number,kind\nTK1,regular\n", encoding="utf-8")
    (tmp_path / "latin1.csv").write_bytes(f"{HEADER}\nTK1,régulier\n".encode("latin-1"))
    for name, reason in [
        ("missing.csv", "evac: Cannot read missing.csv"),
        ("wrong.csv", "evac: The header has missing column(s): flight_number"),
        ("latin1.csv", "evac: The file is not UTF-8 text"),
    ]:
        result = run_evac("import", "flights", name, database_url=fresh_database, cwd=tmp_path)
        assert result.returncode != 0
        assert result.stderr.startswith(reason)
        assert len(result.stderr.strip().splitlines()) == 1
