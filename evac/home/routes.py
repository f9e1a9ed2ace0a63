"""The landing page and the health check."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel, Field

from evac.db import ReadSessionDep
from evac.web.templating import render

router = APIRouter()


class HealthOut(BaseModel):
    status: str = Field(description="ok, or unavailable")
    database: str = Field(description="up, or down")


HEALTH_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"model": HealthOut, "description": "The database answers."},
    503: {"model": HealthOut, "description": "The database does not answer."},
}


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request) -> HTMLResponse:
    return render(request, "home/index.html")


@router.get(
    "/healthz",
    tags=["operations"],
    summary="200 when the database answers",
    response_model=None,
    responses=HEALTH_RESPONSES,
)
def healthz(session: ReadSessionDep) -> JSONResponse:
    try:
        session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        return JSONResponse({"status": "unavailable", "database": "down"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "up"})
