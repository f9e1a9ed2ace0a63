"""`evac export journeys`: one row per seated person per leg, for checking from outside."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

from sqlmodel import Session

from evac.flights.journey_export import JOURNEY_COLUMNS, journey_rows
from evac.planning.service import commit_plan
from tests.factories import make_case, member
from tests.planning_db.test_plan_commit import make_flight

EVAC = str(Path(sys.executable).with_name("evac"))


def test_every_seated_person_has_a_row_for_their_leg(session: Session) -> None:
    family = make_case(
        session,
        "DE",
        [member("Ada", "Kurt"), member("Zeynep", "Kurt")],
    )
    make_case(session, "DE", [member("Left", "Behind")])  # no seat left for them
    flight = make_flight(session, "TK1", 2)
    commit_plan(session, actor="planner", country="DE")
    rows = list(journey_rows(session))
    documents = {m.document_number for m in family.members}
    assert {row[1] for row in rows} == documents
    for row in rows:
        record = dict(zip(JOURNEY_COLUMNS, row, strict=True))
        assert record["reference"] == family.reference
        assert (record["leg_number"], record["mode"]) == ("TK1", "flight")
        assert (record["from"], record["to"]) == ("BER", "IST")
        assert record["departure_time"] == flight.departure_time.isoformat()
        assert record["arrival_time"] == ""  # a flight recorded without its arrival
        assert record["stretcher"] == "N"


def test_the_command_writes_the_header_on_an_empty_database(
    fresh_database: str, tmp_path: Path
) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    for command in (("db", "upgrade"), ("export", "journeys", "--format", "csv")):
        done = subprocess.run(
            [EVAC, *command], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr
    assert next(csv.reader(io.StringIO(done.stdout))) == list(JOURNEY_COLUMNS)


def test_an_unknown_format_is_refused_in_one_line(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    done = subprocess.run(
        [EVAC, "export", "journeys", "--format", "xlsx"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode != 0
    assert "unsupported format 'xlsx'; use csv" in done.stderr
