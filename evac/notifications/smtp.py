"""Sending one email over SMTP, configured by ``EVAC_SMTP_URL``.

``smtp://user:password@host:587?starttls=1`` (STARTTLS), ``smtps://host:465``
(TLS from the start) or ``smtp://host:25`` (plain, for a local relay). User
and password are percent-decoded.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from urllib.parse import parse_qs, unquote, urlsplit

from evac.errors import InvalidInput
from evac.notifications.models import OutboxMessage

TIMEOUT_SECONDS = 30
_TRUE = {"1", "true", "yes", "on"}


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    use_tls: bool = False
    starttls: bool = False
    username: str | None = None
    password: str | None = None


def parse_smtp_url(url: str) -> SmtpConfig:
    parts = urlsplit(url)
    if parts.scheme not in {"smtp", "smtps"} or not parts.hostname:
        raise InvalidInput("EVAC_SMTP_URL must look like smtp://user:pass@host:587?starttls=1")
    query = parse_qs(parts.query)
    use_tls = parts.scheme == "smtps"
    starttls = not use_tls and query.get("starttls", ["0"])[0].lower() in _TRUE
    default_port = 465 if use_tls else 587 if starttls else 25
    return SmtpConfig(
        host=parts.hostname,
        port=parts.port or default_port,
        use_tls=use_tls,
        starttls=starttls,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.recipient
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email["Content-Language"] = message.language
    email.set_content(message.body)
    return email


class SmtpSender:
    """Sends each message on a new connection: a worker sends few, and rarely."""

    def __init__(self, url: str, sender: str) -> None:
        self.config = parse_smtp_url(url)
        self.sender = sender

    def __call__(self, message: OutboxMessage) -> None:
        config, context = self.config, ssl.create_default_context()
        smtp_class = smtplib.SMTP_SSL if config.use_tls else smtplib.SMTP
        kwargs = {"context": context} if config.use_tls else {}
        with smtp_class(config.host, config.port, timeout=TIMEOUT_SECONDS, **kwargs) as smtp:
            if config.starttls:
                smtp.starttls(context=context)
            if config.username:
                smtp.login(config.username, config.password or "")
            smtp.send_message(build_email(message, self.sender))
