"""Access logs never record the private tokens that travel in case links."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from evac.logging_config import DropQueryStrings, protect_access_log


def test_access_log_lines_lose_their_query_string() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/r/ABCD-EFGH?t=secret-token", "1.1", 200), None,
    )  # fmt: skip
    assert DropQueryStrings().filter(record)
    assert "secret-token" not in record.getMessage()
    assert "/r/ABCD-EFGH" in record.getMessage()


def test_the_running_app_protects_its_access_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    protect_access_log()
    logger = logging.getLogger("uvicorn.access")
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logger.info('%s - "%s %s HTTP/%s" %d', "1.2.3.4:1", "GET", "/r/X?t=tok", "1.1", 404)
    assert "tok" not in caplog.text


def test_pages_are_compressed_for_weak_connections(client: TestClient) -> None:
    response = client.get("/register?lang=ar", headers={"accept-encoding": "gzip"})
    assert response.headers.get("content-encoding") == "gzip"
