"""The bounds every input shares, whichever way it comes in.

The HTML forms, the registrant's API and the staff API declare their numbers
and texts with these types, so that a value the database cannot hold is
refused at validation with a message a person can act on, never by the
database with a 500 (which would also log the statement):

- integers that name or version a row fit PostgreSQL's ``integer`` (int4);
- texts hold no control characters: PostgreSQL cannot store NUL at all, and
  the others have no business in a name, a phone number or a reference. Only
  the multi-line fields (an address, a note, a meeting point, a message) keep
  line feeds, carriage returns and tabs.

The types carry plain ``annotated_types`` bounds, so FastAPI reads them as
well in a path, a query, a form or a JSON body, and documents them in the
OpenAPI schema.
"""

from __future__ import annotations

import re
from typing import Annotated

from annotated_types import Ge, Le
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

from evac.i18n import N_

INT4_MAX = 2**31 - 1
MAX_PAGE = 100_000

# C0 controls, DEL, C1 controls, and lone surrogates (which no encoding can write).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

CONTROL_CHARACTER = "control_character"
CONTROL_CHARACTER_MESSAGE = N_(
    "Remove the invisible control characters (such as NUL or a line break) from this text."
)


def refuse_control_characters(text: str, *, multi_line: bool = False) -> str:
    """``text`` unchanged, or a validation error of type ``control_character``.

    ``multi_line`` lets line feeds, carriage returns and tabs through.
    """
    pattern = _CONTROL_BUT_LINES if multi_line else _CONTROL
    if pattern.search(text):
        raise PydanticCustomError(CONTROL_CHARACTER, CONTROL_CHARACTER_MESSAGE)
    return text


def _one_line(value: object) -> object:
    return refuse_control_characters(value) if isinstance(value, str) else value


def _multi_line(value: object) -> object:
    return refuse_control_characters(value, multi_line=True) if isinstance(value, str) else value


# The id of a row: serial columns count from 1 and stop at int4's maximum.
DbId = Annotated[int, Ge(1), Le(INT4_MAX)]
# A row's version for optimistic locking: starts at 1, held in an int4 column.
RowVersion = Annotated[int, Ge(1), Le(INT4_MAX)]
# A page number of a paginated list.
Page = Annotated[int, Ge(1), Le(MAX_PAGE)]
# Checked before any length or format rule, so that the message names the real problem.
# One line of text: a name, a phone number, a reference, a search.
SafeText = Annotated[str, BeforeValidator(_one_line)]
# Text that may span lines: an address, a note, a meeting point, a message.
MultiLineText = Annotated[str, BeforeValidator(_multi_line)]
