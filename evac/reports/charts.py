"""Small SVG charts drawn on the server: plain data in, markup out.

No script and no inline style: shapes carry presentation attributes and
classes styled by static/css/dashboard.css, so the page passes the CSP.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from markupsafe import Markup


def _svg(width: int, height: int, label: str, body: list[str], css: str) -> Markup:
    # Every label and value in ``body`` went through ``escape`` or a number format.
    return Markup(  # noqa: S704
        f'<svg class="{css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(label)}</title>{''.join(body)}</svg>"
    )


def nice_ceiling(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def bar_chart(
    points: Sequence[tuple[str, int]], label: str, *, width: int = 400, height: int = 190
) -> Markup:
    """Vertical bars, one per (label, value), with a scale and a few x labels."""
    left, right, top, bottom = 40, 6, 10, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    ceiling = nice_ceiling(max((v for _, v in points), default=0))
    body = []
    for fraction in (0, 0.5, 1):
        y = top + plot_h * (1 - fraction)
        body.append(
            f'<line class="grid" x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        body.append(
            f'<text class="axis" x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">'
            f"{round(ceiling * fraction):,}</text>"
        )
    slot = plot_w / max(len(points), 1)
    every = max(1, math.ceil(len(points) / 5))
    for i, (name, value) in enumerate(points):
        bar_h = plot_h * value / ceiling
        x = left + i * slot + slot * 0.15
        body.append(
            f'<rect class="bar" x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{bar_h:.1f}">'
            f"<title>{escape(name)}: {value:,}</title></rect>"
        )
        if i % every == 0 or i == len(points) - 1:
            body.append(
                f'<text class="axis" x="{x + slot * 0.35:.1f}" y="{height - 8}" '
                f'text-anchor="middle">{escape(name)}</text>'
            )
    return _svg(width, height, label, body, "chart")


def meter(value: int, maximum: int, *, width: int = 120, height: int = 10) -> Markup:
    """A horizontal bar, its length proportional to ``value / maximum``."""
    filled = width * min(value / maximum, 1) if maximum > 0 else 0
    body = [
        f'<rect class="meter-track" width="{width}" height="{height}" rx="2"/>',
        f'<rect class="meter-fill" width="{filled:.1f}" height="{height}" rx="2"/>',
    ]
    return _svg(width, height, f"{value:,} / {maximum:,}", body, "meter")
