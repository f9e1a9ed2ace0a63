"""A person typing their city in Arabic finds it, with or without the article "ال"."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_registrant_typing_al_khartoum_in_arabic_is_offered_khartoum(client: TestClient) -> None:
    response = client.get("/api/v1/places/cities", params={"q": "الخرطوم", "country": "SD"})
    assert response.status_code == 200
    assert response.json()[0]["name"] == "Khartoum"


def test_registrant_typing_the_start_of_al_khartoum_is_offered_khartoum(client: TestClient) -> None:
    response = client.get("/api/v1/places/cities", params={"q": "الخرط"})
    assert [city["name"] for city in response.json()][:1] == ["Khartoum"]
