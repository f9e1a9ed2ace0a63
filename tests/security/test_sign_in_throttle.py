"""Guessing a staff password is slowed per (account, address), with growing
lock-outs; a guesser cannot lock the owner out, and concurrent guesses never
check more passwords than the limit."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from evac import migrations
from evac.db import create_db_engine, utcnow
from evac.errors import EvacError
from evac.settings import get_settings
from evac.staff import auth
from evac.staff.models import Role
from evac.staff.throttle import LoginThrottled
from tests.factories import PASSWORD, make_staff

GUESSER = ("203.0.113.7", 40000)
OWNER = ("198.51.100.20", 40000)


def _try(client: TestClient, password: str) -> int:
    data = {"username": "ayse", "password": password}
    return client.post("/staff/login", data=data, follow_redirects=False).status_code


@pytest.fixture
def ayse(session: Session) -> str:
    make_staff(session, "ayse", Role.coordinator)
    return "ayse"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[datetime]]:
    """The time sign-ins see; tests move it forward by hand."""
    now = [utcnow()]
    monkeypatch.setattr(auth, "utcnow", lambda: now[0])
    yield now


@pytest.mark.usefixtures("ayse")
def test_owner_signs_in_from_their_address_while_a_guesser_is_locked_out(app: FastAPI) -> None:
    guesser = TestClient(app, client=GUESSER)
    owner = TestClient(app, client=OWNER)
    limit = get_settings().login_max_failures_per_account
    assert [_try(guesser, "wrong guess") for _ in range(limit)] == [401] * limit
    assert _try(guesser, PASSWORD) == 429
    assert _try(owner, PASSWORD) == 303
    assert _try(guesser, PASSWORD) == 429


@pytest.mark.usefixtures("ayse")
def test_lockout_doubles_with_each_further_failure_up_to_the_cap(
    session: Session, clock: list[datetime], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = get_settings()
    monkeypatch.setattr(settings, "login_lockout_max_seconds", 200)
    for _ in range(settings.login_max_failures_per_account):
        with pytest.raises(auth.LoginRefused):
            auth.sign_in(session, "ayse", "wrong guess", GUESSER[0])
    waits = []
    for _ in range(3):
        with pytest.raises(LoginThrottled) as throttled:
            auth.sign_in(session, "ayse", PASSWORD, GUESSER[0])
        waits.append(throttled.value.retry_after)
        clock[0] += timedelta(seconds=throttled.value.retry_after)
        with pytest.raises(auth.LoginRefused):  # one more guess is checked, and fails
            auth.sign_in(session, "ayse", "wrong guess", GUESSER[0])
    assert waits == [60, 120, 200]


@pytest.mark.usefixtures("ayse")
def test_a_successful_sign_in_forgets_that_addresss_failures(session: Session) -> None:
    limit = get_settings().login_max_failures_per_account
    for _ in range(limit - 1):
        with pytest.raises(auth.LoginRefused):
            auth.sign_in(session, "ayse", "wrong guess", OWNER[0])
    auth.sign_in(session, "ayse", PASSWORD, OWNER[0])
    for _ in range(limit - 1):
        with pytest.raises(auth.LoginRefused):
            auth.sign_in(session, "ayse", "wrong guess", OWNER[0])


def test_concurrent_guesses_never_check_more_passwords_than_the_limit(
    fresh_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = create_db_engine(fresh_database)
    migrations.upgrade(engine)
    with Session(engine) as setup:
        make_staff(setup, "ayse", Role.coordinator)
    checked: list[str] = []
    real_verify = auth.verify_password

    def counting_verify(password: str, password_hash: str) -> tuple[bool, str | None]:
        checked.append(password)  # list.append is atomic under the GIL
        return real_verify(password, password_hash)

    monkeypatch.setattr(auth, "verify_password", counting_verify)
    guesses = 16
    start = threading.Barrier(guesses)
    outcomes: list[str] = []

    def guess(number: int) -> None:
        start.wait()
        with Session(engine, expire_on_commit=False) as own:
            try:
                auth.sign_in(own, "ayse", f"guess {number}", GUESSER[0])
            except EvacError as refused:
                outcomes.append(refused.code)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    engine.dispose()
    limit = get_settings().login_max_failures_per_account
    assert len(checked) == limit
    assert sorted(outcomes) == sorted(["login_refused"] * limit + ["too_many_attempts"] * 11)
