"""A developer writing an API client opens /docs in Chromium: the Swagger UI evac
serves itself draws every operation of the OpenAPI 3.1 schema and can try one,
under the app's strict Content-Security-Policy, and nothing is asked of another host."""

from __future__ import annotations

import pytest
from playwright.sync_api import ConsoleMessage, Locator, Page, Request, expect

from evac.web.middleware import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.browser


class Watched:
    """What a page asked of other hosts, and what went wrong in it: a script error, or
    anything the Content-Security-Policy refused (Chromium logs each as an error)."""

    def __init__(self, page: Page, live_server: str) -> None:
        self.elsewhere: list[str] = []
        self.errors: list[str] = []
        self._live_server = live_server
        page.on("request", self._request)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _request(self, request: Request) -> None:
        if not request.url.startswith((self._live_server, "data:")):
            self.elsewhere.append(request.url)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.errors.append(message.text)


@pytest.fixture
def docs(page: Page, live_server: str) -> tuple[Page, Watched]:
    watched = Watched(page, live_server)
    page.set_viewport_size({"width": 1280, "height": 900})
    response = page.goto("/docs")
    assert response is not None
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    return page, watched


def operation(page: Page, method: str, path: str) -> Locator:
    return page.locator(f".opblock-{method}", has=page.locator(f'[data-path="{path}"]'))


def test_api_docs_draw_every_operation_without_leaving_the_machine(
    docs: tuple[Page, Watched],
) -> None:
    page, watched = docs

    expect(page.locator(".swagger-ui .info .title")).to_contain_text("evac")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("OAS 3.1")
    expect(operation(page, "get", "/api/v1/transport-places")).to_be_visible()
    expect(operation(page, "post", "/api/v1/registrations")).to_be_visible()
    expect(page.locator(".swagger-ui .errors-wrapper")).to_have_count(0)
    schema = page.request.get("/openapi.json").json()
    drawn = sum(len(methods) for methods in schema["paths"].values())
    expect(page.locator(".opblock")).to_have_count(drawn)

    assert watched.elsewhere == []
    assert watched.errors == []


def test_a_developer_tries_an_operation_from_the_docs(docs: tuple[Page, Watched]) -> None:
    page, watched = docs

    health = operation(page, "get", "/healthz")
    health.locator(".opblock-summary-control").click()
    health.get_by_role("button", name="Try it out").click()
    health.get_by_role("button", name="Execute").click()

    answer = health.locator(".live-responses-table")
    expect(answer.locator("tbody .response-col_status")).to_have_text("200")
    expect(answer).to_contain_text('"database": "up"')
    assert watched.elsewhere == []
    assert watched.errors == []
