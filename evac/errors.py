"""Domain errors carry their HTTP status and a message a person can act on."""

from __future__ import annotations

from typing import Any


class EvacError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(self, message: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.details = details

    def render(self, gettext: Any) -> str:
        """The message in the reader's language, with its details filled in."""
        text = gettext(self.message)
        return text % self.details if self.details else text


class NotFound(EvacError):
    status_code = 404
    code = "not_found"


class Conflict(EvacError):
    status_code = 409
    code = "conflict"


class Forbidden(EvacError):
    status_code = 403
    code = "forbidden"


class InvalidInput(EvacError):
    status_code = 422
    code = "invalid"
