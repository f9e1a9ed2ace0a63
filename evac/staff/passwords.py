"""Password hashing with Argon2 through pwdlib, and a strength check with
zxcvbn (Dropbox's estimator: common passwords, words, dates, repeats and
keyboard patterns); never hand-rolled."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import lru_cache

from pwdlib import PasswordHash
from zxcvbn import zxcvbn

from evac.errors import InvalidInput
from evac.i18n import N_

MIN_PASSWORD_LENGTH = 12
# zxcvbn's scale is 0-4; 3 is "safely unguessable: moderate protection from an
# offline slow-hash scenario" (about 10^8 guesses and more).
MIN_STRENGTH_SCORE = 3
# zxcvbn's cost grows with the length; what it needs to judge lies in the start.
SCORED_PREFIX = 100


@lru_cache
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password: str, password_hash: str) -> tuple[bool, str | None]:
    """Whether the password matches, and a new hash if the stored one is outdated."""
    return _hasher().verify_and_update(password, password_hash)


def check_password_strength(password: str, personal: Iterable[str | None] = ()) -> None:
    """Refuse a short password, or one that is common, trivial or built from
    ``personal`` words (the username, the name)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            N_("The password must have at least %(length)s characters."),
            length=MIN_PASSWORD_LENGTH,
        )
    words = [word for word in personal if word]
    if zxcvbn(password[:SCORED_PREFIX], user_inputs=words)["score"] < MIN_STRENGTH_SCORE:
        raise InvalidInput(
            N_(
                "This password is too easy to guess. Use a phrase of several uncommon "
                "words, without your name or username."
            )
        )


def one_time_password() -> str:
    """A password an administrator hands over once; its holder must change it."""
    return secrets.token_urlsafe(12)
