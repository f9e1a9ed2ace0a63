"""Every API operation, fed what its OpenAPI schema allows (and some it does not),
never answers with a server error nor with a body that breaks its own schema."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
)

from evac.settings import get_settings
from evac.web.app import create_app
from tests.factories import make_case
from tests.security.conftest import new_api_token


@pytest.fixture
def bearer(client: TestClient, coordinator: str, session) -> dict[str, str]:
    make_case(session, "DE")
    return {"Authorization": f"Bearer {new_api_token(client, coordinator)}"}


# The schema is read from an application built at import; each example is sent
# to the test's own application, whose session is rolled back after the test.
schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(get_settings()))


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_fails_or_breaks_its_schema(
    case: schemathesis.Case, app: FastAPI, bearer: dict[str, str]
) -> None:
    case.call_and_validate(
        app=app, headers=bearer, checks=[not_a_server_error, response_schema_conformance]
    )
