"""Domain errors carry their HTTP status and a message a person can act on.

How a refusal looks in JSON is decided here too, once for every API:

- a 422 is always a list of problems, ``{"detail": [{"loc", "msg", "type"}], "code"}``,
  whether FastAPI refused the request's shape or a domain rule refused its
  content, so that a client reads every 422 the same way;
- every other refusal is ``{"detail": "<message>", "code": "<code>"}``.

``error_responses`` documents these shapes in the OpenAPI schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, Field


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


class UndoRefused(Conflict):
    """An undo that can no longer be done (the case or the flight changed since)."""

    code = "undo_refused"


class Forbidden(EvacError):
    status_code = 403
    code = "forbidden"


class ConfirmationNeeded(EvacError):
    """The change cannot be taken back lightly: ask again with ``"confirm": true``."""

    status_code = 428
    code = "confirmation_needed"


class InvalidInput(EvacError):
    status_code = 422
    code = "invalid"

    def field_problems(self, gettext: Any) -> list[dict[str, Any]]:
        """The problems as an API client reads every 422: here one, about the
        request as a whole (an empty ``loc``). Subclasses that know the
        fields at fault list one problem per field."""
        return [{"loc": [], "msg": self.render(gettext), "type": self.code}]


Location = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """What is wrong with one field: where it is (``("members", 0, "phone")``, or
    ``()`` for the form as a whole), a message template (msgid) and its values."""

    loc: Location
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, gettext: Any = str) -> str:
        text = gettext(self.message)
        return text % self.params if self.params else text

    @property
    def field_name(self) -> str:
        return ".".join(str(part) for part in self.loc)


class InvalidFields(InvalidInput):
    """A form or request body with problems in one or more fields: the one error
    for them all (registrations, case changes, flights). A page shows each at its
    field; an API client gets one problem per field, under ``body``."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0] if problems else Problem((), "Check the highlighted fields.")
        super().__init__(first.message, **first.params)
        self.problems = problems

    def field_problems(self, gettext: Any) -> list[dict[str, Any]]:
        return [
            {"loc": ["body", *p.loc], "msg": p.render(gettext), "type": "value_error"}
            for p in self.problems
        ]

    def by_field(self, gettext: Any = str) -> dict[str, str]:
        """The first message for each field, rendered."""
        messages: dict[str, str] = {}
        for problem in self.problems:
            messages.setdefault(problem.field_name, problem.render(gettext))
        return messages

    def one_line(self) -> str:
        return "; ".join(f"{p.field_name}: {p.render().rstrip('.')}" for p in self.problems)


class ProblemOut(BaseModel):
    """Any refusal but a 422."""

    detail: str = Field(description="What went wrong, in the request's language")
    code: str = Field(description="A stable code for programs, e.g. not_found, conflict")


class FieldProblemOut(BaseModel):
    loc: list[str | int] = Field(
        description="Where the problem is, e.g. ['body', 'contact', 'phone'] or "
        "['query', 'page']; empty when it is about the request as a whole"
    )
    msg: str = Field(description="What to change")
    type: str = Field(description="A stable code for programs")


class InvalidOut(BaseModel):
    """Every 422: each problem with where it is."""

    detail: list[FieldProblemOut]
    code: str = Field(description="invalid")


ERROR_DESCRIPTIONS: dict[int, str] = {
    400: "The request body could not be read (not UTF-8, or not the declared type).",
    401: "No valid personal API token: send `Authorization: Bearer <token>`.",
    403: "Your role does not allow this.",
    404: "Nothing you may see has this id or reference.",
    409: "It changed since you read it (a stale `row_version`), or it conflicts with "
    "another record.",
    413: "The request body is too large.",
    422: "The request was refused before anything was changed; `detail` lists each "
    "problem: `loc` is where it is, `msg` is in the request's language.",
    428: "The change closes the case or releases seats: send it again with "
    '`"confirm": true` (and `duplicate_of` for a duplicate); `code` is `confirmation_needed`.',
    429: "Too many requests from this address: retry after `Retry-After` seconds.",
    503: "The server or its database is saturated or restarting: nothing was done "
    "(`code` is `unavailable`). Retry after `Retry-After` seconds.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` for these refusals, with their shapes."""
    return {
        status: {
            "model": InvalidOut if status == 422 else ProblemOut,
            "description": ERROR_DESCRIPTIONS[status],
        }
        for status in statuses
    }
