"""A live evac server on a fresh migrated database, and Debian's Chromium driven
by Playwright. Nothing is fetched from the network."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Page,
    Playwright,
    Route,
    expect,
    sync_playwright,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac import migrations
from evac.app import create_app
from evac.db import create_db_engine, get_session
from evac.geo.gazetteer import load_gazetteer
from evac.settings import get_settings
from tests.databases import throwaway_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
# Screenshots go to a scratch folder; `make screenshots` points this at docs/screenshots
# to regenerate the tracked ones, so that a test run never rewrites tracked files.
SCREENSHOTS_ENV = "EVAC_SCREENSHOTS_DIR"
# Upper bounds for waiting on a slow machine, never a measure of speed.
WAIT_MS = 30_000
STARTUP_LIMIT_S = 60

expect.set_options(timeout=WAIT_MS)


def _serve(app: object, sock: socket.socket) -> tuple[uvicorn.Server, threading.Thread]:
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + STARTUP_LIMIT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live server did not start")
        time.sleep(0.05)
    return server, thread


@contextmanager
def migrated_engine(folder: Path) -> Iterator[Engine]:
    """A fresh, migrated database in ``folder`` (or on the test PostgreSQL server)."""
    with throwaway_database(folder) as url:
        engine = create_db_engine(url)
        migrations.upgrade(engine)
        yield engine
        engine.dispose()


@contextmanager
def evac_served(engine: Engine) -> Iterator[str]:
    """The URL of evac served by uvicorn in a thread, on ``engine``."""
    load_gazetteer()  # spare the first registration the gazetteer's loading

    def session() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db_session:
            yield db_session

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    # The private links the pages show start at the public URL: this server.
    app = create_app(get_settings().model_copy(update={"public_url": url}))
    app.dependency_overrides[get_session] = session
    server, thread = _serve(app, sock)
    try:
        yield url
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def server_of_its_own(folder: str) -> tuple[Any, Any]:
    """``live_engine`` and ``live_server`` fixtures for one module's own database and
    server, for a module whose data would change what others see (bus and ship legs
    switch every plan to the journey planner). Use: ``live_engine, live_server =
    server_of_its_own("journey")``."""

    @pytest.fixture(scope="module")
    def live_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
        with migrated_engine(tmp_path_factory.mktemp(folder)) as engine:
            yield engine

    @pytest.fixture(scope="module")
    def live_server(live_engine: Engine) -> Iterator[str]:
        with evac_served(live_engine) as url:
            yield url

    return live_engine, live_server


@pytest.fixture(scope="session")
def live_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """The live server's own fresh, migrated database; tests may seed it."""
    with migrated_engine(tmp_path_factory.mktemp("live")) as engine:
        yield engine


@pytest.fixture(scope="session")
def live_server(live_engine: Engine) -> Iterator[str]:
    """The URL of evac served by uvicorn in a thread, on ``live_engine``. A module whose
    data would change what other modules' pages show (a journey leg switches every
    plan to the journey planner) overrides both with its own, from the helpers above."""
    with evac_served(live_engine) as url:
        yield url


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


def _context(browser: Browser, live_server: str, **options: object) -> BrowserContext:
    context = browser.new_context(base_url=live_server, viewport=PHONE, **options)  # type: ignore[arg-type]
    context.set_default_timeout(WAIT_MS)
    context.route("**/*", _only_local(live_server))
    return context


def _only_local(live_server: str) -> Callable[[Route], None]:
    """Let requests to the live server through; refuse anything else."""

    def handle(route: Route) -> None:
        if route.request.url.startswith((live_server, "data:")):
            route.continue_()
        else:
            route.abort()

    return handle


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Page]:
    """A phone-sized page with JavaScript."""
    context = _context(browser, live_server)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_in(browser: Browser, live_server: str) -> Iterator[Callable[[str], Page]]:
    """Pages whose browser speaks a language ("tr-TR"), as a person's phone would."""
    contexts: list[BrowserContext] = []

    def open_page(locale: str) -> Page:
        contexts.append(_context(browser, live_server, locale=locale))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page_without_js(browser: Browser, live_server: str) -> Iterator[Page]:
    context = _context(browser, live_server, java_script_enabled=False)
    yield context.new_page()
    context.close()


@pytest.fixture
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
