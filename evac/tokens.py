"""Stored hashes of random tokens: private case links, staff sessions, API tokens.

Only the hash of a token is kept, so a copy of the database opens nothing.
"""

from __future__ import annotations

import hashlib


def hash_token(token: str) -> str:
    """SHA-256 of a high-entropy token: enough, since tokens are not guessable."""
    return hashlib.sha256(token.encode()).hexdigest()
