"""Printed documents: a flight's manifest for the crew, and boarding passes.

Both are HTML from Jinja templates turned into PDF by WeasyPrint, with the
system's DejaVu fonts, so Turkish (ğ ş ı İ) and Arabic names render and shape
correctly.

Boarding passes speak two languages: the passenger's and the home country's
(``EVAC_HOME_LANGUAGE``), since the staff at the airport and at home read the
second. They come as one compact page per household, or as ticket-sized
pages, one per passenger. Each passenger carries a QR code (segno) with the
reference and their place in the household. Given the household's journey
(``journey_legs``), a pass lists every leg in order: its mode, from and to with
the places' names, departure and arrival on each place's clocks, and the
meeting points in the passenger's language.

The manifest is landscape A4 in the reader's language, with each name in both
scripts (as typed and as in the passport), a tick box per passenger and lines
for the officer's and the captain's signatures. A bus or train leg's is a
convoy list instead, with a tick for each person getting on and one for getting off.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

import segno
from babel.dates import format_datetime

from evac.flights.journey_legs import JourneyLeg, is_convoy
from evac.flights.manifest import Manifest, Passenger
from evac.flights.times import departure_times
from evac.i18n import N_, get_translations, text_direction
from evac.i18n.labels import label_words
from evac.paths import TEMPLATES_DIR
from evac.registration.models import DocumentType, MedicalUrgency, Person, Registration, Sex
from evac.settings import SUPPORTED_LANGUAGES, get_settings
from evac.web.templating import templates


class PassLayout(StrEnum):
    """How boarding passes are printed: a page per household, or a ticket per passenger."""

    household = "household"
    tickets = "tickets"


# What a boarding pass says, by key; each in the passenger's and the home language.
PASS_WORDS = {
    "boarding_pass": N_("Boarding pass"),
    "passenger": N_("Passenger"),
    "passport_name": N_("Passport name"),
    "date_of_birth": N_("Date of birth"),
    "document": N_("Travel document"),
    "route": N_("Route"),
    "departure": N_("Departure"),
    "local_time": N_("local time"),
    "meeting_point": N_("Meeting point"),
    "reference": N_("Reference"),
    "place": N_("Place"),
    "seat": N_("seat"),
    "stretcher": N_("stretcher"),
    "household": N_("Household"),
    "on_time": N_("Come to the meeting point on time, with the documents you registered with."),
    "show_code": N_("Show this code or say the reference to consular staff."),
    "journey": N_("Your journey"),
    "leg": N_("Leg"),
    "arrival": N_("Arrival"),
    "whole_journey": N_("This pass is for every leg of the journey below, in this order."),
}
DOCUMENT_WORDS = {
    DocumentType.passport: N_("Passport"),
    DocumentType.identity_card: N_("National identity card"),
    DocumentType.emergency: N_("Emergency travel document (ETD)"),
    DocumentType.none: N_("No travel document"),
}
SEX_WORDS = {Sex.female: N_("Female"), Sex.male: N_("Male"), Sex.unspecified: N_("Unspecified (X)")}
URGENCY_WORDS = {
    MedicalUrgency.stable: N_("Stable, but needs care during the journey"),
    MedicalUrgency.urgent: N_("Urgent: needs treatment soon"),
    MedicalUrgency.critical: N_("Critical: life-threatening"),
}
DEPARTURE_FORMAT = "EEEE d MMMM y, HH:mm"


@dataclass(frozen=True)
class Words:
    """Translations of one language, and how its text runs."""

    language: str
    gettext: Callable[[str], str]
    direction: str

    @classmethod
    def of(cls, language: str) -> Words:
        return cls(language, get_translations(language).gettext, text_direction(language))


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    language = context.get("lang", "en")
    html = templates.get_template(template).render(
        {
            **context,
            "translations": get_translations(language),
            "dir": text_direction(language),
            "lang": language,
            # "from → to" reads from the right in Arabic: the arrow points the way it is read.
            "arrow": "←" if text_direction(language) == "rtl" else "→",
        }
    )
    # Imported here: WeasyPrint takes a second to load, which every worker and
    # command would pay at start-up for a PDF few of them draw.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()


def qr_payload(case: Registration, passenger: Passenger) -> str:
    """What a boarding pass's QR code says: "REFERENCE/position" (1-based)."""
    return f"{case.reference}/{passenger.person.position + 1}"


def _departure(manifest: Manifest) -> dict[str, Any]:
    """Where and when the leg leaves, on that place's clocks (an airport's, a port's…)."""
    flight, place = manifest.flight, manifest.departure_place
    local: datetime = departure_times(flight).local
    return {"airport": place, "local": local, "zone": local.strftime("%Z")}


def document_words(person: Person) -> str:
    """The kind of the person's travel document, as a message to translate."""
    return DOCUMENT_WORDS.get(DocumentType(person.document_type), DOCUMENT_WORDS[DocumentType.none])


def has_document(person: Person) -> bool:
    return person.document_type != DocumentType.none and bool(person.document_number)


def medical_words(person: Person) -> list[str]:
    """The person's needs on board, as messages to translate."""
    needs = [
        (person.needs_stretcher, N_("Stretcher")),
        (person.needs_wheelchair, N_("Wheelchair")),
        (person.needs_oxygen, N_("Oxygen")),
        (person.pregnant, N_("Pregnant")),
    ]
    words = [message for needed, message in needs if needed]
    urgency = URGENCY_WORDS.get(MedicalUrgency(person.medical_urgency))
    return [*words, urgency] if urgency else words


def manifest_pdf(manifests: list[Manifest], generated_at: datetime, language: str = "en") -> bytes:
    """The manifests for crews and authorities, each flight starting a new page."""
    sheets = [
        {
            "manifest": m,
            "flight": m.flight,
            "departure": _departure(m),
            "convoy": is_convoy(m.flight),
        }
        for m in manifests
    ]
    context = {
        "sheets": sheets,
        "generated_at": generated_at,
        "lang": language,
        "sex_words": SEX_WORDS,
        "document_words": document_words,
        "has_document": has_document,
        "medical_words": medical_words,
    }
    return _pdf("documents/manifest.html", context)


def _in_both(primary: Words, home: Words | None) -> Callable[[str], tuple[str, str | None]]:
    """``message`` -> (in the passenger's language, in the home language or None)."""

    def both(message: str) -> tuple[str, str | None]:
        return primary.gettext(message), home.gettext(message) if home else None

    return both


def _when(local: datetime, primary: Words, home: Words | None) -> tuple[str, str | None]:
    """The departure in the words of each language, with the airport's time zone."""

    def spoken(words: Words) -> str:
        return f"{format_datetime(local, DEPARTURE_FORMAT, locale=words.language)} {local:%Z}"

    return spoken(primary), spoken(home) if home else None


def boarding_passes_pdf(
    case: Registration,
    manifest: Manifest,
    language: str,
    layout: PassLayout = PassLayout.household,
    journey: Sequence[JourneyLeg] = (),
) -> bytes:
    """The household's boarding passes on the manifest's flight, listing every leg
    of its ``journey`` (read in ``language``: ``journey_legs.read_journey``).

    ``household``: one compact page for everyone; ``tickets``: one ticket-sized
    page per passenger. Every label is in ``language`` and, below it, in the
    home language when that is another one.
    """
    language = language if language in SUPPORTED_LANGUAGES else "en"
    home_language = get_settings().home_language
    second = home_language in SUPPORTED_LANGUAGES and home_language != language
    primary = Words.of(language)
    home = Words.of(home_language) if second else None
    passengers = [p for h in manifest.households if h.case.id == case.id for p in h.passengers]
    scale = 4 if layout is PassLayout.tickets else 3
    passes = [
        {
            "passenger": p,
            "qr": segno.make(qr_payload(case, p), error="m").svg_data_uri(scale=scale),
        }
        for p in passengers
    ]
    departure = _departure(manifest)
    context = {
        "case": case,
        "flight": manifest.flight,
        "departure": departure,
        "when": _when(departure["local"], primary, home),
        "passes": passes,
        "layout": layout.value,
        "lang": language,
        "home": home,
        "both": _in_both(primary, home),
        "journey": list(journey),
        "mode_words": lambda leg: label_words("leg_mode", leg.mode),
        "words": PASS_WORDS,
        "document_words": document_words,
        "has_document": has_document,
    }
    return _pdf("documents/boarding_pass.html", context)
