"""A coordinator sees every country at a glance, and every figure equals the database."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.planning.service import commit_plan, preview_plan
from evac.registration.models import CaseStatus, Registration
from evac.reports.dashboard import build_dashboard, evacuations_per_day, registrations_per_day
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member, sign_in
from tests.planning_db.test_plan_commit import make_flight

PARIS = {"city": "Paris", "position": (48.86, 2.35)}


def _set_status(session: Session, case: Registration, status: CaseStatus) -> None:
    case.status = status
    session.add(case)
    session.commit()


def _world(session: Session) -> Flight:
    """Germany: a boarded household of two citizens, an assigned Syrian in a
    wheelchair, a withdrawn case; France: a verified household of three
    (one Iranian) and an arrived citizen; a flight from Berlin with 10 seats."""
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    family = make_case(session, "DE", [member("Nur", "Aydın"), member("Ela", "Aydın")])
    make_case(session, "DE", [member("Rami", "Haddad", nationality="SY", needs_wheelchair=True)])
    withdrawn = make_case(session, "DE", [member("Can", "Öz")])
    _set_status(session, withdrawn, CaseStatus.withdrawn)
    flight = make_flight(session, "TK100", 10)
    commit_plan(session, actor="planner", country="DE")
    for seat in session.exec(select(Assignment).where(Assignment.registration_id == family.id)):
        seat.status = AssignmentStatus.boarded
        session.add(seat)
    _set_status(session, family, CaseStatus.boarded)
    members = [
        member("Ali", "Kaya"),
        member("Su", "Kaya"),
        member("Dara", "Kaya", nationality="IR"),
    ]
    _set_status(session, make_case(session, "FR", members, **PARIS), CaseStatus.verified)
    _set_status(
        session, make_case(session, "FR", [member("Efe", "Tan")], **PARIS), CaseStatus.arrived
    )
    return flight


def _cells(html: str, country: str) -> dict[str, str]:
    row = re.search(rf'<tr id="country-{country}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {country}"
    return dict(re.findall(r'data-col="([a-z-]+)">([^<]*)<', row.group(1)))


def test_coordinator_sees_each_countrys_figures(client: TestClient, session: Session) -> None:
    _world(session)
    sign_in(client, "center")
    page = client.get("/staff/dashboard")
    assert page.status_code == 200
    assert _cells(page.text, "DE") == {
        "people": "3", "waiting": "0", "verified": "0", "assigned": "1", "boarded": "2",
        "arrived": "0", "citizens": "2", "tcn": "1", "medical": "1", "flights": "1",
        "seats": "3 / 10",
    }  # fmt: skip
    assert _cells(page.text, "FR") == {
        "people": "4", "waiting": "3", "verified": "3", "assigned": "0", "boarded": "0",
        "arrived": "1", "citizens": "3", "tcn": "1", "medical": "0", "flights": "0",
        "seats": "0 / 0",
    }  # fmt: skip
    assert 'id="total-people">7<' in page.text and 'id="total-waiting">3<' in page.text
    assert 'id="total-medical">1<' in page.text and 'id="total-tcn">2<' in page.text
    assert 'id="nat-SY">1<' in page.text and 'id="nat-IR">1<' in page.text
    assert "3 of 10 seats used" in page.text
    assert page.text.index('id="country-FR"') < page.text.index('id="country-DE"')  # most waiting


def test_charts_and_map_are_inline_svg_without_style(client: TestClient, session: Session) -> None:
    flight = _world(session)
    sign_in(client, "center")
    page = client.get("/staff/dashboard").text
    departure = flight.departure_date.strftime("%d.%m")
    assert f"<title>{departure}: 2</title>" in page  # two people boarded
    assert page.count('<g class="cluster">') == 1  # only Paris has people waiting
    assert "<title>Paris (France): 3 people waiting</title>" in page
    assert "style=" not in page and "<script" not in page


def test_per_day_figures_equal_the_database(session: Session) -> None:
    flight = _world(session)
    days = [case.registered_at.date() for case in session.exec(select(Registration))]
    expected = sorted((day, days.count(day)) for day in set(days))
    assert registrations_per_day(session) == expected
    assert evacuations_per_day(session) == [(flight.departure_date, 2)]


def test_planner_recommendations_come_on_request(client: TestClient, session: Session) -> None:
    _world(session)
    make_case(session, "DE", [member(f"P{chr(65 + i)}", "Demir") for i in range(8)])
    sign_in(client, "center")
    plain = client.get("/staff/dashboard").text
    assert 'data-col="extra-flights"' not in plain and 'id="show-recommendations"' in plain
    page = client.get("/staff/dashboard?recommendations=true").text
    assert _cells(page, "DE")["extra-flights"] == "1"  # 8 people, 7 seats left on TK100
    assert _cells(page, "FR")["extra-flights"] == "1"  # no flight from France yet
    planned = {
        r.country: r.extra_regular_flights for r in preview_plan(session).result.recommendations
    }
    dashboard = build_dashboard(session, "TR", recommendations=True)
    assert {row.country: row.extra_flights for row in dashboard.countries} == planned


def test_officers_cannot_open_the_dashboard(client: TestClient, session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    sign_in(client, "berlin")
    assert client.get("/staff/dashboard").status_code == 403


def test_an_empty_database_shows_an_empty_dashboard(client: TestClient, session: Session) -> None:
    make_staff(session, "center", Role.coordinator)
    sign_in(client, "center")
    page = client.get("/staff/dashboard")
    assert page.status_code == 200 and "No case yet." in page.text


def test_the_dashboard_link_is_for_coordinators(client: TestClient, session: Session) -> None:
    make_staff(session, "center", Role.coordinator)
    sign_in(client, "center")
    assert 'href="/staff/dashboard"' in client.get("/staff/cases").text


def test_the_dashboard_speaks_the_coordinators_language(
    client: TestClient, session: Session
) -> None:
    _world(session)
    sign_in(client, "center")
    page = client.get("/staff/dashboard?lang=ar").text
    assert "لوحة التنسيق" in page and 'dir="rtl"' in page
    assert _cells(page, "FR")["waiting"] == "3"
