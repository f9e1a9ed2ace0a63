"""Which rows a page of a list shows: one clamp for every paged list and API."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class PageWindow:
    page: int
    per_page: int
    pages: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


def page_window(total: int, page: int, per_page: int, max_per_page: int) -> PageWindow:
    """``per_page`` within 1..``max_per_page`` and ``page`` within the pages there
    are (a page past the end shows the last one; an empty list has one page)."""
    per_page = max(1, min(per_page, max_per_page))
    pages = max(1, math.ceil(total / per_page))
    return PageWindow(page=max(1, min(page, pages)), per_page=per_page, pages=pages)
