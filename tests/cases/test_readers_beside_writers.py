"""A long export reads beside registrations instead of in front of them.

On SQLite a reader that took the write lock (BEGIN IMMEDIATE) made every
registration wait for the whole export; read-only work now reads its own
snapshot and never holds the lock. These tests commit for real on a database
of their own, so they run the same on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import anyio
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from evac import migrations
from evac.app import create_app
from evac.audit.service import REGISTRANT, SYSTEM
from evac.db import WriteInReadOnlySession, get_engine, read_session
from evac.demo.loader import seed_demo
from evac.registration.models import Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import register_household
from evac.settings import get_settings
from evac.spreadsheet import BATCH
from evac.staff.models import Role, StaffUser
from evac.staff.service import create_staff_user
from tests.factories import APP_TODAY, PASSWORD, registration_payload, sign_in

# Enough people for the CSV to stream in more than one chunk.
PEOPLE = BATCH + 500


class PausedAtFirstChunk:
    """Runs ``action`` once the first chunk of a streamed body has gone out,
    while the rest of the response has still to be read and sent."""

    def __init__(self, app: ASGIApp, action: Callable[[], None]) -> None:
        self.app = app
        self.action = action

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        acted = False

        async def send_then_act(message: Message) -> None:
            nonlocal acted
            await send(message)
            if message["type"] == "http.response.body" and message.get("more_body") and not acted:
                acted = True
                await anyio.to_thread.run_sync(self.action)

        await self.app(scope, receive, send_then_act)


@pytest.fixture
def seeded_database(fresh_database: str) -> Iterator[str]:
    """A migrated database with demo households and a coordinator, all committed."""
    engine = get_engine()
    migrations.upgrade(engine)
    with Session(engine) as session:
        seed_demo(session, people=PEOPLE, seed=2020, today=APP_TODAY, home_country="TR")
        session.commit()
        create_staff_user(
            session,
            username="coordinator",
            password=PASSWORD,
            role=Role.coordinator,
            mission_codes=[],
            actor=SYSTEM,
        )
        session.commit()
    yield fresh_database


def _register_one_household() -> str:
    data = RegistrationIn.model_validate(registration_payload("DE"))
    with Session(get_engine(), expire_on_commit=False) as session:
        registered = register_household(session, data, actor=REGISTRANT, today=APP_TODAY)
        return registered.case(session).reference


def _is_stored(reference: str) -> bool:
    with Session(get_engine()) as session:
        found = select(func.count()).where(Registration.reference == reference)
        return session.exec(found).one() == 1


def test_a_household_registers_while_the_case_export_streams(seeded_database: str) -> None:
    events: list[str] = []
    references: list[str] = []

    def register_mid_export() -> None:
        events.append("export streaming")
        references.append(_register_one_household())
        events.append("registered" if _is_stored(references[0]) else "not stored")

    app = create_app(get_settings())
    with TestClient(PausedAtFirstChunk(app, register_mid_export)) as client:
        sign_in(client, "coordinator")
        response = client.get("/staff/reports/cases.csv")
        events.append("export finished")

    assert response.status_code == 200
    assert events == ["export streaming", "registered", "export finished"]
    exported = list(csv.DictReader(io.StringIO(response.text)))
    assert len(exported) == PEOPLE
    # The export is one snapshot, taken before the household registered.
    assert references[0] not in {row["reference"] for row in exported}


def test_a_write_in_a_read_only_session_fails_loudly(seeded_database: str) -> None:
    with read_session() as session:
        user = session.exec(select(StaffUser)).first()
        assert user is not None
        user.is_active = False
        with pytest.raises(WriteInReadOnlySession):
            session.flush()
        session.rollback()
        with pytest.raises(WriteInReadOnlySession):
            session.execute(sa.update(StaffUser).values(is_active=False))


def test_the_database_refuses_a_write_that_bypasses_the_session(seeded_database: str) -> None:
    with read_session() as session, pytest.raises(sa.exc.DBAPIError):
        session.connection().exec_driver_sql("UPDATE staff_user SET is_active = false")
    with Session(get_engine()) as session:
        assert session.exec(select(StaffUser.is_active)).all() == [True]


def test_connections_that_served_readers_still_write(seeded_database: str) -> None:
    engine = get_engine()
    with ExitStack() as stack:
        # Every connection of the pool serves a reader at the same time...
        for _ in range(engine.pool.size()):
            reader = stack.enter_context(read_session(engine))
            reader.exec(select(StaffUser)).all()
    # ...and whichever the pool hands out next is not left read-only.
    with Session(engine) as writer:
        writer.execute(sa.update(StaffUser).values(is_active=False))
        writer.commit()
    with Session(engine) as session:
        assert session.exec(select(StaffUser.is_active)).all() == [False]
