"""A real SMTP server and a real HTTP SMS gateway on 127.0.0.1, and a way to run
the worker on the test's own (rolled-back) session."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlmodel import Session


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """Receives every email; answers ``reply`` to the DATA command."""

    def __init__(self) -> None:
        self.emails: list[EmailMessage] = []
        self.reply = "250 Message accepted"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        if self.reply.startswith("250"):
            self.emails.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[arg-type]
        return self.reply


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, str]]:
    """A running SMTP server and the ``EVAC_SMTP_URL`` that reaches it."""
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, f"smtp://127.0.0.1:{port}"
    finally:
        controller.stop()


class Gateway:
    def __init__(self) -> None:
        self.received: list[dict[str, str]] = []
        self.status = 202


@pytest.fixture
def sms_gateway() -> Iterator[tuple[Gateway, str]]:
    """A local HTTP server that records the JSON it is posted."""
    gateway = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            if gateway.status < 300:
                gateway.received.append(json.loads(body))
            self.send_response(gateway.status)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway, f"http://127.0.0.1:{server.server_address[1]}/sms"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def same_session(session: Session) -> Callable[[], AbstractContextManager[Session]]:
    """The worker's session factory, on the test's rolled-back session."""
    return lambda: nullcontext(session)
