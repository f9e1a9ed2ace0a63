"""Pure ASGI middleware: the request's language, and security headers."""

from __future__ import annotations

from http.cookies import SimpleCookie
from urllib.parse import parse_qs

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evac.i18n import LANGUAGE_COOKIE, choose_language
from evac.settings import Settings

ONE_YEAR = 365 * 24 * 3600

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


# Pages and answers that show personal data or need a login: staff pages,
# exports, manifests and PDFs; the registrant's private pages and seat links;
# the API. No browser, proxy or CDN may keep a copy of them.
NO_STORE_PREFIXES = ("/staff/", "/r/", "/api/")
NO_STORE_PATHS = ("/staff",)


def must_not_be_stored(path: str, cache_control: str | None) -> bool:
    """Whether a response must carry ``Cache-Control: no-store``.

    Under the private prefixes only an answer its route marked ``public``
    (city suggestions: no personal data) keeps its own caching; static files
    and other public pages are left alone.
    """
    if path not in NO_STORE_PATHS and not path.startswith(NO_STORE_PREFIXES):
        return False
    return cache_control is None or "public" not in cache_control.lower()


class LanguageMiddleware:
    """Choose the language once per request and remember an explicit choice."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        asked = (query.get("lang") or [None])[0]
        cookies = SimpleCookie(headers.get("cookie", ""))
        remembered = cookies[LANGUAGE_COOKIE].value if LANGUAGE_COOKIE in cookies else None
        language = choose_language(
            asked,
            remembered,
            headers.get("accept-language"),
            self.settings.languages,
            self.settings.default_language,
        )
        scope.setdefault("state", {})["language"] = language
        remember = asked is not None and asked.lower() == language and language != remembered

        async def send_with_cookie(message: Message) -> None:
            if remember and message["type"] == "http.response.start":
                MutableHeaders(scope=message).append(
                    "set-cookie",
                    f"{LANGUAGE_COOKIE}={language}; Max-Age={ONE_YEAR}; Path=/; SameSite=Lax",
                )
            await send(message)

        await self.app(scope, receive, send_with_cookie)


class SecurityHeadersMiddleware:
    """CSP and friends on every response, and ``no-store`` on the private ones."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        is_https = scope.get("scheme") == "https"
        path = scope.get("path", "")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("content-security-policy", CONTENT_SECURITY_POLICY)
                headers.setdefault("x-content-type-options", "nosniff")
                headers.setdefault("x-frame-options", "DENY")
                headers.setdefault("referrer-policy", "same-origin")
                if must_not_be_stored(path, headers.get("cache-control")):
                    headers["cache-control"] = "no-store"
                if is_https:
                    headers.setdefault(
                        "strict-transport-security", "max-age=31536000; includeSubDomains"
                    )
            await send(message)

        await self.app(scope, receive, send_with_headers)
