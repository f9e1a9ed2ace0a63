"""Crashes mid-surge lose no acknowledged registration and leave no partial household.

The real server (``evac serve --workers 2``) runs as a process group of its own;
twenty clients post households of one to five people through the API and the form
while the server is killed with SIGKILL, or while its PostgreSQL crashes and restarts.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from evac import migrations
from evac.db import create_db_engine
from tests.databases import on_postgres, throwaway_database
from tests.resilience.servers import app_server, private_cluster
from tests.resilience.surge import Surge, api_post, check_households, form_post

# Deadlines for a busy CI machine, not measures of speed (those are in bench/).
ANSWER_LIMIT_S = 60


@pytest.fixture
def migrated(tmp_path: Path) -> Iterator[tuple[str, sa.Engine]]:
    """A fresh, migrated database of the suite's kind (SQLite file or PostgreSQL)."""
    with throwaway_database(tmp_path) as url:
        engine = create_db_engine(url)
        migrations.upgrade(engine)
        try:
            yield url, engine
        finally:
            engine.dispose()


def _registers(base_url: str) -> None:
    """The server takes a household through the API and one through the form."""
    for prepare, expected in ((api_post, 201), (form_post, 303)):
        _documents, send = prepare(3)
        with httpx.Client(base_url=base_url, timeout=ANSWER_LIMIT_S) as client:
            status, reference = send(client)
        assert (status, bool(reference)) == (expected, True)


def test_every_acknowledged_registration_survives_a_killed_server(
    migrated: tuple[str, sa.Engine], tmp_path: Path
) -> None:
    url, engine = migrated
    with app_server(url, tmp_path / "server.log") as server:
        server.start()
        surge = Surge(lambda: server.url)
        surge.start()
        try:
            surge.wait_for(acknowledged=20)
            killed_at = len(surge.outcomes)
            server.kill()
            surge.wait_for_unanswered(since=killed_at)
        finally:
            surge.stop()
        assert len(surge.acknowledged()) >= 20
        answered = {outcome.status for outcome in surge.outcomes if outcome.status}
        assert answered <= {201, 303, 503}, answered

        check_households(engine, surge)
        if not on_postgres():
            with engine.connect() as connection:
                integrity = connection.exec_driver_sql("PRAGMA integrity_check").scalar_one()
            assert integrity == "ok"

        server.start()
        _registers(server.url)


def test_registrations_survive_a_postgresql_restart_and_the_server_recovers(
    tmp_path: Path,
) -> None:
    with private_cluster() as cluster:
        admin = sa.create_engine(cluster.url("postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.exec_driver_sql("CREATE DATABASE evac")
        admin.dispose()
        url = cluster.url("evac")
        engine = create_db_engine(url)
        migrations.upgrade(engine)
        engine.dispose()
        settings = {"EVAC_DB_POOL_TIMEOUT_SECONDS": "2"}
        with app_server(url, tmp_path / "server.log", **settings) as server:
            server.start()
            surge = Surge(lambda: server.url)
            surge.start()
            try:
                surge.wait_for(acknowledged=20)
                before_restart = len(surge.outcomes)
                cluster.restart_immediately()
                surge.wait_for(acknowledged=len(surge.acknowledged()) + 20)
            finally:
                surge.stop()
            during = surge.answered(since=before_restart)
            statuses = {outcome.status for outcome in surge.outcomes}
            assert statuses <= {201, 303, 503}, statuses  # never a 500, never unanswered
            assert any(outcome.status == 503 for outcome in during)

            engine = create_db_engine(url)
            try:
                check_households(engine, surge)
            finally:
                engine.dispose()
            _registers(server.url)
