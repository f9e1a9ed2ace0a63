"""Nothing with personal data or behind a login is kept by a browser or a proxy.

Staff pages, exports, manifests, PDFs, the API and the registrant's private
pages and seat links answer ``Cache-Control: no-store``; static files and the
city suggestions (no personal data) stay cacheable.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.planning.service import commit_plan
from evac.registration.models import Registration
from evac.registration.reference import normalize_reference
from evac.registration.seat_links import seat_pass, seat_path
from tests.factories import member, registration_payload, sign_in
from tests.planning_db.test_plan_commit import make_flight
from tests.security.conftest import new_api_token

pytestmark = pytest.mark.usefixtures("coordinator")

STAFF_PAGES = (
    "/staff",
    "/staff/login",
    "/staff/cases",
    "/staff/cases/{reference}",
    "/staff/cases/export.csv",
    "/staff/reports",
    "/staff/reports/cases.csv",
    "/staff/reports/cases.xlsx",
    "/staff/dashboard",
    "/staff/flights",
    "/staff/manifests/{flight}",
    "/staff/manifests/{flight}/manifest.csv",
    "/staff/manifests/{flight}/manifest.pdf",
    "/staff/manifests/{flight}/boarding-passes/{reference}.pdf",
    "/staff/outbox",
    "/staff/tokens",
    "/staff/no-such-page",
)
STAFF_API = ("/api/v1/cases", "/api/v1/cases/{reference}", "/api/v1/flights")
REGISTRANT_PAGES = (
    "/r/{reference}?t={token}",
    "/r/{reference}?t={token}&welcome=1",
    "/r/{reference}/contact?t={token}",
    "/r/{reference}/seat?s={seat}",
    "/r/lost",
    "/r/ABCD-EFGH?t=wrong",
)


@pytest.fixture
def seated(client: TestClient, session: Session) -> dict[str, object]:
    """A household registered through the API and seated on flight TK9."""
    payload = registration_payload(members=[member()])
    created = client.post("/api/v1/registrations", json=payload).json()
    flight = make_flight(session, "TK9", 10)
    commit_plan(session, actor="planner", country="DE")
    case = session.get(Registration, _case_id(session, created["reference"]))
    assert case is not None
    pass_ = seat_pass(case.id, case.access_token_hash, flight.id)  # type: ignore[arg-type]
    return {
        "reference": case.reference,
        "token": created["access_token"],
        "flight": flight.id,
        "seat": seat_path(case.reference, pass_).split("s=", 1)[1],
    }


def _case_id(session: Session, reference: str) -> int:
    statement = select(Registration.id).where(
        Registration.reference == normalize_reference(reference)
    )
    return session.exec(statement).one()  # type: ignore[return-value]


def _assert_not_stored(client: TestClient, url: str, **headers: str) -> None:
    response = client.get(url, headers=headers, follow_redirects=False)
    assert response.status_code < 500, (url, response.status_code)
    assert response.headers.get("cache-control") == "no-store", (url, response.status_code)


def test_staff_pages_exports_and_pdfs_are_never_stored(
    client: TestClient, seated: dict[str, object]
) -> None:
    sign_in(client, "center")
    for page in STAFF_PAGES:
        _assert_not_stored(client, page.format(**seated))


def test_a_staff_page_refused_without_login_is_never_stored(client: TestClient) -> None:
    _assert_not_stored(client, "/staff/cases")


def test_the_staff_api_is_never_stored(client: TestClient, seated: dict[str, object]) -> None:
    token = new_api_token(client, "center")
    for path in STAFF_API:
        _assert_not_stored(client, path.format(**seated), authorization=f"Bearer {token}")


def test_private_pages_and_seat_links_are_never_stored(
    client: TestClient, seated: dict[str, object]
) -> None:
    for page in REGISTRANT_PAGES:
        _assert_not_stored(client, page.format(**seated))
    bearer = f"Bearer {seated['token']}"
    _assert_not_stored(client, f"/api/v1/registrations/{seated['reference']}", authorization=bearer)


def test_static_files_and_city_suggestions_stay_cacheable(client: TestClient) -> None:
    static = client.get("/static/css/evac.css")
    cities = client.get("/api/v1/places/cities?q=Berlin&country=DE")
    assert static.status_code == 200 and "no-store" not in static.headers.get("cache-control", "")
    assert cities.status_code == 200 and "public" in cities.headers["cache-control"]
