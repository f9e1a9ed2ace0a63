"""How large a request body evac reads: one limit for the registration form and
the JSON API, refused as soon as it is known to be exceeded (before parsing)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evac.errors import EvacError

MAX_BODY_BYTES = 256 * 1024
FORM_PATH = "/register"
FORM_TOO_LARGE = f"The form is larger than {MAX_BODY_BYTES // 1024} KB."


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


class FormSizeLimitMiddleware:
    """Refuse a registration form over ``MAX_BODY_BYTES`` before anything parses it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not (
            scope["type"] == "http"
            and scope.get("method") == "POST"
            and scope.get("path") == FORM_PATH
        ):
            await self.app(scope, receive, send)
            return
        body = await read_body(receive, MAX_BODY_BYTES)
        if body is None:
            await PlainTextResponse(FORM_TOO_LARGE, status_code=413)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The whole request body, or None as soon as it is over ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def form_fields(scope: Scope, body: bytes) -> dict[str, str]:
    """The fields of a URL-encoded form (none for any other body)."""
    headers = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
    if content_type != "application/x-www-form-urlencoded":
        return {}
    text = body.decode("utf-8", errors="replace")
    return dict(parse_qsl(text, keep_blank_values=True))
