"""Printed manifests and boarding passes: text readable, names right, QR decodable."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlmodel import Session

from evac.planning.service import commit_plan
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from evac.settings import get_settings
from tests.factories import TODAY, make_case, member, registration_payload, sign_in
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


def _pages(pdf: bytes) -> list:
    return list(PdfReader(io.BytesIO(pdf)).pages)


def _passes(client: TestClient, flight_id: int, reference: str, query: str = "") -> bytes:
    response = client.get(f"/staff/manifests/{flight_id}/boarding-passes/{reference}.pdf{query}")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    return response.content


def test_a_household_gets_one_page_naming_each_passengers_document(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    pdf = _passes(client, flight.id, case.reference)
    assert len(_pages(pdf)) == 1
    text = _text(pdf)
    for person in case.members:
        assert person.document_number in text
        assert person.date_of_birth.isoformat() in text
        assert f"{person.passport_surname}, {person.passport_given_names}" in text
    assert sorted(_qr_codes(pdf)) == [f"{case.reference}/1", f"{case.reference}/2"]


def test_officer_can_print_a_ticket_sized_pass_per_passenger(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    pdf = _passes(client, flight.id, case.reference, "?layout=tickets")
    pages = _pages(pdf)
    assert len(pages) == 2
    assert all(float(page.mediabox.height) < 300 for page in pages)  # a third of A4, in points
    first, second = (page.extract_text() for page in pages)
    assert case.members[0].document_number in first and case.members[1].document_number in second
    assert sorted(_qr_codes(pdf)) == [f"{case.reference}/1", f"{case.reference}/2"]
    unknown = f"/staff/manifests/{flight.id}/boarding-passes/{case.reference}.pdf?layout=poster"
    assert client.get(unknown).status_code == 422


def test_boarding_passes_speak_the_passengers_and_the_home_language(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    for language, words in (("ar", "بطاقة الصعود"), ("fr", "Carte d’embarquement")):
        case.language = language
        session.commit()
        text = _text(_passes(client, flight.id, case.reference))
        assert words in text and "Biniş kartı" in text and "Doğum tarihi" in text
    case.language = "tr"
    session.commit()
    text = _text(_passes(client, flight.id, case.reference))
    assert text.count("Biniş kartı") == 1 and "Boarding pass" not in text


def test_a_passenger_without_a_travel_document_is_told_so(
    client: TestClient, session: Session
) -> None:
    case, flight = _household_on_a_flight(session)
    child = case.members[1]
    child.document_type, child.document_number = "N", ""
    session.commit()
    sign_in(client, "berlin")
    passes = _text(_passes(client, flight.id, case.reference))
    assert "No travel document" in passes and case.members[0].document_number in passes
    manifest = _text(client.get(f"/staff/manifests/{flight.id}/manifest.pdf").content)
    assert "No travel document" in manifest


def test_printed_manifest_has_tick_boxes_signature_lines_and_both_scripts(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    arabic = member(
        "محمد", "علي", nationality="EG", passport_surname="ALI", passport_given_names="MOHAMED"
    )
    make_case(session, "DE", [arabic, member("Ayşe", "Ağaoğlu")])
    flight = make_flight(session, "TK1702", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    pdf = client.get(f"/staff/manifests/{flight.id}/manifest.pdf").content
    (page,) = _pages(pdf)
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = _text(pdf)
    assert "ALI, MOHAMED" in text and "AGAOGLU, AYSE" in text
    assert "Ağaoğlu, Ayşe" in text and ("علي" in text or "ﻋﻠﻲ" in text)
    assert text.count("☐") == 2
    assert "Consular officer: name and signature" in text
    assert "Captain: name and signature" in text


def test_a_long_manifest_repeats_its_header_on_every_page(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    for n in range(12):
        make_case(session, "DE", [member("Ayşe", f"Kaya{chr(97 + n)}") for _ in range(5)])
    flight = make_flight(session, "TK1703", 60)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    pdf = client.get(f"/staff/manifests/{flight.id}/manifest.pdf").content
    pages = [page.extract_text() for page in _pages(pdf)]
    assert len(pages) >= 2
    assert all("Passport name" in page and "Boarded" in page for page in pages)
    assert sum(page.count("☐") for page in pages) == 60
    assert "Captain: name and signature" in pages[-1]


def test_the_manifest_prints_in_arabic(client: TestClient, session: Session) -> None:
    case, flight = _household_on_a_flight(session)
    sign_in(client, "berlin")
    response = client.get(f"/staff/manifests/{flight.id}/manifest.pdf?lang=ar")
    assert response.status_code == 200
    text = _text(response.content)
    assert "قائمة الركاب" in text or "ﻗﺎﺋﻤﺔ" in text
    assert case.reference in text and "AGAOGLU, AYSE" in text


def test_registrant_can_print_a_ticket_per_passenger_from_the_private_link(
    client: TestClient, session: Session
) -> None:
    people = [member("Ayşe", "Ağaoğlu"), member("İlker", "Işık"), member("Can", "Işık")]
    data = RegistrationIn.model_validate(registration_payload("DE", people))
    registered = register_household(session, data, actor="registrant", today=TODAY)
    case, token = registered.case(session), registered.access_token
    make_flight(session, "TK1704", 10)
    commit_plan(session, actor="planner", country="DE")
    client.post(f"/r/{case.reference}/seats/confirm", data={"t": token})
    base = f"/r/{case.reference}/boarding-passes.pdf?t={token}"
    assert len(_pages(client.get(base).content)) == 1
    tickets = client.get(f"{base}&layout=tickets")
    assert tickets.status_code == 200 and len(_pages(tickets.content)) == 3


def test_a_large_household_still_fits_one_page(client: TestClient, session: Session) -> None:
    _staff(session)
    case = make_case(session, "DE", [member("Ayşe", f"Kaya{chr(97 + n)}") for n in range(8)])
    flight = make_flight(session, "TK1705", 10)
    flight.meeting_point = "Terminal 1, Schalter 12, um 07:00"
    session.commit()
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    pdf = _passes(client, flight.id, case.reference)
    assert len(_pages(pdf)) == 1
    assert len(_qr_codes(pdf)) == 8


def test_the_second_language_of_boarding_passes_is_the_configured_home_language(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    case, flight = _household_on_a_flight(session)
    case.language = "ar"
    session.commit()
    monkeypatch.setenv("EVAC_HOME_LANGUAGE", "fr")
    get_settings.cache_clear()
    try:
        sign_in(client, "berlin")
        text = _text(_passes(client, flight.id, case.reference))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert "بطاقة الصعود" in text and "Carte d’embarquement" in text
    assert "Biniş kartı" not in text


def test_a_reference_of_the_widest_letters_prints_on_one_line_in_every_language(
    client: TestClient, session: Session
) -> None:
    """A reference is read out on the phone and typed: the manifest never breaks it."""
    case, flight = _household_on_a_flight(session)
    case.reference = "WWWW-MMMM"
    session.add(case)
    session.commit()
    sign_in(client, "berlin")
    for language in ("ar", "en", "fr", "tr"):
        pdf = client.get(f"/staff/manifests/{flight.id}/manifest.pdf?lang={language}").content
        assert "WWWW-MMMM" in _text(pdf), language
