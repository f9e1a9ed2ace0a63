"""Every public and staff page passes axe-core's WCAG 2.2 AA rules, in English and
in Arabic (right to left); and no page of the app is left out of the sweep."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser
from sqlalchemy.engine import Engine

from evac.app import create_app
from tests.browser.every_page import NOT_PAGES, PAGES, Page, Visitors, World, get_routes, seed

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}});
  return results.violations.map((v) => ({
    id: v.id,
    help: v.help,
    targets: v.nodes.map((node) => node.target.join(" ")),
  }));
}"""


def test_every_get_route_is_a_page_or_says_why_not() -> None:
    """A new page must join PAGES (and so every sweep), or NOT_PAGES with a reason."""
    listed = {page.route for page in PAGES} | set(NOT_PAGES)
    unlisted = sorted(set(get_routes(create_app())) - listed)
    assert not unlisted, f"add these GET routes to PAGES or NOT_PAGES in every_page.py: {unlisted}"
    gone = sorted(listed - set(get_routes(create_app())))
    assert not gone, f"these routes are gone from the app: {gone}"


@pytest.fixture(scope="module")
def world(live_engine: Engine) -> World:
    return seed(live_engine)


@pytest.fixture(scope="module")
def visitors(browser: Browser, live_server: str) -> Iterator[Visitors]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make setup-test` (npm ci installs axe-core)")
    opened = Visitors(browser, live_server)
    yield opened
    opened.close()


@pytest.mark.browser
@pytest.mark.parametrize(("language", "width"), [("en", 1280), ("ar", 360)], ids=["en", "ar-phone"])
@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.name)
def test_page_meets_wcag_22_aa(
    page: Page, language: str, width: int, world: World, visitors: Visitors
) -> None:
    """In English on a desktop screen, and in Arabic on a 360 px phone (where wide
    tables scroll, and must then be reachable from the keyboard)."""
    tab = visitors.open(page, world, language, width)
    tab.add_script_tag(path=AXE)
    violations = tab.evaluate(RUN_AXE, WCAG_22_AA)
    found = "\n".join(
        f"- {v['id']}: {v['help']} at {', '.join(v['targets'][:5])}" for v in violations
    )
    assert not violations, f"{page.address(world)} in {language}, {width} px:\n{found}"
