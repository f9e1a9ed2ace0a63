"""Registration tests; ``household`` builds a valid API body to vary per test."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from tests.factories import APP_TODAY

NEXT_YEAR = APP_TODAY + timedelta(days=365)


def member(**changes: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "given_name": "Ayşe",
        "family_name": "Yılmaz",
        "date_of_birth": "1984-05-12",
        "sex": "F",
        "nationality": "TR",
        "document": {"type": "P", "number": "U1234567", "country": "TR", "expiry": str(NEXT_YEAR)},
    }
    document = changes.pop("document", {})
    person.update(changes)
    person["document"] = {**person["document"], **document}
    return person


def household(*members: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contact": {"phone": "+49 30 1234567", "email": "ayse@example.com", "language": "tr"},
        "location": {"country": "DE", "city": "Berlin", "latitude": 52.52, "longitude": 13.405},
        "members": list(members) or [member()],
        "consent": True,
    }
    for key in ("contact", "location"):
        body[key] = {**body[key], **changes.pop(key, {})}
    body.update(changes)
    return body
