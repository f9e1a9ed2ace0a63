"""Border authorities get the passenger list as an airline would send it (PAXLST)."""

from __future__ import annotations

import os
import subprocess
import sys
import warnings
from pathlib import Path

from fastapi.testclient import TestClient
from pydifact.segmentcollection import Interchange
from sqlmodel import Session

from evac.flights.manifest import build_manifest
from evac.planning.service import commit_plan
from tests.factories import make_case, member, sign_in
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff

EVAC = str(Path(sys.executable).with_name("evac"))


def _segments(text: str) -> list[tuple[str, list[object]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        messages = list(Interchange.from_str(text).get_messages())
    assert len(messages) == 1
    return [(segment.tag, segment.elements) for segment in messages[0].segments]


def test_paxlst_parses_and_matches_the_manifest(client: TestClient, session: Session) -> None:
    _staff(session)
    make_case(
        session, "DE",
        [member("Gökhan", "Şahin", born="1980-05-01"), member("Hans", "Weber", nationality="DE")],
    )  # fmt: skip
    flight = make_flight(session, "TK1600", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    response = client.get(f"/staff/manifests/{flight.id}/paxlst")
    assert response.status_code == 200
    assert response.text.startswith("UNB+UNOA:4+EVAC+BORDER+")
    segments = _segments(response.text)
    tags = [tag for tag, _ in segments]
    assert tags[:6] == ["BGM", "NAD", "TDT", "LOC", "DTM", "LOC"]
    assert segments[2][1] == ["20", "TK1600", "4", "", "TK"]
    assert segments[3][1] == ["125", "BER"] and segments[5][1] == ["87", "IST"]
    assert segments[4][1][0][0] == "189"
    manifest = build_manifest(session, flight, "TR")
    names = [elements[3] for tag, elements in segments if tag == "NAD" and elements[0] == "FL"]
    assert sorted(names) == [["SAHIN", "GOEKHAN"], ["WEBER", "HANS"]]
    documents = [elements[1] for tag, elements in segments if tag == "DOC"]
    assert sorted(documents) == sorted(p.person.document_number for p in manifest.passengers)
    assert ["2", "TUR"] in [elements for tag, elements in segments if tag == "NAT"]
    assert segments[-1] == ("CNT", [["42", "2"]])


def test_officers_cannot_download_other_countries_paxlst(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    flight = make_flight(session, "TK1601", 10)
    sign_in(client, "paris")
    assert client.get(f"/staff/manifests/{flight.id}/paxlst").status_code == 404
    assert client.get(f"/staff/manifests/{flight.id}/manifest.csv").status_code == 404


def test_cli_writes_paxlst_to_a_file(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    for step in (["db", "upgrade"], ["seed", "demo", "--people", "300"], ["plan", "--commit"]):
        subprocess.run([EVAC, *step], env=env, cwd=tmp_path, check=True, capture_output=True)
    out = tmp_path / "border.edi"
    subprocess.run(
        [EVAC, "export", "manifests", "--format", "paxlst", "--out", str(out)],
        env=env, cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        messages = list(Interchange.from_str(out.read_text()).get_messages())
    assert messages
    for message in messages:
        passengers = sum(1 for s in message.segments if s.tag == "NAD" and s.elements[0] == "FL")
        count = next(s for s in message.segments if s.tag == "CNT").elements[0]
        assert count == ["42", str(passengers)]
