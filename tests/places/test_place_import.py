"""`evac import places FILE.csv`: good rows are imported, bad rows reported by line,
and a code imported again is updated."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.csvfiles import ImportFileError
from evac.places.importer import import_places_csv
from evac.places.models import Place
from tests.foundation.test_cli import run_evac

HEADER = "code,kind,name,country,latitude,longitude,reach_km"
MIXED = "\n".join(
    [
        HEADER,
        "KRT-1,assembly_point,Khartoum Embassy Compound,SD,15.6,32.53,",
        'pzu-port,seaport,"Port Sudan, South Quay",sd,19.6158,37.2164,30',
        "KRT,airport,,,,,300",
        "KRT-1,assembly_point,Again,SD,15.6,32.53,",
        "MEDYKA,border_crossing,Medyka,XX,95,22.9,-1",
        "KRT,seaport,Wrong,SD,15,32,",
        "SHORT,seaport",
        "",
    ]
)


def _import(session: Session, text: str, dry_run: bool = False) -> dict[str, object]:
    return import_places_csv(session, io.StringIO(text, newline=""), dry_run=dry_run).as_dict()


def test_good_rows_are_imported_and_each_bad_row_is_reported_with_every_reason(
    session: Session,
) -> None:
    report = _import(session, MIXED)
    assert (report["created"], report["updated"], report["rejected"]) == (3, 0, 4)
    reasons = {error["line"]: error["reason"] for error in report["errors"]}  # type: ignore[attr-defined]
    assert reasons[5] == "KRT-1 is already on line 2."
    assert reasons[6].startswith("country: Enter the country's 2-letter ISO code")
    assert "latitude: Enter the latitude in decimal degrees" in reasons[6]
    assert "reach_km: Enter how far people may travel" in reasons[6]
    assert reasons[7].startswith("code: A 3-letter code is an airport's")
    assert reasons[8] == "expected 7 values, found 2"
    places = {p.code: p for p in session.exec(select(Place)).all()}
    assert set(places) == {"KRT-1", "PZU-PORT", "KRT"}
    assert (
        places["PZU-PORT"].name == "Port Sudan, South Quay" and places["PZU-PORT"].country == "SD"
    )
    assert places["KRT"].country == "SD" and places["KRT"].reach_km == 300
    actors = session.exec(select(AuditEvent.actor).where(AuditEvent.action == "place.create"))
    assert list(actors) == ["import"] * 3


def test_importing_a_code_again_updates_that_place(session: Session) -> None:
    _import(session, MIXED)
    again = "\n".join(
        [
            HEADER,
            "KRT-1,assembly_point,Khartoum Embassy Compound,SD,15.6,32.53,",
            "PZU-PORT,seaport,Port Sudan North Quay,SD,19.62,37.22,25",
            "NEW-1,rail_station,Przemyśl Główny,PL,49.78,22.77,",
        ]
    )
    report = _import(session, again)
    assert (report["created"], report["updated"], report["unchanged"]) == (1, 1, 1)
    port = session.exec(select(Place).where(Place.code == "PZU-PORT")).one()
    assert (port.name, port.reach_km, port.row_version) == ("Port Sudan North Quay", 25, 2)
    update = session.exec(select(AuditEvent).where(AuditEvent.action == "place.update")).one()
    assert update.subject_id == "PZU-PORT" and update.actor == "import"
    assert update.before["reach_km"] == 30 and update.after["reach_km"] == 25  # type: ignore[index]


def test_a_dry_run_writes_nothing(session: Session) -> None:
    report = _import(session, MIXED, dry_run=True)
    assert (report["created"], report["rejected"]) == (3, 4)
    assert session.exec(select(Place)).first() is None


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "The file is empty"),
        ("code,kind\nKRT-1,seaport\n", "missing column(s): name"),
        (HEADER + ",timezone\n", "unexpected column(s): timezone"),
    ],
)
def test_a_wrong_header_stops_the_import(session: Session, text: str, reason: str) -> None:
    with pytest.raises(ImportFileError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        _import(session, text)


def _codes_in(database_url: str) -> list[str]:
    engine = sa.create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT code FROM place ORDER BY code")).scalars().all()
    engine.dispose()
    return list(rows)


def test_the_cli_imports_good_rows_reports_bad_ones_and_dry_runs(
    fresh_database: str, tmp_path: Path
) -> None:
    run_evac("db", "upgrade", database_url=fresh_database, cwd=tmp_path)
    (tmp_path / "places.csv").write_text(MIXED, encoding="utf-8-sig")
    dry = run_evac(
        "import", "places", "places.csv", "--dry-run", "--json",
        database_url=fresh_database, cwd=tmp_path,
    )  # fmt: skip
    assert dry.returncode == 1, dry.stderr
    assert [e["line"] for e in json.loads(dry.stdout)["errors"]] == [5, 6, 7, 8]
    assert _codes_in(fresh_database) == []
    result = run_evac("import", "places", "places.csv", database_url=fresh_database, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["line 5", "line 6", "line 7", "line 8"]
    assert lines[-1].startswith("added 3 places, updated 0, 0 unchanged; rejected 4 rows")
    assert _codes_in(fresh_database) == ["KRT", "KRT-1", "PZU-PORT"]
