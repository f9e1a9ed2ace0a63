"""Downloads arrive as files named for what they hold, whatever a name typed into evac holds."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.web.downloads import attachment
from tests.factories import make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def test_staff_download_the_case_list_and_reports_as_dated_files(
    client: TestClient, session: Session
) -> None:
    make_case(session, "DE", [member("Zeynep", "Öztürk")])
    sign_in(client, "berlin")
    for path, name, kind in (
        ("/staff/cases/export.csv", "cases", "text/csv"),
        ("/staff/reports/flights.csv", "flights", "text/csv"),
        ("/staff/reports/cases.xlsx", "cases", "application/vnd.openxmlformats"),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(kind)
        extension = path.rsplit(".", 1)[1]
        assert re.fullmatch(
            rf'attachment; filename="evac-{name}-\d{{8}}-\d{{4}}\.{extension}"',
            response.headers["content-disposition"],
        )


def test_a_download_is_saved_under_a_plain_file_name() -> None:
    header = attachment('manifest-TK 1"\r\nX/../ü.csv')["Content-Disposition"]
    assert header == 'attachment; filename="manifest-TK_1___X_..__.csv"'
