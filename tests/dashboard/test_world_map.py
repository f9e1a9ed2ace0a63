"""A coordinator sees on a real map where people wait, and opens a country's page."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from evac.geo.world import country_shapes
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member, sign_in
from tests.planning_db.test_plan_commit import make_flight

KHARTOUM = {"city": "Khartoum", "position": (15.50, 32.56)}
OMDURMAN = {"city": "Omdurman", "position": (15.64, 32.48)}


def _sudan(session: Session) -> None:
    make_mission(session, "TR-EMB-KHARTOUM", ["SD"])
    make_staff(session, "center", Role.coordinator)
    make_case(session, "SD", [member("Ali", "Kaya"), member("Su", "Kaya")], **KHARTOUM)
    make_case(session, "SD", [member("Efe", "Tan")], **KHARTOUM)
    make_case(session, "SD", [member("Can", "Öz")], **OMDURMAN)
    make_case(session, "DE", [member("Nur", "Aydın")])


def test_every_country_has_an_outline() -> None:
    shapes = {shape.code: shape for shape in country_shapes()}
    assert len(shapes) > 200
    assert shapes["TR"].path.startswith("M") and shapes["SD"].path
    assert "XK" in shapes  # Kosovo, which has no ISO numeric code
    assert "AQ" not in shapes


def test_coordinator_sees_cities_on_the_world_map(client: TestClient, session: Session) -> None:
    _sudan(session)
    make_flight(session, "TK100", 10)
    sign_in(client, "center")
    page = client.get("/staff/dashboard")
    assert page.status_code == 200
    svg = re.search(r'<svg class="map world-map".*?</svg>', page.text, re.S)
    assert svg, "no world map"
    assert svg.group().count("<path") > 150
    assert "<title>Khartoum (Sudan): 3 people waiting</title>" in svg.group()
    cluster = r'<g class="cluster"><title>Khartoum[^<]*</title><circle[^>]*/><text[^>]*>3<'
    assert re.search(cluster, svg.group())
    assert "<title>Omdurman (Sudan): 1 person waiting</title>" in svg.group()
    assert "BER " in svg.group() and "1 flight to leave" in svg.group()
    assert '<a href="/staff/dashboard/countries/SD"' in svg.group()
    assert '<a href="/staff/dashboard/countries/FR"' not in svg.group()


def test_coordinator_opens_a_countrys_page(client: TestClient, session: Session) -> None:
    _sudan(session)
    sign_in(client, "center")
    page = client.get("/staff/dashboard/countries/SD")
    assert page.status_code == 200
    cities = re.search(r'<table id="cities".*?</table>', page.text, re.S).group()
    assert re.search(r">Khartoum</th><td[^>]*>2</td><td[^>]*>3</td>", cities)
    assert re.search(r">Omdurman</th><td[^>]*>1</td><td[^>]*>1</td>", cities)
    assert "Nur" not in page.text and "Berlin" not in cities
    assert "Tr-Emb-Khartoum" in page.text
    assert '<svg class="map world-map"' in page.text


def test_country_page_speaks_the_readers_language(client: TestClient, session: Session) -> None:
    _sudan(session)
    sign_in(client, "center")
    page = client.get("/staff/dashboard/countries/SD", headers={"Accept-Language": "fr"})
    assert page.status_code == 200
    assert "Soudan" in page.text


def test_an_unknown_country_is_not_found(client: TestClient, session: Session) -> None:
    make_staff(session, "center", Role.coordinator)
    sign_in(client, "center")
    assert client.get("/staff/dashboard/countries/QQ").status_code == 404


def test_no_outline_crosses_the_whole_map() -> None:
    """Russia's far east is cut at the antimeridian, not joined by a line across the map."""
    for shape in country_shapes():
        for ring in shape.path.split("M")[1:]:
            steps = [int(n) for n in re.findall(r"-?\d+", ring)][2::2]
            assert all(abs(step) < 500 for step in steps), shape.name
