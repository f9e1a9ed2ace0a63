"""Sending one SMS through a JSON webhook, ``EVAC_SMS_WEBHOOK_URL``.

The gateway receives ``POST {"to": "+4930…", "text": "…", "reference": "outbox-42"}``
and must answer 2xx once it has accepted the message; ``reference`` is stable
across retries so that the gateway can drop a duplicate.
"""

from __future__ import annotations

import httpx

from evac.notifications.models import OutboxMessage

TIMEOUT_SECONDS = 15


def sms_text(subject: str, body: str) -> str:
    """What the phone shows: the subject line, then the body."""
    return f"{subject}\n{body.strip()}"


def sms_payload(message: OutboxMessage) -> dict[str, str]:
    text = sms_text(message.subject, message.body)
    return {"to": message.recipient, "text": text, "reference": f"outbox-{message.id}"}


class WebhookSmsSender:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, message: OutboxMessage) -> None:
        response = httpx.post(self.url, json=sms_payload(message), timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
