"""Every API operation, fed what its OpenAPI schema allows (and some it does not),
never answers with a server error, nor with a status or a body its schema does
not document. Run on SQLite and on PostgreSQL, as the whole suite is."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

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

from evac.app import create_app
from evac.settings import get_settings
from tests.factories import make_case
from tests.flights.conftest import make_flight
from tests.places.conftest import make_place
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
    code: str


@pytest.fixture
def known(client: TestClient, coordinator: str, session: Session) -> Known:
    case = make_case(session, "DE")
    flight = make_flight(session)
    place = make_place(session)
    token = new_api_token(client, coordinator)
    headers = {"Authorization": f"Bearer {token}"}
    return Known(headers, case.reference, flight.id, place.code)  # type: ignore[arg-type]


def _reach_known_records(case: schemathesis.Case, known: Known) -> None:
    """Send every other generated id or reference to a record that exists, so
    that bodies are checked by the service too, not only refused with a 404."""
    existing = {"reference": known.reference, "flight_id": known.flight_id, "code": known.code}
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
    # A generous deadline for a busy CI machine: a hang fails, a slow answer does not.
    case.call_and_validate(app=app, headers=known.headers, checks=CHECKS, timeout=120)


# What a database cannot hold: text with NUL, integers beyond int4 and int8.
HOSTILE = {"string": ["A\x00"], "integer": [2**31, 2**63]}


def _types(schema: dict[str, Any]) -> set[str]:
    found = {schema["type"]} if "type" in schema else set()
    for option in schema.get("anyOf", []):
        found |= _types(option)
    return found


def _resolve(raw: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = raw["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _example_body(raw: dict[str, Any], operation: dict[str, Any]) -> Any:
    """The operation's documented example body, if it has one."""
    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if content is None:
        return None
    if content.get("examples"):
        return next(iter(content["examples"].values()))["value"]
    schema = _resolve(raw, content["schema"])
    schema = next((_resolve(raw, o) for o in schema.get("anyOf", []) if "$ref" in o), schema)
    return schema.get("examples", [None])[0]


def _hostile_bodies(body: Any) -> Iterator[Any]:
    """The body again with one text or integer leaf made hostile, leaf by leaf."""
    if isinstance(body, dict | list):
        keys = body.keys() if isinstance(body, dict) else range(len(body))
        for key in keys:
            for changed in _hostile_bodies(body[key]):
                copy = body.copy()
                copy[key] = changed  # type: ignore[index]
                yield copy
    elif isinstance(body, str):
        yield body + "\x00"
    elif isinstance(body, int) and not isinstance(body, bool):
        yield from HOSTILE["integer"]


def _hostile_cases(
    operation: schemathesis.APIOperation, raw: dict[str, Any], known: Known
) -> Iterator[schemathesis.Case]:
    definition = raw["paths"][operation.path][operation.method]
    path = {"reference": known.reference, "flight_id": known.flight_id, "code": known.code}
    body = _example_body(raw, definition)
    kinds = {"path": "path_parameters", "query": "query"}
    for parameter in definition.get("parameters", []):
        if parameter["in"] not in kinds:
            continue
        for kind in _types(parameter["schema"]) & HOSTILE.keys():
            for value in HOSTILE[kind]:
                values: dict[str, Any] = {"path_parameters": dict(path), "query": {}}
                values[kinds[parameter["in"]]][parameter["name"]] = value
                yield operation.Case(**values, body=body, media_type="application/json")
    for hostile in _hostile_bodies(body):
        yield operation.Case(path_parameters=path, body=hostile, media_type="application/json")


def test_no_operation_fails_on_what_a_database_cannot_hold(app: FastAPI, known: Known) -> None:
    """Every path, query and body field of every operation, in turn: NUL in a
    text, an integer beyond int4 and int8. Refused or harmless, never a 5xx."""
    raw = schema.raw_schema
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        for case in _hostile_cases(operation, raw, known):
            case.call_and_validate(app=app, headers=known.headers, checks=CHECKS, timeout=120)
            sent += 1
    assert sent > 50
