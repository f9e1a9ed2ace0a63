"""Shared fixtures: a migrated database, a session per test rolled back after it,
and the application with its session dependency overridden."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ["EVAC_MODE"] = "development"
os.environ["EVAC_SECRET_KEY"] = "test-secret-key-that-is-long-enough-for-evac-0123456789"
os.environ.setdefault("EVAC_HOME_COUNTRY", "TR")
# Links in messages and pages start here; TestClient's requests carry this host.
os.environ["EVAC_PUBLIC_URL"] = "http://testserver"
# Most tests are about seating itself, so every registered case may be seated; the
# default rule (verified only, no open duplicate flag) has its own tests in
# tests/planning_db/test_seat_rules.py, which set it explicitly.
os.environ["EVAC_SEAT_REQUIRES"] = "registered"

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac import migrations
from evac.app import create_app
from evac.db import create_db_engine, get_engine, get_session
from evac.settings import get_settings
from tests.databases import throwaway_database


@pytest.fixture(autouse=True, scope="session")
def _cheap_argon2() -> Iterator[None]:
    """Real Argon2, with the cost lowered so that fixtures hash in microseconds."""
    from pwdlib import PasswordHash
    from pwdlib.hashers.argon2 import Argon2Hasher

    from evac.staff import passwords

    fast = PasswordHash((Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),))
    original = passwords._hasher
    passwords._hasher = lambda: fast  # type: ignore[assignment]
    yield
    passwords._hasher = original


def use_database(url: str) -> None:
    """Point evac's own engine (the CLI, a live server) at ``url``."""
    os.environ["EVAC_DATABASE_URL"] = url
    get_settings.cache_clear()
    get_engine.cache_clear()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with throwaway_database(tmp_path_factory.mktemp("db")) as url:
        use_database(url)
        test_engine = create_db_engine(url)
        migrations.upgrade(test_engine)
        yield test_engine
        test_engine.dispose()
        get_engine().dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose every change, commits included, is rolled back after the test."""
    connection = engine.connect()
    transaction = connection.begin()
    db_session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield db_session
    finally:
        db_session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def app(session: Session) -> FastAPI:
    application = create_app(get_settings())
    application.dependency_overrides[get_session] = lambda: session
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def fresh_database(engine: Engine, tmp_path: Path) -> Iterator[str]:
    """An empty database of its own (not migrated) for tests that commit for real."""
    previous = os.environ["EVAC_DATABASE_URL"]
    with throwaway_database(tmp_path) as url:
        use_database(url)
        yield url
        get_engine().dispose()
    use_database(previous)
