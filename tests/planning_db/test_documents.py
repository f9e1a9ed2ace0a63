"""Printed manifests and boarding passes: text readable, names right, QR decodable."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2
import zxingcpp
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from evac.planning.service import commit_plan
from tests.factories import make_case, member, sign_in
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff

EVAC = str(Path(sys.executable).with_name("evac"))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _qr_codes(pdf: bytes) -> list[str]:
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=3).to_pil()
        found += [result.text for result in zxingcpp.read_barcodes(image)]
    return found


def _household_on_a_flight(session: Session):
    _staff(session)
    case = make_case(session, "DE", [member("Ayşe", "Ağaoğlu"), member("İlker", "Işık")])
    flight = make_flight(session, "TK1700", 10)
    flight.meeting_point = "Terminal 1, Schalter 12"
    session.commit()
    commit_plan(session, actor="planner", country="DE")
    return case, flight


def test_boarding_passes_name_each_passenger_and_their_qr_decodes(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    response = client.get(f"/staff/manifests/{flight.id}/boarding-passes/{case.reference}.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = _text(response.content)
    assert "Ağaoğlu, Ayşe" in text and "Işık, İlker" in text
    assert case.reference in text and "TK1700" in text and "Terminal 1, Schalter 12" in text
    assert sorted(_qr_codes(response.content)) == [f"{case.reference}/1", f"{case.reference}/2"]


def test_boarding_passes_speak_the_passengers_language(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    case.language = "ar"
    session.commit()
    sign_in(client, "berlin")
    pdf = client.get(f"/staff/manifests/{flight.id}/boarding-passes/{case.reference}.pdf").content
    text = _text(pdf)
    assert "بطاقة الصعود" in text and "التوقيت المحلي" in text


def test_printed_manifest_lists_everyone_on_board(client: TestClient, session: Session) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    response = client.get(f"/staff/manifests/{flight.id}/manifest.pdf")
    text = _text(response.content)
    assert "Passenger manifest TK1700" in text
    assert "Ağaoğlu" in text and "Işık" in text and case.reference in text


def test_cli_writes_the_manifests_as_one_pdf(fresh_database: str, tmp_path: Path) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": fresh_database}
    for step in (["db", "upgrade"], ["seed", "demo", "--people", "300"], ["plan", "--commit"]):
        subprocess.run([EVAC, *step], env=env, cwd=tmp_path, check=True, capture_output=True)
    out = tmp_path / "manifests.pdf"
    subprocess.run(
        [EVAC, "export", "manifests", "--format", "pdf", "--out", str(out)],
        env=env, cwd=tmp_path, check=True, capture_output=True,
    )  # fmt: skip
    assert "Passenger manifest" in _text(out.read_bytes())


def test_boarding_passes_and_manifests_show_the_name_in_both_scripts(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    arabic = member(
        "محمد", "علي", nationality="EG", passport_surname="ALI", passport_given_names="MOHAMED"
    )
    case = make_case(session, "DE", [arabic, member("Jürgen", "Strauß", nationality="DE")])
    flight = make_flight(session, "TK1701", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    passes = _text(
        client.get(f"/staff/manifests/{flight.id}/boarding-passes/{case.reference}.pdf").content
    )
    assert "ALI, MOHAMED" in passes and "STRAUSS, JUERGEN" in passes
    assert "Strauß, Jürgen" in passes
    manifest = _text(client.get(f"/staff/manifests/{flight.id}/manifest.pdf").content)
    assert "ALI, MOHAMED" in manifest and "STRAUSS, JUERGEN" in manifest
    csv_text = client.get(f"/staff/manifests/{flight.id}/manifest.csv").text
    assert csv_text.splitlines()[0].endswith(",passport_surname,passport_given_names")
    assert "ALI,MOHAMED" in csv_text and "STRAUSS,JUERGEN" in csv_text
    assert "ALI, MOHAMED" in client.get(f"/staff/manifests/{flight.id}").text
