"""An officer's change to a case's contact and location, checked as a registration is.

The case as it would be after the change goes through the registration's own
schemas (``ContactIn``, ``LocationIn``) and rules (``check_contact_and_location``),
so that the staff API cannot store what the registration form and API refuse:
no phone, an unknown language, a latitude without its longitude, control
characters. Pure: no session.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from evac.errors import InvalidFields
from evac.registration.models import Registration
from evac.registration.rules import (
    Problem,
    check_contact_and_location,
    normalize_email,
    normalize_phone,
)
from evac.registration.schemas import ContactIn, LocationIn

CONTACT_FIELDS = ("phone", "email", "language")
LOCATION_FIELDS = ("country", "city", "address", "latitude", "longitude")


def _validated(model: type[BaseModel], values: dict[str, Any]) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(values), []
    except ValidationError as invalid:
        return None, [Problem((str(e["loc"][-1]),), e["msg"]) for e in invalid.errors()]


def checked_case_changes(case: Registration, changes: dict[str, Any]) -> dict[str, Any]:
    """The changes as they are stored (phone in E.164, email normalized, empty
    texts as None), or ``InvalidFields`` naming every field at fault."""
    after = {name: getattr(case, name) for name in (*CONTACT_FIELDS, *LOCATION_FIELDS)}
    after.update({name: value for name, value in changes.items() if name in after})
    contact, problems = _validated(ContactIn, {n: after[n] for n in CONTACT_FIELDS})
    location, location_problems = _validated(LocationIn, {n: after[n] for n in LOCATION_FIELDS})
    problems += location_problems
    if contact is not None and location is not None:
        problems += check_contact_and_location(contact, location)
    if problems:
        raise InvalidFields(problems)
    stored = {
        "phone": normalize_phone(contact.phone, location.country),
        "email": normalize_email(contact.email) if contact.email else None,
        "language": contact.language,
        "city": location.city or None,
        "address": location.address or None,
        "latitude": location.latitude,
        "longitude": location.longitude,
    }
    return {name: stored.get(name, value or None) for name, value in changes.items()}
