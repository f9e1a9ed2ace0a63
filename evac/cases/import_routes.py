"""Staff import an embassy's existing list from the browser, with the per-row report."""

from __future__ import annotations

import io
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse

from evac.cases.deps import CaseReader
from evac.csvfiles import ImportFileError, decode_csv
from evac.db import SessionDep, utc_today
from evac.registration.importer import HEADER, import_registrations
from evac.registration.places import geocode_for_registration
from evac.settings import get_settings
from evac.staff.deps import verify_csrf
from evac.web.templating import render, request_gettext

router = APIRouter(prefix="/staff/import", include_in_schema=False)
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@router.get("", response_class=HTMLResponse)
def import_page(request: Request, staff: CaseReader) -> HTMLResponse:
    return render(request, "cases/import.html", {"staff": staff, "header": ",".join(HEADER)})


@router.post("", response_class=HTMLResponse, dependencies=[Depends(verify_csrf)])
async def import_upload(
    request: Request,
    session: SessionDep,
    staff: CaseReader,
    file: Annotated[UploadFile, File()],
    dry_run: Annotated[bool, Form()] = False,
) -> HTMLResponse:
    context: dict[str, object] = {"staff": staff, "header": ",".join(HEADER)}
    raw = await file.read(MAX_UPLOAD_BYTES + 1)
    gettext = request_gettext(request)
    try:
        if len(raw) > MAX_UPLOAD_BYTES:
            raise ImportFileError("The file is larger than 20 MB; split it and import each part.")
        report = import_registrations(
            session,
            io.StringIO(decode_csv(raw), newline=""),
            dry_run=dry_run,
            today=utc_today(),
            home_country=get_settings().home_country,
            geocode=geocode_for_registration,
            actor=staff.actor,
            language=request.state.language,
            allowed_countries=None if staff.sees_all_countries else staff.countries,
        )
    except ImportFileError as error:
        context["error"] = error.render(gettext)
        return render(request, "cases/import.html", context, status_code=422)
    context["report"] = report
    return render(request, "cases/import.html", context)
