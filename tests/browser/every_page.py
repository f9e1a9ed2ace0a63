"""Every page of evac, for the sweeps that check them all (accessibility, phone
and desktop screenshots in Turkish and Arabic).

A page is one GET route that answers HTML. ``PAGES`` says how to reach each one
from the data ``seed`` puts in the live server's database, and who signs in;
``NOT_PAGES`` lists the GET routes that answer something else, with why.
``test_every_get_route_is_a_page_or_says_why_not`` fails for a route in neither
list, so a new page cannot escape the sweeps.

To add a page: append a ``Page`` to ``PAGES`` with the route exactly as the app
declares it, the URL to open (``{reference}``, ``{token}``, ``{flight}``… are
filled from ``World``; add what a new page needs to ``seed``), who signs in
(``None``, ``COORDINATOR``, ``OFFICER`` or ``ADMIN``) and a short file name for its screenshots.
A page that a form's answer shows (errors, a confirmation) is opened, then the
``submit`` button pressed; an error page gives the ``status`` it answers with.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from fastapi.routing import APIRoute
from playwright.sync_api import Browser
from playwright.sync_api import Page as PlaywrightPage
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.audit.service import REGISTRANT, SYSTEM
from evac.cases.import_jobs import run_import, store_import
from evac.flights.models import FlightStatus
from evac.jobs.runner import run_job
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.places.schemas import parse_place
from evac.places.service import create_place
from evac.planning.service import commit_plan
from evac.registration.importer import HEADER
from evac.registration.schemas import RegistrationIn
from evac.registration.seat_links import seat_pass
from evac.registration.service import register_household
from evac.staff.auth import StaffContext
from evac.staff.models import Role
from tests.browser.conftest import _context
from tests.factories import (
    DOCUMENT_EXPIRY,
    PASSWORD,
    TODAY,
    leg_row,
    make_mission,
    make_staff,
    member,
    registration_payload,
    verify,
)

COORDINATOR = "sweep-coordinator"
ADMIN = "sweep-admin"
OFFICER = "sweep-officer"
COUNTRY = "MA"  # no other browser test seeds Morocco
CASABLANCA = {"city": "Casablanca", "position": (33.57, -7.59)}
CASABLANCA_PORT = {
    "code": "CMN-PORT",
    "kind": "seaport",
    "name": "Port de Casablanca",
    "country": COUNTRY,
    "latitude": "33.61",
    "longitude": "-7.61",
}


@dataclass(frozen=True)
class Page:
    route: str  # the path as the app declares it
    url: str  # what the browser opens, filled from World
    role: str | None  # the account that signs in; None for a public page
    name: str  # the screenshots' file name
    status: int = 200  # what the URL answers (an error page answers 404)
    submit: str | None = None  # a button to press first: the page a form's answer shows
    fill: tuple[tuple[str, str], ...] = ()  # fields (selector, value) typed before it
    check: tuple[str, ...] = ()  # boxes ticked before it

    @property
    def staff(self) -> bool:
        return self.route.startswith("/staff")

    def address(self, world: World) -> str:
        return self.url.format(**asdict(world))


@dataclass(frozen=True)
class World:
    """What the pages' path parameters are filled with."""

    reference: str
    token: str
    seat: str
    other: str
    family: str  # deferred, never seated: can still be split
    officer: int  # the officer's account id
    flight: int
    job: int
    place: str  # a seaport in Morocco no leg uses


C, A = COORDINATOR, ADMIN
PAGES: tuple[Page, ...] = (
    Page("/", "/", None, "home"),
    Page("/register", "/register", None, "register"),
    Page("/register", "/register", None, "register-errors", submit=".button.primary.large"),
    Page("/r/lost", "/r/lost", None, "lost-link"),
    Page("/r/lost", "/r/lost", None, "lost-link-errors", submit=".button.primary"),
    Page("/r/{reference}", "/r/AAAA-AAAA?t=wrong", None, "not-found", status=404),
    Page("/r/{reference}", "/r/{reference}?t={token}", None, "case"),
    Page("/r/{reference}/contact", "/r/{reference}/contact?t={token}", None, "case-contact"),
    Page("/r/{reference}/location", "/r/{reference}/location?t={token}", None, "case-location"),
    Page("/r/{reference}/members/new", "/r/{reference}/members/new?t={token}", None, "case-add"),
    Page(
        "/r/{reference}/members/{position}/edit",
        "/r/{reference}/members/0/edit?t={token}",
        None,
        "case-edit-member",
    ),
    Page(
        "/r/{reference}/members/{position}/remove",
        "/r/{reference}/members/1/remove?t={token}",
        None,
        "case-remove-member",
    ),
    Page("/r/{reference}/seat", "/r/{reference}/seat?s={seat}", None, "seat"),
    Page("/r/{reference}/withdraw", "/r/{reference}/withdraw?t={token}", None, "case-withdraw"),
    Page("/r/{reference}/decline", "/r/{reference}/decline?t={token}", None, "case-decline"),
    Page("/staff/login", "/staff/login", None, "staff-login"),
    Page(
        "/staff/login",
        "/staff/login",
        None,
        "staff-login-error",
        submit="form .primary",
        # a new name each time: five failures on one name lock it out
        fill=(("#username", "nobody-{attempt}"), ("#password", "wrong password")),
    ),
    Page("/staff/today", "/staff/today", OFFICER, "staff-today"),
    Page("/staff/dashboard", "/staff/dashboard", C, "staff-dashboard"),
    Page(
        "/staff/dashboard/countries/{code}",
        f"/staff/dashboard/countries/{COUNTRY}",
        C,
        "staff-country",
    ),
    Page("/staff/legs/map", f"/staff/legs/map?country={COUNTRY}", C, "staff-legs-map"),
    Page("/staff/legs/map", "/staff/legs/map", OFFICER, "staff-legs-map-officer"),
    Page("/staff/cases", "/staff/cases", C, "staff-cases"),
    Page("/staff/cases/{reference}", "/staff/cases/{reference}", C, "staff-case"),
    Page(
        "/staff/cases/{reference}",
        "/staff/cases/{family}",
        C,
        "staff-split-warning",  # the adult leaves, the child would stay alone: asks first
        submit="#split button[type=submit]",
        fill=(("#split-reason", "Travels with her employer"),),
        check=("#split input[name=person_ids] >> nth=0",),
    ),
    # Nobody here was left behind on the way: the page says so (the journeys offered
    # to someone who was are swept by test_onward_travel.py, in Arabic on a phone).
    Page("/staff/cases/{reference}/onward", "/staff/cases/{reference}/onward", C, "staff-onward"),
    Page(
        "/staff/cases/{reference}/people/{position}/edit",
        "/staff/cases/{reference}/people/0/edit",
        C,
        "staff-person-edit",
    ),
    Page(
        "/staff/cases/{reference}/merge",
        "/staff/cases/{other}/merge?other={reference}",
        C,
        "staff-merge-compare",
    ),
    Page(
        "/staff/cases/{reference}/merge/review",
        "/staff/cases/{other}/merge/review?other={reference}&survivor={reference}",
        C,
        "staff-merge-review",
    ),
    Page("/staff/import", "/staff/import", C, "staff-import"),
    Page("/staff/import/jobs/{job_id}", "/staff/import/jobs/{job}", C, "staff-import-job"),
    Page("/staff/flights", "/staff/flights", C, "staff-flights"),
    Page("/staff/flights/new", "/staff/flights/new", C, "staff-flight-new"),
    Page("/staff/flights/airports", "/staff/flights/airports?q=Casablanca", C, "staff-airports"),
    Page(
        "/staff/flights/{flight_id}/meeting",
        "/staff/flights/{flight}/meeting",
        C,
        "staff-flight-meeting",
    ),
    Page("/staff/flights/{flight_id}", "/staff/flights/{flight}", C, "staff-flight"),
    Page("/staff/flights/{flight_id}", "/staff/flights/999999", C, "staff-not-found", status=404),
    Page("/staff/flights/{flight_id}/edit", "/staff/flights/{flight}/edit", C, "staff-flight-edit"),
    Page("/staff/manifests/{flight_id}", "/staff/manifests/{flight}", C, "staff-manifest"),
    Page("/staff/checkin/{flight_id}", "/staff/checkin/{flight}", C, "staff-checkin"),
    Page(
        "/staff/checkin/{flight_id}/{step}",
        "/staff/checkin/{flight}/close",
        C,
        "staff-checkin-close",
    ),
    Page(
        "/staff/checkin/{flight_id}/{step}",
        "/staff/checkin/{flight}/depart",
        C,
        "staff-checkin-depart",
    ),
    Page("/staff/places", "/staff/places", C, "staff-places"),
    Page("/staff/places/new", "/staff/places/new", C, "staff-place-new"),
    Page("/staff/places", "/staff/places/new", C, "staff-place-errors", submit="form .primary"),
    Page("/staff/places/{code}/edit", "/staff/places/{place}/edit", C, "staff-place-edit"),
    Page("/staff/places/{code}/delete", "/staff/places/{place}/delete", C, "staff-place-delete"),
    Page("/staff/plan", f"/staff/plan?country={COUNTRY}", C, "staff-plan"),
    Page("/staff/broadcasts", "/staff/broadcasts", C, "staff-broadcasts"),
    Page("/staff/outbox", "/staff/outbox", C, "staff-outbox"),
    Page("/staff/reports", "/staff/reports", C, "staff-reports"),
    Page("/staff/tokens", "/staff/tokens", C, "staff-tokens"),
    Page("/staff/password", "/staff/password", C, "staff-password"),
    Page("/staff/admin", "/staff/admin", A, "staff-admin"),
    Page("/staff/admin/users/{user_id}", "/staff/admin/users/{officer}", A, "staff-account"),
)

NOT_PAGES: dict[str, str] = {
    "/staff": "redirects to the signed-in person's first page",
    # Swagger UI, for API clients: a third party's markup, which axe faults (contrast,
    # nested buttons, small targets). test_api_docs.py opens it in Chromium.
    "/docs": "Swagger UI for API clients, drawn by a third party's script",
    "/healthz": "JSON for load balancers",
    "/api/v1/cases": "JSON API",
    "/api/v1/cases/{reference}": "JSON API",
    "/api/v1/flights": "JSON API",
    "/api/v1/flights/{flight_id}": "JSON API",
    "/api/v1/places/cities": "JSON for the city search",
    "/api/v1/transport-places": "JSON API",
    "/api/v1/transport-places/{code}": "JSON API",
    "/api/v1/places/nearest": 'JSON for the form\'s "use my location"',
    "/api/v1/registrations/{reference}": "JSON API",
    "/r/{reference}/boarding-passes.pdf": "PDF",
    "/staff/cases/export.csv": "CSV",
    "/staff/manifests/{flight_id}/manifest.csv": "CSV",
    "/staff/manifests/{flight_id}/manifest.pdf": "PDF",
    "/staff/manifests/{flight_id}/paxlst": "UN/EDIFACT PAXLST text",
    "/staff/manifests/{flight_id}/boarding-passes/{reference}.pdf": "PDF",
    "/staff/reports/{name}.{fmt}": "CSV and XLSX reports",
}

STAFF_PAGES = tuple(page for page in PAGES if page.staff)


def get_routes(app: FastAPI) -> Iterator[str]:
    """The path of every GET route the app serves, through included routers."""

    def walk(routes: list[Any], prefix: str) -> Iterator[str]:
        for route in routes:
            if isinstance(route, APIRoute):
                if "GET" in route.methods:
                    yield prefix + route.path
            elif hasattr(route, "original_router"):  # a router included into another
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)

    yield from walk(app.router.routes, "")


@functools.cache
def seed(engine: Engine) -> World:
    """A household of two with a seat on a flight from Casablanca, its duplicate, a
    deferred mother and child, an import report, a coordinator, an officer
    in Rabat and an administrator; once per live database."""
    with Session(engine, expire_on_commit=False) as session:
        make_mission(session, "TR-EMB-RABAT", [COUNTRY])
        coordinator = make_staff(session, COORDINATOR, Role.coordinator)
        make_staff(session, ADMIN, Role.admin)
        officer = make_staff(session, OFFICER, Role.officer, ["TR-EMB-RABAT"])
        people = [
            member("Zeynep", "Aksoy", born="1979-04-12", needs_wheelchair=True),
            member(
                "يوسف",
                "العلوي",
                nationality="MA",
                born="2015-09-30",
                passport_surname="ALAOUI",
                passport_given_names="YOUSSEF",
            ),
        ]
        household = _register(session, [people[0], people[1]])
        duplicate = _register(session, [member("Zeynep", "Aksoy", born="1979-04-12")])
        case = household.case(session)
        verify(session, case)
        departure = datetime.now(UTC) + timedelta(days=2)
        flight = leg_row(
            session,
            flight_number="TK618",
            kind="regular",
            departure_airport="CMN",
            destination_airport="IST",
            country=COUNTRY,
            departure_time=departure,
            departure_date=departure.date(),
            seats=150,
            status=FlightStatus.open,
            meeting_point="Terminal 1, gate 4",
        )
        session.add(flight)
        session.commit()
        commit_plan(session, actor="planner", country=COUNTRY)
        session.refresh(case)
        family = _register(
            session,
            [member("Selin", "Kaya", born="1986-01-20"), member("Ali", "Kaya", born="2018-06-01")],
        )
        # Deferred: no plan that another test commits seats it, so it can still be split.
        lifecycle.apply(session, family.case(session), Action.defer, actor=SYSTEM)
        session.commit()
        job = _dry_run_import(session, engine, coordinator.id)  # type: ignore[arg-type]
        place = create_place(session, parse_place(CASABLANCA_PORT), actor=SYSTEM)
        return World(
            reference=case.reference,
            token=household.access_token,
            seat=seat_pass(case.id, case.access_token_hash, flight.id),  # type: ignore[arg-type]
            other=duplicate.reference,
            family=family.reference,
            officer=officer.id,  # type: ignore[arg-type]
            flight=flight.id,  # type: ignore[arg-type]
            job=job,
            place=place.code,
        )


def _register(session: Session, people: list[dict[str, object]]) -> Any:
    payload = registration_payload(COUNTRY, people, CASABLANCA["city"], CASABLANCA["position"])  # type: ignore[arg-type]
    payload["contact"] = {"phone": "+212 522 27 32 24", "email": "aksoy@example.org"}
    data = RegistrationIn.model_validate(payload)
    return register_household(session, data, actor=REGISTRANT, today=TODAY)


def _dry_run_import(session: Session, engine: Engine, user_id: int) -> int:
    staff = StaffContext(
        user_id=user_id,
        username=COORDINATOR,
        role=Role.coordinator,
        mission_ids=(),
        countries=(),
        csrf_token="",
    )
    row = (
        f"RBA-1,Emre,Kaya,1990-02-02,M,TR,P,U77009876,TR,{DOCUMENT_EXPIRY},+212 537 76 14 54,,"
        f"{COUNTRY},Rabat,34.02,-6.84,no,no,no,none,no,"
    )
    raw = (",".join(HEADER) + "\n" + row + "\n").encode()
    job = store_import(session, staff, raw, dry_run=True, language="en")
    run_job(job.id, run_import, lambda: Session(engine, expire_on_commit=False))  # type: ignore[arg-type]
    return job.id  # type: ignore[return-value]


LOCALES = {"en": "en-GB", "tr": "tr-TR", "fr": "fr-FR", "ar": "ar"}


class Visitors:
    """One browser tab per language and account, signed in once and reused by every
    page of a sweep (a fresh context per page would sign in hundreds of times)."""

    def __init__(self, browser: Browser, live_server: str) -> None:
        self._browser, self._live_server = browser, live_server
        self._tabs: dict[tuple[str, str | None], PlaywrightPage] = {}
        self._attempts = itertools.count(1)

    def tab(self, language: str, role: str | None) -> PlaywrightPage:
        key = (language, role)
        if key not in self._tabs:
            # bypass_csp: axe-core is injected as an inline script.
            context = _context(
                self._browser, self._live_server, locale=LOCALES[language], bypass_csp=True
            )
            tab = context.new_page()
            if role is not None:
                tab.goto("/staff/login")
                tab.locator("#username").fill(role)
                tab.locator("#password").fill(PASSWORD)
                tab.locator("form button[type=submit]").click()
                tab.wait_for_url(lambda url: "/staff/login" not in url)
            self._tabs[key] = tab
        return self._tabs[key]

    def open(self, page: Page, world: World, language: str, width: int) -> PlaywrightPage:
        """``page`` in a signed-in tab ``width`` CSS pixels wide; fails unless it answers 200."""
        tab = self.tab(language, page.role)
        tab.set_viewport_size({"width": width, "height": 800})
        response = tab.goto(page.address(world))
        assert response is not None and response.status == page.status, (page.route, response)
        if page.submit:
            for selector, value in page.fill:
                tab.locator(selector).fill(value.format(attempt=next(self._attempts)))
            for selector in page.check:
                tab.locator(selector).check()
            with tab.expect_navigation():
                tab.locator(page.submit).click()
        return tab

    def close(self) -> None:
        for tab in self._tabs.values():
            tab.context.close()
