"""A saved person as the registration form's member fields, to correct them
(the registrant's page and the officer's)."""

from __future__ import annotations

from typing import Any

from evac.registration.forms import member_field
from evac.registration.models import Person

_CHECKBOXES = ("needs_stretcher", "needs_wheelchair", "needs_oxygen", "pregnant")


def person_form_values(person: Person, index: int = 0) -> dict[str, str]:
    """A saved person as the member fields of the form, to correct."""
    fields: dict[str, Any] = {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "passport_surname": person.passport_surname,
        "passport_given_names": person.passport_given_names,
        "date_of_birth": person.date_of_birth.isoformat(),
        "sex": person.sex,
        "nationality": person.nationality,
        "document_type": person.document_type,
        "document_number": person.document_number,
        "document_country": person.document_country,
        "document_expiry": person.document_expiry.isoformat() if person.document_expiry else "",
        "document_missing_reason": person.document_missing_reason,
        "document_missing_note": person.document_missing_note,
        "medical_urgency": person.medical_urgency,
        **{name: "1" if getattr(person, name) else "" for name in _CHECKBOXES},
    }
    return {member_field(index, name): str(value or "") for name, value in fields.items()}
