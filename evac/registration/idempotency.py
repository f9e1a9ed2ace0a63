"""Remembering a submission so that a retry returns the same registration.

The first response holds the private access token, which evac otherwise never
stores. To answer a retry with the same token, the response is kept for a day,
encrypted with a key derived from ``EVAC_SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from sqlmodel import Session, delete

from evac.db import utcnow
from evac.registration.models import IdempotencyRecord
from evac.settings import get_settings

KEEP_FOR = timedelta(days=1)


@lru_cache(maxsize=4)
def _fernet(secret_key: str) -> Fernet:
    digest = hashlib.sha256(b"evac/idempotency/" + secret_key.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def scoped_key(scope: str, key: str) -> str:
    return f"{scope}:{hashlib.sha256(key.encode()).hexdigest()}"


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
    response_ciphertext: str


def find(session: Session, key: str) -> Remembered | None:
    """The answer kept for ``key``, unless older than a day (checked on every registration)."""
    row = (
        session.connection()
        .execute(
            sa.select(
                IdempotencyRecord.registration_id, IdempotencyRecord.response_ciphertext
            ).where(
                IdempotencyRecord.key == key, IdempotencyRecord.created_at >= utcnow() - KEEP_FOR
            )
        )
        .first()
    )
    return Remembered(*row) if row else None


def purge_expired(session: Session) -> int:
    result = session.exec(  # type: ignore[call-overload]
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR)
    )
    return result.rowcount
