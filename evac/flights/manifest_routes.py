"""A flight's manifest page, and moving or offloading a household from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlmodel import select

from evac.cases.scope import get_readable_case
from evac.db import ReadSessionDep, SessionDep, utcnow
from evac.errors import InvalidInput, NotFound
from evac.flights.airport_list import matching_households
from evac.flights.deps import Protected
from evac.flights.documents import PassLayout, boarding_passes_pdf, manifest_pdf
from evac.flights.journey_legs import is_convoy, journey_of
from evac.flights.manifest import (
    MANIFEST_COLUMNS,
    build_manifest,
    manifest_csv_rows,
    paxlst_for,
)
from evac.flights.models import AIR_MODES, Flight, FlightStatus
from evac.flights.seating import move_household, offload_household
from evac.flights.service import get_readable_flight
from evac.flights.times import departure_times
from evac.i18n import N_
from evac.settings import get_settings
from evac.staff.deps import StaffDep
from evac.validation import DbId, SafeText
from evac.web.downloads import csv_download
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/manifests", include_in_schema=False)


@router.get("/{flight_id}", response_class=HTMLResponse)
def manifest_page(
    request: Request,
    session: ReadSessionDep,
    staff: StaffDep,
    flight_id: DbId,
    q: Annotated[SafeText, Query(max_length=100)] = "",
) -> HTMLResponse:
    """The whole manifest, or the households matching ``q`` (a name, a reference or a
    document number); the counts are always the whole flight's."""
    flight = get_readable_flight(session, staff, flight_id)
    manifest = build_manifest(session, flight, get_settings().home_country)
    q = q.strip()
    shown = manifest.households
    if q:
        found = matching_households(session, flight, q)
        shown = [h for h in manifest.households if h.case.id in found]
    others = session.exec(
        select(Flight)
        .where(
            Flight.country == flight.country,
            Flight.id != flight.id,
            Flight.status.in_([FlightStatus.planned, FlightStatus.open]),  # type: ignore[attr-defined]
            Flight.mode.in_(AIR_MODES),  # type: ignore[attr-defined]  # seats on other legs: #18
        )
        .order_by(Flight.departure_time)
    ).all()
    context = {
        "staff": staff,
        "manifest": manifest,
        "shown": shown,
        "q": q,
        "flight": flight,
        "local_departure": departure_times(flight).local,
        "other_flights": others,
        "convoy": is_convoy(flight),
        "flashes": pop_flashes(request),
    }
    return render(request, "flights/manifest.html", context)


@router.get("/{flight_id}/paxlst")
def manifest_paxlst(session: ReadSessionDep, staff: StaffDep, flight_id: DbId) -> Response:
    """The manifest as a UN/EDIFACT PAXLST message for the border authority."""
    flight = get_readable_flight(session, staff, flight_id)
    manifest = build_manifest(session, flight, get_settings().home_country)
    name = f"paxlst-{flight.flight_number}-{flight.departure_date}.edi"
    return Response(
        paxlst_for([manifest], generated_at=utcnow()),
        media_type="application/edifact",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/{flight_id}/manifest.pdf")
def manifest_pdf_download(
    request: Request, session: ReadSessionDep, staff: StaffDep, flight_id: DbId
) -> Response:
    """The printed manifest for the crew and the authorities, in the reader's language."""
    flight = get_readable_flight(session, staff, flight_id)
    manifest = build_manifest(session, flight, get_settings().home_country)
    name = f"manifest-{flight.flight_number}-{flight.departure_date}.pdf"
    return Response(
        manifest_pdf([manifest], utcnow(), request.state.language),
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/{flight_id}/boarding-passes/{reference}.pdf")
def boarding_passes_download(
    session: ReadSessionDep,
    staff: StaffDep,
    flight_id: DbId,
    reference: str,
    layout: PassLayout = PassLayout.household,
) -> Response:
    """A household's boarding passes, in their language and the home language:
    one page for the household, or ``?layout=tickets``, a ticket per passenger."""
    flight = get_readable_flight(session, staff, flight_id)
    case = get_readable_case(session, staff, reference)
    manifest = build_manifest(session, flight, get_settings().home_country)
    if not any(h.case.id == case.id for h in manifest.households):
        raise NotFound(N_("This household is not on this flight."))
    journey = journey_of(session, case, case.language)
    return Response(
        boarding_passes_pdf(case, manifest, case.language, layout, journey),
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="boarding-{case.reference}.pdf"'},
    )


@router.get("/{flight_id}/manifest.csv")
def manifest_csv(session: ReadSessionDep, staff: StaffDep, flight_id: DbId) -> StreamingResponse:
    flight = get_readable_flight(session, staff, flight_id)
    rows = manifest_csv_rows(session, [flight], get_settings().home_country)
    name = f"manifest-{flight.flight_number}-{flight.departure_date}.csv"
    return csv_download(name, MANIFEST_COLUMNS, rows)


@router.post("/{flight_id}/households", dependencies=Protected, response_model=None)
def change_household(
    request: Request,
    session: SessionDep,
    staff: StaffDep,
    flight_id: DbId,
    reference: Annotated[SafeText, Form(max_length=20)],
    action: Annotated[str, Form(pattern="^(offload|move)$")],
    target: Annotated[DbId | None, Form()] = None,
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    """Moving happens at once; offloading first shows whom and which flight, and once
    confirmed leads to the case page, which offers to seat the household again."""
    flight = get_readable_flight(session, staff, flight_id)
    case = get_readable_case(session, staff, reference)
    gettext = request_gettext(request)
    if action == "offload" and confirmed != "yes":
        context = {"staff": staff, "flight": flight, "case": case}
        return render(request, "flights/offload_confirm.html", context)
    response = RedirectResponse(f"/staff/manifests/{flight_id}", status_code=303)
    try:
        if action == "offload":
            offload_household(session, staff, flight, case)
            response = RedirectResponse(f"/staff/cases/{case.reference}", status_code=303)
            flash(response, gettext("%(reference)s offloaded.") % {"reference": case.reference})
        else:
            destination = get_readable_flight(session, staff, target or 0)
            move_household(session, staff, flight, case, destination)
            message = gettext("%(reference)s moved to %(flight)s.")
            flash(
                response,
                message % {"reference": case.reference, "flight": destination.flight_number},
            )
    except (InvalidInput, NotFound) as refused:
        flash(response, refused.render(gettext), kind="error")
    return response
