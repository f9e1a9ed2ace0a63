"""From the command line, on a fresh database: places and legs imported from files (a
bad row in each reported by its line), households imported, and a journey plan committed
with each household's journey in the JSON."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from evac.registration.importer import HEADER as PEOPLE_HEADER
from tests.foundation.test_cli import run_evac

PLACES = """code,kind,name,country,latitude,longitude,reach_km
KRT-1,assembly_point,"Khartoum, Riyadh district",SD,15.57,32.58,30
PZU-PORT,seaport,Port Sudan seaport,SD,19.61,37.23,
BAD-1,harbour,Nowhere,SD,19.6,37.2,
JED-PORT,seaport,Jeddah Islamic Port,SA,21.47,39.17,
"""
LEGS = """number,mode,from,to,departure_time,arrival_time,seats,stretchers
B1,bus,KRT-1,PZU-PORT,2099-04-23T06:00+02:00,2099-04-23T22:00+02:00,10,0
S1,ship,PZU-PORT,JED-PORT,2099-04-24T06:00+02:00,2099-04-24T19:00+03:00,500,0
B2,bus,JED-PORT,JED,2099-04-24T22:00+03:00,2099-04-24T23:00+03:00,50,0
S9,ship,PZU-PORT,NOWHERE,2099-04-24T06:00+02:00,,500,0
TK6001,flight,JED,IST,2099-04-25T05:00+03:00,2099-04-25T09:00+03:00,180,0
"""


def _people() -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=PEOPLE_HEADER)
    writer.writeheader()
    for number, (household, given) in enumerate(
        [("H1", "Ali"), ("H1", "Ayse"), ("H2", "Can")], start=1
    ):
        values = dict.fromkeys(PEOPLE_HEADER, "")
        values.update(
            household_ref=household, given_name=given, family_name="Kaya",
            date_of_birth="1984-05-12", sex="F", nationality="TR", document_type="P",
            document_number=f"U900000{number}", document_country="TR",
            document_expiry="2099-12-31", phone="+249 91 1234567",
            email=f"{household.lower()}@example.com", country="SD", city="Khartoum",
            latitude="15.55", longitude="32.53",
        )  # fmt: skip
        writer.writerow(values)
    return buffer.getvalue()


def test_a_journey_plan_from_imported_places_and_legs(
    fresh_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EVAC_SEAT_REQUIRES", "registered")

    def evac(*args: str) -> tuple[int, str]:
        done = run_evac(*args, database_url=fresh_database, cwd=tmp_path)
        assert done.returncode in (0, 1), done.stderr
        return done.returncode, done.stdout

    evac("db", "upgrade")
    for name, text in (("places.csv", PLACES), ("legs.csv", LEGS), ("people.csv", _people())):
        (tmp_path / name).write_text(text, encoding="utf-8")
    code, out = evac("import", "places", "places.csv")
    assert code == 1 and out.splitlines()[0].startswith("line 4: kind:")
    code, out = evac("import", "legs", "legs.csv")
    assert code == 1 and out.splitlines()[0].startswith("line 5: to:")
    assert out.strip().splitlines()[-1].startswith("imported 4 legs; rejected 1 rows")
    assert evac("import", "registrations", "people.csv")[0] == 0
    code, out = evac("plan", "--commit", "--json")
    report = json.loads(out)
    assert (report["planner"], report["assigned_people"]) == ("journeys", 3)
    journeys = {h["reference"]: h["journey"] for h in report["households"]}
    assert len(journeys) == 2
    for journey in journeys.values():
        assert [leg["leg_number"] for leg in journey] == ["B1", "S1", "B2", "TK6001"]
        assert [leg["mode"] for leg in journey] == ["bus", "ship", "bus", "flight"]
        assert (journey[0]["from"], journey[-1]["to"]) == ("KRT-1", "IST")
        assert journey[0]["departure_time"] == "2099-04-23T04:00:00+00:00"
        assert journey[-1]["arrival_time"] == "2099-04-25T06:00:00+00:00"
    again = json.loads(evac("plan", "--commit", "--json")[1])
    assert again["assigned_people"] == 3
    code, out = evac("plan")
    assert "0 households moved" in out


def test_the_plan_summary_names_the_vehicles_still_needed_leg_by_leg() -> None:
    from evac.cli.plan import _needs

    report = {
        "planner": "journeys",
        "recommendations": [
            {"kind": "extra_vehicles", "leg_number": "B1", "mode": "bus", "seats_per_vehicle": 50,
             "vehicles": 3, "from": "KRT-1", "to": "PZU-PORT", "people": 130},
            {"kind": "stranded", "country": "SD", "people": 12},
        ],
    }  # fmt: skip
    assert _needs(report) == [
        "B1: 3 more bus of 50 seats from KRT-1 to PZU-PORT, for 130 people",
        "SD: 12 people with no route within reach",
    ]
