"""Public registration is rate limited per address, with state in the database."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac import migrations
from evac.app import create_app
from evac.db import create_db_engine, get_session
from evac.registration.models import Registration
from evac.settings import get_settings
from evac.web.models import RateLimitWindow
from evac.web.ratelimit import REGISTRATION_BUCKET, hit
from tests.factories import member, registration_payload
from tests.registration.test_form import HTML, form_data, person

LIMIT = 3
NOW = datetime(2026, 11, 24, 12, 4, 30, tzinfo=UTC)


@pytest.fixture
def limited(session: Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    # One fixed instant: a test crossing a window's end would see its count restart.
    monkeypatch.setattr("evac.web.ratelimit.utcnow", lambda: NOW)
    settings = get_settings().model_copy(update={"registration_rate_per_ip": LIMIT})
    application = create_app(settings)
    application.dependency_overrides[get_session] = lambda: session
    with TestClient(application) as test_client:
        yield test_client


def _registrations(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Registration)).one()


def test_the_api_answers_429_with_retry_after_past_the_limit(
    limited: TestClient, session: Session
) -> None:
    for _ in range(LIMIT):
        payload = registration_payload(members=[member()])
        assert limited.post("/api/v1/registrations", json=payload).status_code == 201
    response = limited.post("/api/v1/registrations", json=registration_payload())
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert 1 <= int(response.headers["retry-after"]) <= 600
    assert _registrations(session) == LIMIT


def test_a_forged_forwarded_for_header_does_not_escape_the_limit(limited: TestClient) -> None:
    for number in range(LIMIT + 2):
        response = limited.post(
            "/api/v1/registrations",
            json=registration_payload(members=[member()]),
            headers={"X-Forwarded-For": f"203.0.113.{number}"},
        )
    assert response.status_code == 429


def test_the_form_over_the_limit_keeps_everything_typed_and_says_nothing_was_saved(
    limited: TestClient, session: Session
) -> None:
    for _ in range(LIMIT):
        response = limited.post("/register", data=form_data(), headers=HTML, follow_redirects=False)
        assert response.status_code == 303
    typed = form_data(person(given_name="Zeynep", family_name="Kaya"), city="Hamburg")
    response = limited.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert response.status_code == 429
    assert response.headers["retry-after"].isdigit()
    assert "Nothing was saved" in response.text
    assert 'value="Zeynep"' in response.text and 'value="Hamburg"' in response.text
    assert _registrations(session) == LIMIT


def test_a_retry_over_the_limit_still_gets_its_registration(
    limited: TestClient, session: Session
) -> None:
    payload = registration_payload(members=[member()])
    first = limited.post("/api/v1/registrations", json=payload, headers={"Idempotency-Key": "k1"})
    for _ in range(LIMIT - 1):
        other = registration_payload(members=[member()])
        assert limited.post("/api/v1/registrations", json=other).status_code == 201
    retry = limited.post("/api/v1/registrations", json=payload, headers={"Idempotency-Key": "k1"})
    assert retry.status_code == 201
    assert retry.json()["reference"] == first.json()["reference"]
    assert retry.headers["idempotent-replayed"] == "true"
    assert _registrations(session) == LIMIT


def test_a_form_with_errors_does_not_count(limited: TestClient) -> None:
    for _ in range(LIMIT * 2):
        wrong = form_data(person(date_of_birth="not a date"))
        response = limited.post("/register", data=wrong, headers=HTML)
        assert response.status_code == 422
    response = limited.post("/register", data=form_data(), headers=HTML, follow_redirects=False)
    assert response.status_code == 303


def test_adding_or_removing_a_member_does_not_count(limited: TestClient) -> None:
    for _ in range(LIMIT * 3):
        response = limited.post("/register", data=form_data(action="add"), headers=HTML)
        assert response.status_code == 200
    response = limited.post("/register", data=form_data(), headers=HTML, follow_redirects=False)
    assert response.status_code == 303


def test_an_oversized_form_is_refused_before_it_is_parsed(limited: TestClient) -> None:
    response = limited.post("/register", data=form_data(address="x" * 400_000), headers=HTML)
    assert response.status_code == 413


def test_counts_are_per_address_and_per_window(session: Session) -> None:
    def count(client: str, now: datetime) -> int:
        verdict = hit(session, "test", client, now=now, limit=2, window_seconds=600)
        return verdict.count

    assert [count("192.0.2.1", NOW) for _ in range(3)] == [1, 2, 3]
    assert count("2001:db8::1", NOW) == 1
    assert count("192.0.2.1", NOW + timedelta(minutes=6)) == 1  # next window: 12:10
    verdict = hit(session, "test", "192.0.2.9", now=NOW, limit=0, window_seconds=600)
    assert not verdict.allowed and verdict.retry_after == 330


def test_windows_older_than_a_day_are_purged(session: Session) -> None:
    hit(session, "test", "192.0.2.1", now=NOW - timedelta(days=2), limit=5, window_seconds=600)
    hit(session, "test", "192.0.2.2", now=NOW, limit=5, window_seconds=600)
    clients = session.exec(select(RateLimitWindow.client)).all()
    assert clients == ["192.0.2.2"]


def test_concurrent_workers_never_lose_a_count(fresh_database: str) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)

    def one_worker(_: int) -> int:
        with Session(engine) as worker_session:
            verdict = hit(
                worker_session,
                REGISTRATION_BUCKET,
                "198.51.100.7",
                now=NOW,
                limit=10,
                window_seconds=600,
            )
            return verdict.count

    try:
        with ThreadPoolExecutor(max_workers=8) as pool:
            counts = sorted(pool.map(one_worker, range(40)))
    finally:
        engine.dispose()
    assert counts == list(range(1, 41))
