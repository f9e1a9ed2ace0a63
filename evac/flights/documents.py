"""Printed documents: a flight's manifest for the crew, and boarding passes.

Both are HTML from Jinja templates turned into PDF by WeasyPrint, with the
system's DejaVu fonts, so Turkish (ğ ş ı İ) and Arabic names render and shape
correctly. Boarding passes speak the passenger's language and carry a QR code
(segno) with the reference and the passenger's place in the household.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import segno

from evac.flights.manifest import Manifest, Passenger
from evac.flights.models import Flight
from evac.geo.airports import get_airport, local_time
from evac.i18n import get_translations, text_direction
from evac.paths import TEMPLATES_DIR
from evac.registration.models import Registration
from evac.web.templating import templates


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    language = context.get("lang", "en")
    html = templates.get_template(template).render(
        {
            **context,
            "translations": get_translations(language),
            "dir": text_direction(language),
            "lang": language,
        }
    )
    # Imported here: WeasyPrint takes a second to load, which every worker and
    # command would pay at start-up for a PDF few of them draw.
    from weasyprint import HTML

    return HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf()


def qr_payload(case: Registration, passenger: Passenger) -> str:
    """What a boarding pass's QR code says: "REFERENCE/position" (1-based)."""
    return f"{case.reference}/{passenger.person.position + 1}"


def _departure(flight: Flight) -> dict[str, Any]:
    airport = get_airport(flight.departure_airport)
    local: datetime = local_time(flight.departure_airport, flight.departure_time)
    return {"airport": airport, "local": local}


def manifest_pdf(manifests: list[Manifest], generated_at: datetime) -> bytes:
    """The manifests for crews and authorities, each flight starting a new page."""
    sheets = [
        {"manifest": m, "flight": m.flight, "departure": _departure(m.flight)} for m in manifests
    ]
    context = {"sheets": sheets, "generated_at": generated_at, "lang": "en"}
    return _pdf("documents/manifest.html", context)


def boarding_passes_pdf(case: Registration, manifest: Manifest, language: str) -> bytes:
    """One page per passenger of this household on the manifest's flight."""
    passengers = [p for h in manifest.households if h.case.id == case.id for p in h.passengers]
    passes = [
        {
            "passenger": p,
            "qr": segno.make(qr_payload(case, p), error="m").svg_data_uri(scale=4),
        }
        for p in passengers
    ]
    context = {
        "case": case,
        "flight": manifest.flight,
        "departure": _departure(manifest.flight),
        "passes": passes,
        "lang": language,
    }
    return _pdf("documents/boarding_pass.html", context)
