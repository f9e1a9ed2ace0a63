"""An officer reaches only the cases of their missions' countries."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.cases.search import CaseQuery, search_cases
from evac.staff.auth import build_context
from evac.staff.models import StaffUser
from tests.factories import csrf_token, make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def _context(session: Session, username: str):
    user = session.exec(select(StaffUser).where(StaffUser.username == username)).one()
    return build_context(session, user, csrf_token="")


def test_officer_sees_only_their_missions_cases_in_the_list(
    client: TestClient, session: Session
) -> None:
    german = make_case(session, "DE")
    french = make_case(session, "FR", [member("Jean", "Dupont", nationality="FR")])
    sign_in(client, "berlin")
    page = client.get("/staff/cases")
    assert german.reference in page.text
    assert french.reference not in page.text


def test_officer_cannot_see_other_missions_cases(client: TestClient, session: Session) -> None:
    french = make_case(session, "FR")
    sign_in(client, "berlin")
    assert client.get(f"/staff/cases/{french.reference}").status_code == 404


def test_officer_cannot_change_other_missions_cases(client: TestClient, session: Session) -> None:
    french = make_case(session, "FR")
    sign_in(client, "berlin")
    token = csrf_token(client)
    status = client.post(
        f"/staff/cases/{french.reference}/status",
        data={"to": "verified", "row_version": french.row_version, "csrf_token": token},
    )
    note = client.post(
        f"/staff/cases/{french.reference}/notes", data={"text": "x", "csrf_token": token}
    )
    assert status.status_code == note.status_code == 404
    bulk = client.post(
        "/staff/cases/bulk",
        data={"action": "verify", "references": [french.reference], "csrf_token": token},
    )
    assert bulk.status_code == 200  # the list page after the redirect
    session.refresh(french)
    assert french.status == "registered"


def test_a_missing_case_and_a_foreign_case_look_the_same(
    client: TestClient, session: Session
) -> None:
    french = make_case(session, "FR")
    sign_in(client, "berlin")
    foreign = client.get(f"/staff/cases/{french.reference}")
    missing = client.get("/staff/cases/ZZZZ-ZZZZ")
    assert foreign.status_code == missing.status_code == 404


def test_coordinator_sees_every_country(client: TestClient, session: Session) -> None:
    german, french = make_case(session, "DE"), make_case(session, "FR")
    sign_in(client, "center")
    page = client.get("/staff/cases")
    assert german.reference in page.text and french.reference in page.text


def test_administrator_manages_accounts_but_sees_no_cases(
    client: TestClient, session: Session
) -> None:
    make_case(session, "DE")
    sign_in(client, "root")
    assert client.get("/staff/cases").status_code == 403


def test_search_folds_accents_and_case(session: Session) -> None:
    case = make_case(session, "DE", [member("Mehmet", "Öztürk"), member("Elif", "Şahin")])
    berlin = _context(session, "berlin")
    for typed in ("ozturk", "ÖZTÜRK", "Sahin", "şahin", "mehmet oz", case.reference.lower()):
        found = search_cases(session, berlin, CaseQuery(q=typed)).rows
        assert [row.case.reference for row in found] == [case.reference], typed


def test_search_by_document_number_and_phone(session: Session) -> None:
    case = make_case(session, "DE")
    berlin = _context(session, "berlin")
    document = case.members[0].document_number
    assert search_cases(session, berlin, CaseQuery(q=document.lower())).total == 1
    assert search_cases(session, berlin, CaseQuery(q="030 901820")).total == 1


def test_filters_combine_and_paginate(session: Session) -> None:
    for _ in range(3):
        make_case(session, "DE")
    make_case(session, "DE", [member("Hans", "Müller", nationality="DE")])
    make_case(session, "DE", [member("Ali", "Kaya", needs_wheelchair=True)])
    center = _context(session, "center")
    assert search_cases(session, center, CaseQuery(citizen=False)).total == 1
    assert search_cases(session, center, CaseQuery(medical=True)).total == 1
    assert search_cases(session, center, CaseQuery(tier=2)).total == 1
    page = search_cases(session, center, CaseQuery(country="DE", per_page=2, page=3))
    assert page.total == 5 and page.pages == 3 and len(page.rows) == 1


def test_the_filter_form_with_every_field_left_empty_lists_all_cases(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE")
    sign_in(client, "berlin")
    page = client.get(
        "/staff/cases?q=&country=&status=&tier=&citizen=&medical=&duplicate=&sort=-registered"
    )
    assert page.status_code == 200
    assert case.reference in page.text


def test_azerbaijani_names_are_found_without_their_special_letters(session: Session) -> None:
    case = make_case(session, "DE", [member("Ələsgər", "Əliyev", nationality="AZ")])
    center = _context(session, "center")
    found = search_cases(session, center, CaseQuery(q="aliyev")).rows
    assert [row.case.reference for row in found] == [case.reference]


def test_officer_exports_only_their_missions_cases(client: TestClient, session: Session) -> None:
    german = make_case(session, "DE", [member("Hatice", "Güneş"), member("Ömer", "Güneş")])
    french = make_case(session, "FR")
    sign_in(client, "berlin")
    response = client.get("/staff/cases/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:3] == ["reference", "external_reference", "status"]
    assert [row[0] for row in rows[1:]] == [german.reference, german.reference]
    assert french.reference not in response.text
    assert {row[7] for row in rows[1:]} == {"Güneş"}


def test_export_follows_the_list_filters(client: TestClient, session: Session) -> None:
    make_case(session, "DE", [member("Ali", "Kaya", needs_wheelchair=True)])
    make_case(session, "DE")
    sign_in(client, "center")
    rows = list(csv.reader(io.StringIO(client.get("/staff/cases/export.csv?medical=yes").text)))
    assert len(rows) == 2 and rows[1][18] == "Y"


def test_the_filter_form_keeps_what_was_chosen(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    page = client.get("/staff/cases?country=DE&status=verified&lang=tr").text
    assert '<option value="DE" selected>Almanya</option>' in page
    assert '<option value="verified" selected>Doğrulandı</option>' in page
