"""Column headings in words, for the spreadsheets people read.

CSV files keep the field codes (``family_name``): other programs read them, and
a code never changes with the reader's language. An XLSX workbook is opened by
a person, so its columns are headed with words in the reader's language
(``Family name``, ``Soyadı``); ``column_headings`` turns the one into the other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from evac.i18n import N_

COLUMN_WORDS: dict[str, str] = {
    "reference": N_("Reference"),
    "external_reference": N_("List id"),
    "status": N_("Status"),
    "country": N_("Country"),
    "city": N_("City"),
    "priority_tier": N_("Priority tier"),
    "registered_at": N_("Registered (UTC)"),
    "family_name": N_("Family name"),
    "given_name": N_("Given names"),
    "date_of_birth": N_("Date of birth"),
    "sex": N_("Sex"),
    "nationality": N_("Nationality"),
    "citizen": N_("Citizen"),
    "document_type": N_("Type of travel document"),
    "document_number": N_("Document number"),
    "document_country": N_("Issuing country"),
    "document_expiry": N_("Expiry date"),
    "needs_stretcher": N_("Must lie on a stretcher"),
    "needs_wheelchair": N_("Uses a wheelchair"),
    "needs_oxygen": N_("Needs oxygen"),
    "medical_urgency": N_("Medical situation"),
    "pregnant": N_("Pregnant"),
    "phone": N_("Phone"),
    "email": N_("Email"),
    "flight_number": N_("Flight number"),
    "kind": N_("Kind"),
    "departure_airport": N_("Departure airport"),
    "destination_airport": N_("Destination airport"),
    "departure_time": N_("Departure (UTC)"),
    "seats": N_("Seats"),
    "seats_used": N_("Seats used"),
    "stretchers": N_("Stretchers"),
    "stretchers_used": N_("Stretchers used"),
    "citizens": N_("Citizens"),
    "third_country_nationals": N_("Third-country nationals"),
    "people": N_("People"),
    "households": N_("Households"),
    "countries_of_presence": N_("Countries they are in"),
    "boarded": N_("Boarded"),
    "arrived": N_("Arrived"),
    "stretcher": N_("Stretcher"),
    "passport_surname": N_("Surname in the passport"),
    "passport_given_names": N_("Given names in the passport"),
}


def column_headings(codes: Iterable[str], gettext: Callable[[str], str]) -> list[str]:
    """Each column's words in the reader's language; a code without words stays as it is."""
    return [gettext(COLUMN_WORDS[code]) if code in COLUMN_WORDS else code for code in codes]
