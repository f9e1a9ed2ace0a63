"""Arabic pages read from the right: arrows point the way they are read, and Latin
text (a flight's airports, a username, a phone number) keeps its own order."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.factories import sign_in


def test_a_route_arrow_points_left_in_arabic_and_right_in_english(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "center")
    arabic = client.get(f"/staff/flights/{world['flight_id']}?lang=ar").text
    assert '<bdi class="ltr">FRA</bdi> ← <bdi class="ltr">IST</bdi>' in arabic
    english = client.get(f"/staff/flights/{world['flight_id']}?lang=en").text
    assert '<bdi class="ltr">FRA</bdi> → <bdi class="ltr">IST</bdi>' in english


def test_the_username_in_the_staff_header_is_isolated_so_its_parentheses_do_not_mirror(
    client: TestClient, world: dict[str, Any]
) -> None:
    sign_in(client, "center")
    page = client.get("/staff/flights?lang=ar").text
    assert "(<bdi>center</bdi>)" in page


def test_the_phone_hint_keeps_the_plus_before_the_country_code_in_arabic(
    client: TestClient,
) -> None:
    page = client.get("/register?lang=ar").text
    # A left-to-right mark before the number: the bidi algorithm reads "+49", never "49+".
    assert "\u200e+49 151 23456789" in page
