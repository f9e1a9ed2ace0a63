"""Screenshots a reviewer pages through in docs/screenshots.

They are written only when ``EVAC_SCREENSHOTS_DIR`` names a folder (``make
screenshots`` points it at docs/screenshots), so that a test run never rewrites
tracked files.
"""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Page

SCREENSHOTS_ENV = "EVAC_SCREENSHOTS_DIR"


def folder() -> Path | None:
    chosen = os.environ.get(SCREENSHOTS_ENV)
    return Path(chosen) if chosen else None


def take(page: Page, name: str) -> None:
    """The whole page as ``<folder>/<name>.png``, when screenshots are asked for."""
    target = folder()
    if target is None:
        return
    path = target / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True, animations="disabled")


def write(name: str, text: str) -> None:
    """A text file beside the screenshots (their index), when screenshots are asked for."""
    target = folder()
    if target is not None:
        target.mkdir(parents=True, exist_ok=True)
        (target / name).write_text(text, encoding="utf-8")
