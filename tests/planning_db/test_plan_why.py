"""A coordinator sees why the planner asks for more planes, in words."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import make_case, make_staff, member, sign_in

KHARTOUM = {"city": "Khartoum", "position": (15.50, 32.56)}


def test_coordinator_reads_why_more_planes_are_needed(client: TestClient, session: Session) -> None:
    make_staff(session, "center", Role.coordinator)
    make_case(session, "SD", [member("Ali", "Kaya"), member("Su", "Kaya")], **KHARTOUM)
    make_case(session, "SD", [member("Efe", "Tan")], **KHARTOUM)
    sign_in(client, "center")
    page = client.get("/staff/plan?country=SD")
    assert page.status_code == 200
    why = page.text.split('id="need-SD"')[1].split("</tr>")[0]
    assert "3 people wait for a seat, in Khartoum: 3." in why
    assert "KRT (Khartoum International Airport): of the airports that take such planes" in why
    assert "One more regular plane would carry 3 people; 0 would still wait." in why
    turkish = client.get("/staff/plan?country=SD", headers={"Accept-Language": "tr"})
    assert "Hartum: 3" in turkish.text or "Khartoum: 3" in turkish.text
