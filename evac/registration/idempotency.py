"""Remembering a submission so that a retry returns the same registration.

The first response holds the private access token, which evac otherwise never
stores. To answer a retry with the same token, the response is kept for a day,
encrypted with a key derived from ``EVAC_SECRET_KEY``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from functools import lru_cache

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


def find(session: Session, key: str) -> IdempotencyRecord | None:
    record = session.get(IdempotencyRecord, key)
    if record is None or record.created_at < utcnow() - KEEP_FOR:
        return None
    return record


def purge_expired(session: Session) -> int:
    result = session.exec(  # type: ignore[call-overload]
        delete(IdempotencyRecord).where(IdempotencyRecord.created_at < utcnow() - KEEP_FOR)
    )
    return result.rowcount
