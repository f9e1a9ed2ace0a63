"""Every API operation, fed what its OpenAPI schema allows (and some it does not),
never answers with a server error, nor with a status or a body its schema does
not document. Run on SQLite and on PostgreSQL, as the whole suite is."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from sqlmodel import Session

from evac.settings import get_settings
from evac.web.app import create_app
from tests.factories import make_case
from tests.flights.conftest import make_flight
from tests.security.conftest import new_api_token

# The budget: examples per operation in the fuzzing phase (the examples and
# coverage phases add a fixed set of their own). About a minute per database.
EXAMPLES_PER_OPERATION = 25
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@dataclass(frozen=True)
class Known:
    """What exists in the test's database, for cases to reach past a 404."""

    headers: dict[str, str]
    reference: str
    flight_id: int


@pytest.fixture
def known(client: TestClient, coordinator: str, session: Session) -> Known:
    case = make_case(session, "DE")
    flight = make_flight(session)
    token = new_api_token(client, coordinator)
    return Known({"Authorization": f"Bearer {token}"}, case.reference, flight.id)  # type: ignore[arg-type]


def _reach_known_records(case: schemathesis.Case, known: Known) -> None:
    """Send every other generated id or reference to a record that exists, so
    that bodies are checked by the service too, not only refused with a 404."""
    existing = {"reference": known.reference, "flight_id": known.flight_id}
    for name, value in case.path_parameters.items():
        if name in existing and len(str(value)) % 2 == 0:
            case.path_parameters[name] = existing[name]


# The schema is read from an application built at import; each example is sent
# to the test's own application, whose session is rolled back after the test.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(get_settings()))


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_fails_or_breaks_its_schema(
    case: schemathesis.Case, app: FastAPI, known: Known
) -> None:
    _reach_known_records(case, known)
    case.call_and_validate(app=app, headers=known.headers, checks=CHECKS)
