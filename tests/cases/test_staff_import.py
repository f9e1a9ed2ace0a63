"""Officers import an embassy's list from the browser and see the report row by row."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.registration.importer import HEADER
from evac.registration.models import Registration
from tests.factories import DOCUMENT_EXPIRY, csrf_token, sign_in

pytestmark = pytest.mark.usefixtures("missions")

ROW = (
    "{ref},{given},Yıldız,1980-05-01,F,TR,P,{doc},TR,{expiry},+49 30 901820,,"
    "{country},Berlin,52.52,13.40,no,no,no,none,no,"
).replace("{expiry}", str(DOCUMENT_EXPIRY))


def _csv(*rows: str) -> bytes:
    return ("\n".join([",".join(HEADER), *rows]) + "\n").encode()


def _upload(client: TestClient, content: bytes, dry_run: bool = False) -> str:
    data = {"csrf_token": csrf_token(client, "/staff/import")}
    if dry_run:
        data["dry_run"] = "true"
    response = client.post(
        "/staff/import", data=data, files={"file": ("list.csv", content, "text/csv")}
    )
    return response.text


def _count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Registration)).one()


def test_officer_imports_their_countrys_households_and_sees_rejected_rows(
    client: TestClient, session: Session
) -> None:
    sign_in(client, "berlin")
    page = _upload(
        client,
        _csv(
            ROW.format(ref="H1", given="Ayla", doc="U10000001", country="DE"),
            ROW.format(ref="H2", given="Banu", doc="U10000002", country="FR"),
            ROW.format(ref="H3", given="Cem", doc="BAD DATE", country="DE").replace(
                "1980-05-01", "1980-13-01"
            ),
        ),
    )
    assert "Households imported: 1 (1 people)" in page
    assert "Households rejected: 2 (2 people)" in page
    assert "outside the countries of your missions" in page
    assert "<td>4</td>" in page  # the bad date is on line 4
    assert _count(session) == 1


def test_a_check_only_import_writes_nothing(client: TestClient, session: Session) -> None:
    sign_in(client, "berlin")
    page = _upload(
        client, _csv(ROW.format(ref="H1", given="Ayla", doc="U20000001", country="DE")), True
    )
    assert "nothing was imported" in page
    assert _count(session) == 0


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(client: TestClient) -> None:
    sign_in(client, "berlin")
    latin1 = _csv(ROW.format(ref="H1", given="Ayşe", doc="U1", country="DE")).replace(
        "ş".encode(), b"\xfe"
    )
    assert "The file is not UTF-8 text" in _upload(client, latin1)


def test_coordinators_import_for_any_country(client: TestClient, session: Session) -> None:
    sign_in(client, "center")
    page = _upload(client, _csv(ROW.format(ref="H9", given="Deniz", doc="U30000001", country="FR")))
    assert "Households imported: 1 (1 people)" in page
