"""A saturated server, a locked or exhausted database: a quick 503 with Retry-After,
the form shown again with what was typed, and nothing half saved."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac import db, migrations
from evac.app import create_app
from evac.db import create_db_engine, get_session
from evac.registration.reference import new_reference
from evac.settings import get_settings
from tests.databases import on_postgres
from tests.factories import member, registration_payload
from tests.registration.test_form import HTML, form_data, person


def _app(engine: sa.Engine | None = None, **settings: Any) -> FastAPI:
    application = create_app(get_settings().model_copy(update=settings))
    if engine is not None:

        def own_session() -> Iterator[Session]:
            with Session(engine, expire_on_commit=False) as db_session:
                yield db_session

        application.dependency_overrides[get_session] = own_session
    return application


def _count(engine: sa.Engine, table: str) -> int:
    with engine.connect() as connection:
        return connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()


@dataclass
class Saturated:
    """A server allowed one request at a time, whose one place is taken."""

    client: TestClient
    release: threading.Event
    first: list[Any]
    in_flight: threading.Thread

    def free_the_place(self) -> None:
        """Let the request holding the one place finish, and wait until it has."""
        self.release.set()
        self.in_flight.join(timeout=60)
        assert self.first, "the first request never finished"


@pytest.fixture
def saturated(session: Session) -> Iterator[Saturated]:
    application = _app(
        max_concurrent_requests=1, admission_timeout_seconds=0.2, registration_rate_per_ip=0
    )
    entered, release = threading.Event(), threading.Event()

    def held_session() -> Iterator[Session]:
        entered.set()
        release.wait(timeout=30)
        yield session

    application.dependency_overrides[get_session] = held_session
    first: list[Any] = []
    with TestClient(application) as client:
        payload = registration_payload(members=[member()])
        in_flight = threading.Thread(
            target=lambda: first.append(client.post("/api/v1/registrations", json=payload))
        )
        in_flight.start()
        assert entered.wait(timeout=10)
        try:
            yield Saturated(client, release, first, in_flight)
        finally:
            release.set()
            in_flight.join(timeout=30)
    assert first[0].status_code == 201


def test_an_overloaded_server_refuses_quickly_with_retry_after(saturated: Saturated) -> None:
    # The only place is held until `release`: a 503 here was not a wait for it.
    response = saturated.client.post("/api/v1/registrations", json=registration_payload())
    assert response.status_code == 503
    assert response.json()["code"] == "unavailable"
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["cache-control"] == "no-store"

    saturated.free_the_place()
    retried = saturated.client.post("/api/v1/registrations", json=registration_payload())
    assert retried.status_code == 201


def test_the_form_is_shown_again_with_what_was_typed_when_the_server_is_overloaded(
    saturated: Saturated,
) -> None:
    typed = form_data(person(given_name="Zeynep", family_name="Kaya"), city="Hamburg")
    response = saturated.client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    assert "Nothing was saved" in response.text
    assert 'value="Zeynep"' in response.text and 'value="Hamburg"' in response.text
    # The same one-time token: sending it again cannot register the household twice.
    assert f'name="form_token" value="{typed["form_token"]}"' in response.text


@pytest.fixture
def sqlite_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A migrated SQLite file whose writers give up on a lock after 0.2 s, not 15 s."""
    path = tmp_path / "evac.sqlite3"
    migration_engine = create_db_engine(f"sqlite:///{path}")
    migrations.upgrade(migration_engine)
    migration_engine.dispose()
    monkeypatch.setattr(db, "SQLITE_BUSY_TIMEOUT_MS", 200)
    yield path


@pytest.mark.parametrize("rate_limit", [0, 30], ids=["in-the-service", "in-the-rate-limit"])
@pytest.mark.parametrize("channel", ["api", "form"])
def test_a_locked_sqlite_database_becomes_a_503_not_a_500(
    sqlite_file: Path, channel: str, rate_limit: int
) -> None:
    engine = create_db_engine(f"sqlite:///{sqlite_file}")
    client = TestClient(_app(engine, registration_rate_per_ip=rate_limit))
    other_writer = sqlite3.connect(sqlite_file, isolation_level=None)
    other_writer.execute("BEGIN IMMEDIATE")
    try:
        if channel == "api":
            response = client.post("/api/v1/registrations", json=registration_payload())
        else:
            typed = form_data(person(given_name="Zeynep"))
            response = client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    finally:
        other_writer.execute("ROLLBACK")
        other_writer.close()
    assert response.status_code == 503
    assert int(response.headers["retry-after"]) > 0
    if channel == "api":
        assert response.json()["code"] == "unavailable"
    else:
        assert "Nothing was saved" in response.text and 'value="Zeynep"' in response.text
    assert _count(engine, "registration") == 0
    engine.dispose()


def test_an_exhausted_connection_pool_becomes_a_quick_503(sqlite_file: Path) -> None:
    engine = create_db_engine(f"sqlite:///{sqlite_file}", pool_timeout=0.3)
    held: list[sa.Connection] = []
    with pytest.raises(sa.exc.TimeoutError):
        while len(held) < 100:
            held.append(engine.connect())
    client = TestClient(_app(engine))
    try:  # every connection stays held: an answer at all means the request gave up
        api = client.post("/api/v1/registrations", json=registration_payload())
        page = client.get(f"/r/{new_reference()}?t=token", headers=HTML)
    finally:
        for connection in held:
            connection.close()
        engine.dispose()
    assert (api.status_code, api.json()["code"]) == (503, "unavailable")
    assert page.status_code == 503 and "retry-after" in page.headers
    assert "Service busy" in page.text


def test_a_registration_cut_off_before_its_commit_saves_nothing_and_can_be_sent_again(
    fresh_database: str,
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    cut_off = True
    error = psycopg.OperationalError if on_postgres() else sqlite3.OperationalError

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _lose_the_database(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # The household, its people, the audit event and the idempotency record
        # are written; the connection is lost on the last insert, before COMMIT.
        if cut_off and statement.lstrip().upper().startswith("INSERT INTO OUTBOX_MESSAGE"):
            raise error("database is locked")

    client = TestClient(_app(engine, registration_rate_per_ip=0))
    typed = form_data(*(person(index) for index in range(3)))
    response = client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert response.status_code == 503
    assert "Nothing was saved" in response.text
    for table in ("registration", "person", "audit_event", "idempotency_record", "outbox_message"):
        assert _count(engine, table) == 0, table

    cut_off = False
    again = client.post("/register", data=typed, headers=HTML, follow_redirects=False)
    assert again.status_code == 303
    assert (_count(engine, "registration"), _count(engine, "person")) == (1, 3)
    engine.dispose()
