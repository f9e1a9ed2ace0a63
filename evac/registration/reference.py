"""Reference codes people can read out on the phone, and private access tokens.

A reference is seven random symbols and one check symbol from an alphabet
without the look-alikes 0/O and 1/I, shown as ``ABCD-EFGH``. The check symbol
(Luhn mod N) catches any single mistyped symbol and any swap of neighbours,
so a typo is refused instead of opening someone else's case.
"""

from __future__ import annotations

import hmac
import secrets

from evac.tokens import hash_token

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_INDEX = {symbol: i for i, symbol in enumerate(ALPHABET)}
RANDOM_SYMBOLS = 7
TOKEN_BYTES = 24  # 192 bits


def _check_symbol(body: str) -> str:
    base = len(ALPHABET)
    factor, total = 2, 0
    for symbol in reversed(body):
        addend = factor * _INDEX[symbol]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def new_reference() -> str:
    return reference_from_body("".join(secrets.choice(ALPHABET) for _ in range(RANDOM_SYMBOLS)))


def reference_from_body(body: str) -> str:
    """The ``ABCD-EFGH`` reference whose first seven symbols are ``body``."""
    code = body + _check_symbol(body)
    return f"{code[:4]}-{code[4:]}"


def normalize_reference(text: str) -> str | None:
    """The canonical ``ABCD-EFGH`` form of a typed reference, or None if invalid.

    Case, spaces and dashes do not matter.
    """
    compact = "".join(ch for ch in text.upper() if ch not in " -_")
    if len(compact) != RANDOM_SYMBOLS + 1 or any(ch not in _INDEX for ch in compact):
        return None
    if _check_symbol(compact[:-1]) != compact[-1]:
        return None
    return f"{compact[:4]}-{compact[4:]}"


def new_access_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_matches(token: str | None, stored_hash: str) -> bool:
    if not token:
        return False
    return hmac.compare_digest(hash_token(token), stored_hash)
