"""Every staff page, in every language, as every role: no code and no English
sentence a person should have read in their own language."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from evac.settings import get_settings
from tests.factories import sign_in
from tests.language.visible import raw_codes, shown_codes, text_nodes, untranslated

LANGUAGES = ("en", "tr", "fr", "ar")
ROLES = ("berlin", "center", "root")
# Files, not pages: a download is checked by its own tests.
DOWNLOADS = (".csv", ".pdf", "/paxlst", "{fmt}")
# Query strings a page needs to show more than its refusal.
QUERIES = {
    "/staff/cases/{reference}/merge": "other={other}",
    "/staff/cases/{reference}/merge/review": "other={other}&survivor={reference}",
}
STEPS = ("close", "depart", "arrive")


def staff_pages(app: FastAPI) -> list[str]:
    """Every GET route under /staff that draws a page, as the app's router has it."""
    paths: list[str] = []
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        for context in contexts() if contexts else [route]:
            path = getattr(context, "path", "")
            methods = getattr(context, "methods", None) or set()
            if "GET" in methods and path.startswith("/staff") and not path.endswith(DOWNLOADS):
                paths.append(path)
    return paths


def fill(path: str, world: dict[str, Any]) -> list[str]:
    """The path with its parameters taken from the seeded world (one URL per step)."""
    urls = []
    for step in STEPS if "{step}" in path else ("",):
        url = path.format(step=step, **world) if "{" in path else path
        query = QUERIES.get(path, "").format(**world)
        urls.append(f"{url}?{query}" if query else url)
    return urls


def test_the_language_test_reaches_every_staff_page(app: FastAPI) -> None:
    pages = staff_pages(app)
    for expected in ("/staff/cases", "/staff/flights/{flight_id}", "/staff/admin", "/staff/plan"):
        assert expected in pages
    assert "no_capacity" in raw_codes() and "registration.create" in raw_codes()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_staff_page_reads_in_the_readers_language(
    app: FastAPI, client: TestClient, world: dict[str, Any], language: str
) -> None:
    assert language in get_settings().languages
    problems: dict[str, list[str]] = {}
    seen = 0
    for username in ROLES:
        client.cookies.clear()
        sign_in(client, username)
        client.cookies.set("evac_lang", language)
        for path in staff_pages(app):
            for url in fill(path, world):
                response = client.get(url)
                assert response.status_code < 500, (url, response.text[:500])
                if "text/html" not in response.headers.get("content-type", ""):
                    continue
                seen += 1
                nodes = text_nodes(response.text)
                codes = shown_codes(nodes, language)
                english = untranslated(nodes, language)
                if codes or english:
                    problems[f"{username} {url}"] = sorted(codes) + sorted(english)
    assert seen > 40
    assert not problems, "\n".join(f"{page}: {found}" for page, found in problems.items())
