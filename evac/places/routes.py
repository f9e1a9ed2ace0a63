"""Place pages: coordinators record, change and delete places; officers read theirs.

A place is deleted only when no leg uses it, and only after a confirmation page
that names it (the delete cannot be undone).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from babel.support import NullTranslations
from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from evac.db import ReadSessionDep, SessionDep
from evac.errors import Conflict, EvacError, InvalidFields, InvalidInput
from evac.i18n import N_, get_translations
from evac.places.deps import Coordinator, PlaceReader, parse_place_query
from evac.places.models import Place, PlaceKind
from evac.places.schemas import PLACE_FIELDS, parse_place
from evac.places.service import (
    DuplicatePlace,
    PlaceQuery,
    create_place,
    delete_place,
    effective_reach_km,
    get_readable_place,
    legs_using,
    list_places,
    update_place,
)
from evac.staff.auth import StaffContext
from evac.staff.deps import verify_csrf
from evac.validation import RowVersion, SafeText
from evac.web.flash import flash, pop_flashes
from evac.web.templating import render

router = APIRouter(prefix="/staff/places", include_in_schema=False)
Protected = [Depends(verify_csrf)]
Code = Annotated[SafeText, Path(max_length=12)]


def place_form(
    place_code: Annotated[str, Form(alias="code", max_length=100)] = "",
    kind: Annotated[str, Form(max_length=30)] = "",
    name: Annotated[str, Form(max_length=1000)] = "",
    country: Annotated[str, Form(max_length=20)] = "",
    latitude: Annotated[str, Form(max_length=40)] = "",
    longitude: Annotated[str, Form(max_length=40)] = "",
    reach_km: Annotated[str, Form(max_length=40)] = "",
) -> dict[str, str]:
    """The posted fields, kept as typed so that a refused form shows them again."""
    return {
        "code": place_code,
        "kind": kind,
        "name": name,
        "country": country,
        "latitude": latitude,
        "longitude": longitude,
        "reach_km": reach_km,
    }


PlaceForm = Annotated[dict[str, str], Depends(place_form)]


def _translations(request: Request) -> NullTranslations:
    return get_translations(request.state.language)


@router.get("", response_class=HTMLResponse)
def place_list(
    request: Request,
    session: ReadSessionDep,
    staff: PlaceReader,
    query: Annotated[PlaceQuery, Depends(parse_place_query)],
) -> HTMLResponse:
    result = list_places(session, staff, query)
    params = {k: v for k, v in request.query_params.items() if k != "page" and v}
    settings = request.app.state.settings
    context = {
        "staff": staff,
        "query": query,
        "result": result,
        "countries": staff.country_choices(request.state.language),
        "kinds": list(PlaceKind),
        "reach": lambda place: effective_reach_km(place, settings),
        "page_link": lambda page: "?" + urlencode({**params, "page": page}),
        "flashes": pop_flashes(request),
    }
    return render(request, "places/list.html", context)


def _form_page(
    request: Request,
    staff: StaffContext,
    values: dict[str, str],
    *,
    place: Place | None = None,
    refused: EvacError | None = None,
    version: int | None = None,
) -> HTMLResponse:
    gettext = _translations(request).gettext
    errors: dict[str, str] = {}
    if isinstance(refused, InvalidFields):
        errors = refused.by_field(gettext)
    elif refused is not None:
        field = "code" if isinstance(refused, DuplicatePlace) else "form"
        errors = {field: refused.render(gettext)}
    settings = request.app.state.settings
    context = {
        "staff": staff,
        "place": place,
        "row_version": version if version is not None else getattr(place, "row_version", None),
        "values": values,
        "errors": errors,
        "kinds": list(PlaceKind),
        "airport_reach": settings.max_airport_distance_km,
        "local_reach": settings.local_reach_km,
        "flashes": pop_flashes(request),
    }
    status = refused.status_code if refused else 200
    return render(request, "places/form.html", context, status_code=status)


def _done(request: Request, message: str, **params: str) -> RedirectResponse:
    response = RedirectResponse("/staff/places", status_code=303)
    flash(response, _translations(request).gettext(message) % params)
    return response


@router.get("/new", response_class=HTMLResponse)
def new_place(request: Request, staff: Coordinator) -> HTMLResponse:
    return _form_page(request, staff, {"kind": PlaceKind.assembly_point})


@router.post("", dependencies=Protected, response_model=None)
def add_place(
    request: Request, session: SessionDep, staff: Coordinator, form: PlaceForm
) -> Response:
    try:
        place = create_place(session, parse_place(form), actor=staff.actor)
    except (InvalidInput, Conflict) as error:
        return _form_page(request, staff, form, refused=error)
    return _done(request, N_("Place %(code)s recorded."), code=place.code)


def _form_values(place: Place) -> dict[str, str]:
    return {
        name: "" if getattr(place, name) is None else str(getattr(place, name))
        for name in PLACE_FIELDS
    }


@router.get("/{code}/edit", response_class=HTMLResponse)
def edit_place(
    request: Request, session: ReadSessionDep, staff: Coordinator, code: Code
) -> HTMLResponse:
    place = get_readable_place(session, staff, code)
    return _form_page(request, staff, _form_values(place), place=place)


@router.post("/{code}", dependencies=Protected, response_model=None)
def change_place(
    request: Request,
    session: SessionDep,
    staff: Coordinator,
    code: Code,
    form: PlaceForm,
    row_version: Annotated[RowVersion, Form()],
) -> Response:
    place = get_readable_place(session, staff, code)
    changes = {name: value for name, value in form.items() if name != "code"}
    try:
        update_place(session, place, changes, expected_version=row_version, actor=staff.actor)
    except (InvalidInput, Conflict) as error:
        values = form | {"code": place.code}
        return _form_page(request, staff, values, place=place, refused=error, version=row_version)
    return _done(request, N_("Place %(code)s changed."), code=place.code)


def _delete_page(
    request: Request, session: Session, staff: StaffContext, place: Place
) -> HTMLResponse:
    context = {
        "staff": staff,
        "place": place,
        "legs": legs_using(session, place.code),
        "flashes": pop_flashes(request),
    }
    return render(request, "places/delete_confirm.html", context)


@router.get("/{code}/delete", response_class=HTMLResponse)
def ask_delete(
    request: Request, session: ReadSessionDep, staff: Coordinator, code: Code
) -> HTMLResponse:
    """What the delete will do (or why it cannot be done), before anything is deleted."""
    return _delete_page(request, session, staff, get_readable_place(session, staff, code))


@router.post("/{code}/delete", dependencies=Protected, response_model=None)
def delete(
    request: Request,
    session: SessionDep,
    staff: Coordinator,
    code: Code,
    row_version: Annotated[RowVersion, Form()],
    confirmed: Annotated[str, Form(max_length=3)] = "",
) -> Response:
    place = get_readable_place(session, staff, code)
    if confirmed != "yes":
        return _delete_page(request, session, staff, place)
    try:
        delete_place(session, place, expected_version=row_version, actor=staff.actor)
    except Conflict as refused:
        response = RedirectResponse(f"/staff/places/{place.code}/delete", status_code=303)
        flash(response, refused.render(_translations(request).gettext), kind="error")
        return response
    return _done(request, N_("Place %(code)s deleted."), code=code.upper())
