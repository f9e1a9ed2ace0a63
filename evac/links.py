"""Absolute links that leave the server: always on EVAC_PUBLIC_URL.

A request's Host header (and so Starlette's ``request.base_url``) is whatever
the client sent: a link built from it and mailed to a registrant can point at
an attacker's server with a fresh working token. Every absolute link in a
message, a page or an API answer is built here, from the configured public URL.
"""

from __future__ import annotations

from evac.settings import Settings, get_settings


def public_link(path: str, settings: Settings | None = None) -> str:
    """``path`` (starting with ``/``) on the public URL of ``settings`` (default: the process's)."""
    return (settings or get_settings()).public_url.rstrip("/") + path
