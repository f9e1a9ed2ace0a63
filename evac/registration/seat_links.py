"""Seat links: what a seat notice carries instead of the private link.

Only a hash of the private token is stored, so a message written after the
registration cannot repeat the private link. It carries a signed seat pass
instead: it names the case and the flight, opens only that seat's page (confirm,
boarding passes), and dies when the seat moves to another flight or when a new
private link (asked for a lost one) is first used (the pass binds the token's hash).
"""

from __future__ import annotations

import hmac
from functools import lru_cache
from urllib.parse import urlencode

from itsdangerous import BadSignature, URLSafeSerializer
from sqlmodel import Session

from evac.errors import NotFound
from evac.i18n import N_
from evac.links import public_link
from evac.registration.models import Registration
from evac.registration.reference import normalize_reference
from evac.settings import get_settings

TOKEN_HASH_PREFIX = 16


@lru_cache(maxsize=4)
def _signer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt="evac/seat-pass")


def seat_pass(registration_id: int, access_token_hash: str, flight_id: int) -> str:
    payload = [registration_id, flight_id, access_token_hash[:TOKEN_HASH_PREFIX]]
    return _signer(get_settings().secret_key).dumps(payload)


def seat_path(reference: str, pass_: str) -> str:
    return f"/r/{reference}/seat?{urlencode({'s': pass_})}"


def seat_url(reference: str, registration_id: int, access_token_hash: str, flight_id: int) -> str:
    """The absolute seat link for a message queued outside any request."""
    return public_link(
        seat_path(reference, seat_pass(registration_id, access_token_hash, flight_id))
    )


def find_by_seat_pass(
    session: Session, reference: str, pass_: str | None
) -> tuple[Registration, int]:
    """The case and flight a seat pass names; any mismatch is the same 404."""
    missing = NotFound(N_("No case matches this link."))
    try:
        registration_id, flight_id, hash_prefix = _signer(get_settings().secret_key).loads(
            pass_ or ""
        )
    except (BadSignature, ValueError, TypeError):
        raise missing from None
    registration = session.get(Registration, registration_id)
    if (
        registration is None
        or registration.reference != normalize_reference(reference)
        or not hmac.compare_digest(
            registration.access_token_hash[:TOKEN_HASH_PREFIX], str(hash_prefix)
        )
    ):
        raise missing
    return registration, int(flight_id)
