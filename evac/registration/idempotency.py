"""Remembering a submission so that a retry returns the same registration.

The first response holds the private access token, which evac otherwise never
stores. To answer a retry with the same token, the response is kept for a day,
encrypted with a key derived from ``EVAC_SECRET_KEY``.

A key alone proves nothing: anyone may send any key. So the record is bound to
a keyed hash of the validated request body, and only a retry with the same
content gets the answer back; the same key with another body is refused
(``IdempotencyKeyReused``) and gets no token. The public routes have no
authenticated client to bind to, and binding to the network address would break
the retries the key exists for (a phone moving between networks).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, delete

from evac.db import utcnow
from evac.errors import Conflict
from evac.i18n import N_
from evac.registration.models import IdempotencyRecord
from evac.registration.schemas import RegistrationIn
from evac.settings import get_settings

KEEP_FOR = timedelta(days=1)


class IdempotencyKeyReused(Conflict):
    """The key was used before for a different registration: nothing is returned of it."""

    code = "idempotency_key_reused"

    def __init__(self) -> None:
        super().__init__(
            N_(
                "This request was already sent once with different details, so it was not "
                "saved. Send it again as a new request (with a new Idempotency-Key)."
            )
        )


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"evac/idempotency/" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def scoped_key(scope: str, key: str) -> str:
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()}"


@lru_cache(maxsize=4)
def _body_key(secret_key: str) -> bytes:
    return hashlib.sha256(b"evac/idempotency-body/" + secret_key.encode()).digest()


def fingerprint(data: RegistrationIn) -> str:
    """A keyed hash of the validated registration: the same content gives the same hash
    whatever the order of the keys or the spacing of the JSON it came from."""
    canonical = json.dumps(
        data.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    key = _body_key(get_settings().secret_key)
    return hmac.new(key, canonical.encode(), hashlib.sha256).hexdigest()


def seal(payload: dict[str, str]) -> str:
    return _fernet(get_settings().secret_key).encrypt(json.dumps(payload).encode()).decode()


def unseal(ciphertext: str) -> dict[str, str] | None:
    try:
        return json.loads(_fernet(get_settings().secret_key).decrypt(ciphertext.encode()))
    except InvalidToken:
        return None


@dataclass(frozen=True)
class Remembered:
    registration_id: int
    request_hash: str
    response_ciphertext: str

    def matches(self, request_hash: str) -> bool:
        return hmac.compare_digest(self.request_hash, request_hash)


def find(session: Session, key: str) -> Remembered | None:
    """The answer kept for ``key``, unless older than a day (checked on every registration)."""
    row = (
        session.connection()
        .execute(
            sa.select(
                IdempotencyRecord.registration_id,
                IdempotencyRecord.request_hash,
                IdempotencyRecord.response_ciphertext,
            ).where(
                IdempotencyRecord.key == key, IdempotencyRecord.created_at >= utcnow() - KEEP_FOR
            )
        )
        .first()
    )
    return Remembered(*row) if row else None


def forget_expired(session: Session, key: str) -> int:
    """Delete the record of ``key`` if it is older than a day, so that the key may be used
    again; returns how many were deleted (0 or 1)."""
    result = session.connection().execute(
        sa.delete(IdempotencyRecord).where(
            IdempotencyRecord.key == key, IdempotencyRecord.created_at < utcnow() - KEEP_FOR
        )
    )
    return result.rowcount


def purge_expired(session: Session) -> int:
    result = session.exec(  # type: ignore[call-overload]
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR)
    )
    return result.rowcount
