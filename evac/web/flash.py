"""One-time messages shown after a redirect (Post/Redirect/Get).

They ride in a short-lived signed cookie rather than in server memory, so any
worker can show them.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeSerializer
from starlette.responses import Response

from evac.settings import get_settings

FLASH_COOKIE = "evac_flash"
MAX_DETAILS = 50


@lru_cache(maxsize=4)
def _signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="evac/flash")


def flash(
    response: Response, message: str, details: list[str] | None = None, kind: str = "success"
) -> None:
    payload = {"message": message, "details": (details or [])[:MAX_DETAILS], "kind": kind}
    response.set_cookie(
        FLASH_COOKIE,
        _signer(get_settings().secret_key).dumps(payload),
        max_age=120,
        httponly=True,
        samesite="lax",
        path="/",
    )


def pop_flashes(request: Request) -> list[dict[str, Any]]:
    """The pending message (if any); the page that shows it clears the cookie."""
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return []
    request.state.clear_flash = True
    try:
        payload = _signer(get_settings().secret_key).loads(raw)
    except (BadSignature, json.JSONDecodeError):
        return []
    return [payload] if isinstance(payload, dict) else []
