"""How large a request body evac reads: one limit for the registration form and
the JSON API, refused as soon as it is known to be exceeded (before parsing)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request, Response
from fastapi.routing import APIRoute

from evac.errors import EvacError

MAX_BODY_BYTES = 256 * 1024


class PayloadTooLarge(EvacError):
    status_code = 413
    code = "too_large"


async def _read_body_within(request: Request, limit: int) -> None:
    """Read the body, refusing it as soon as it is known to exceed ``limit`` bytes.

    A declared Content-Length is refused before anything is read; a streamed
    (chunked) body is counted as it arrives. The body is then cached on the
    request, where FastAPI reads it from.
    """
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"The request body is larger than {limit // 1024} KB.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"The request body is larger than {limit // 1024} KB.")
        chunks.append(chunk)
    request._body = b"".join(chunks)


class BodyLimitedRoute(APIRoute):
    """A route that refuses bodies over ``MAX_BODY_BYTES`` before parsing them."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited_handler(request: Request) -> Response:
            await _read_body_within(request, MAX_BODY_BYTES)
            return await handler(request)

        return limited_handler
