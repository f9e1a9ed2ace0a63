"""The ASGI application: composes the domains' routers, the web layer's
middleware and error pages, and the hooks by which domains shape them.

This is the one module that imports every domain's routes; ``evac/web`` itself
imports no domain (``tests/foundation/test_architecture.py``)."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.middleware.trustedhost import TrustedHostMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from evac import __version__
from evac.cases.api import router as cases_api_router
from evac.cases.import_routes import router as import_router
from evac.cases.routes import router as cases_router
from evac.errors import EvacError, InvalidInput
from evac.flights.api import router as flights_api_router
from evac.flights.checkin_routes import router as checkin_router
from evac.flights.closing_routes import router as closing_router
from evac.flights.manifest_routes import router as manifest_router
from evac.flights.routes import router as flights_router
from evac.flights.today_routes import router as today_router
from evac.geo.countries import country_name
from evac.geo.gazetteer import load_gazetteer
from evac.home.routes import router as home_router
from evac.logging_config import protect_access_log
from evac.notifications.broadcast_routes import router as broadcast_router
from evac.notifications.routes import router as outbox_router
from evac.paths import STATIC_DIR
from evac.places.api import router as places_api_router
from evac.places.routes import router as places_router
from evac.planning.routes import router as planning_router
from evac.registration.api import router as registration_api_router
from evac.registration.routes import redraw_refused_form
from evac.registration.routes import router as registration_router
from evac.registration.self_service import status_label
from evac.reports.dashboard_routes import router as dashboard_router
from evac.reports.export_routes import router as reports_router
from evac.reports.leg_routes import router as legs_map_router
from evac.settings import Settings, get_settings
from evac.staff.admin import router as admin_router
from evac.staff.deps import LoginRequired
from evac.staff.routes import login_url
from evac.staff.routes import router as staff_router
from evac.web.bodies import FormSizeLimitMiddleware
from evac.web.middleware import LanguageMiddleware, SecurityHeadersMiddleware
from evac.web.overload import (
    UNAVAILABLE_ERRORS,
    AdmissionMiddleware,
    database_unavailable,
    redraw_refused_forms,
    unavailable,
    wants_json,
)
from evac.web.templating import add_language_filter, render, request_gettext

logger = logging.getLogger(__name__)

# Swagger UI 5 (which reads FastAPI's OpenAPI 3.1) as fastapi-offline packs it, served
# from here: the pin in pyproject.toml chooses its version. docs.html starts it.
SWAGGER_UI_DIR = files("fastapi_offline") / "static"


def _error_response(request: Request, status: int, message: str, code: str) -> Response:
    if wants_json(request):
        return JSONResponse({"detail": message, "code": code}, status_code=status)
    context = {"status": status, "message": message}
    return render(request, "error.html", context, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(EvacError)
    async def _domain_error(request: Request, exc: EvacError) -> Response:
        if isinstance(exc, LoginRequired) and not wants_json(request):
            location = exc.location or login_url(request.url.path)
            return RedirectResponse(location, status_code=303)
        if isinstance(exc, InvalidInput) and wants_json(request):
            problems = exc.field_problems(request_gettext(request))
            return JSONResponse({"detail": problems, "code": exc.code}, status_code=422)
        message = exc.render(request_gettext(request))
        return _error_response(request, exc.status_code, message, exc.code)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> Response:
        detail = request_gettext(request)(str(exc.detail))
        response = _error_response(request, exc.status_code, detail, "http_error")
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"loc": list(error["loc"]), "msg": error["msg"], "type": error["type"]}
            for error in exc.errors()
        ]
        return JSONResponse({"detail": errors, "code": "invalid"}, status_code=422)

    async def _database_unavailable(request: Request, exc: Exception) -> Response:
        """A locked, restarting or saturated database: 503 and Retry-After, never a 500."""
        if not database_unavailable(exc):
            raise exc
        logger.warning("the database is unavailable (%s): answered 503", type(exc).__name__)
        return unavailable(request)

    for error_class in UNAVAILABLE_ERRORS:
        app.add_exception_handler(error_class, _database_unavailable)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """Load the city gazetteer in the background, so no registrant waits for it."""
    protect_access_log()
    threading.Thread(target=load_gazetteer, name="gazetteer-warmup", daemon=True).start()
    yield


def _install_middleware(app: FastAPI, settings: Settings) -> None:
    """The last one added runs first."""
    app.add_middleware(FormSizeLimitMiddleware)
    app.add_middleware(
        AdmissionMiddleware,
        limit=settings.max_concurrent_requests,
        timeout=settings.admission_timeout_seconds,
    )
    app.add_middleware(LanguageMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware)
    # zlib's default level: Starlette's 9 costs twice the CPU for 1% less.
    app.add_middleware(GZipMiddleware, minimum_size=1000, compresslevel=6)
    # Outside all of evac's own: a request for another host costs nothing.
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts), www_redirect=False
    )
    if settings.forwarded_allow_ips:
        # Outermost. The client address and scheme from X-Forwarded-For/-Proto, set
        # by these proxies only; without them the headers are ignored (evac serve
        # turns uvicorn's own handling off), so a forged one cannot escape a limit.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=list(settings.forwarded_allow_ips))


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    settings.require_safe_secret()
    app = FastAPI(
        title="evac",
        version=__version__,
        description="Citizen evacuation coordination: registration, planning, consular work.",
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.mount("/static/swagger-ui", StaticFiles(directory=SWAGGER_UI_DIR))
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(home_router)
    app.include_router(registration_router)
    app.include_router(registration_api_router)
    app.include_router(staff_router)
    app.include_router(admin_router)
    app.include_router(import_router)
    app.include_router(cases_router)
    app.include_router(today_router)
    app.include_router(cases_api_router)
    app.include_router(reports_router)
    app.include_router(dashboard_router)
    app.include_router(legs_map_router)
    app.include_router(planning_router)
    app.include_router(manifest_router)
    app.include_router(checkin_router)
    app.include_router(closing_router)
    app.include_router(flights_router)
    app.include_router(flights_api_router)
    app.include_router(places_router)
    app.include_router(places_api_router)
    app.include_router(outbox_router)
    app.include_router(broadcast_router)
    _install_error_handlers(app)
    _install_middleware(app, settings)
    redraw_refused_forms(app, redraw_refused_form)
    add_language_filter("country_name", country_name)
    add_language_filter("status_label", status_label)

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        return render(request, "docs.html")

    return app
