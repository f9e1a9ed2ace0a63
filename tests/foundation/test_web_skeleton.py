"""The web skeleton: pages in four languages, health, API docs served offline."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

HTML = {"accept": "text/html"}


@pytest.mark.parametrize(
    ("lang", "direction", "phrase"),
    [
        ("en", "ltr", "Register for evacuation"),
        ("tr", "ltr", "Tahliye için kayıt olun"),
        ("fr", "ltr", "S’inscrire pour l’évacuation"),
        ("ar", "rtl", "التسجيل للإجلاء"),
    ],
)
def test_home_page_speaks_each_language(
    client: TestClient, lang: str, direction: str, phrase: str
) -> None:
    page = client.get(f"/?lang={lang}")
    assert page.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in page.text
    assert phrase in page.text


def test_language_choice_is_remembered_in_a_cookie(client: TestClient) -> None:
    client.get("/?lang=fr")
    assert client.cookies.get("evac_lang") == "fr"
    assert '<html lang="fr"' in client.get("/").text


def test_browser_language_is_used_when_nothing_was_chosen(client: TestClient) -> None:
    page = client.get("/", headers={"accept-language": "ar-EG,ar;q=0.9,en;q=0.5"})
    assert '<html lang="ar" dir="rtl">' in page.text


def test_health_check_answers_when_the_database_answers(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_api_docs_are_served_without_any_cdn(client: TestClient) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    external = re.findall(r'(?:src|href)="(https?://[^"]+)"', docs.text)
    assert external == []
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["info"]["title"] == "evac"


def test_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    page = client.get("/")
    assert not re.findall(r'(?:src|href)="(?:https?:)?//', page.text)


def test_pages_carry_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"


def test_unknown_page_is_a_friendly_404(client: TestClient) -> None:
    page = client.get("/no-such-page?lang=tr", headers=HTML)
    assert page.status_code == 404
    assert "Sayfa bulunamadı" in page.text


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["detail"] == "Not Found"
