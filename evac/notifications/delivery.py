"""Whether messages to registrants can go out at all: an email server and an SMS
gateway are configured (``EVAC_SMTP_URL``, ``EVAC_SMS_WEBHOOK_URL``), or not.

Pages that queue or list messages say plainly when they will not leave, instead
of showing them as queued as if all were well.
"""

from __future__ import annotations

from dataclasses import dataclass

from evac.i18n import N_
from evac.notifications.models import Channel
from evac.settings import Settings, get_settings

NO_EMAIL = N_("Messages are not going out: no email server is configured.")
NO_SMS = N_("Text messages are not going out: no SMS gateway is configured.")


@dataclass(frozen=True)
class Delivery:
    email: bool
    sms: bool

    def goes_out(self, channel: str) -> bool:
        return self.email if channel == Channel.email else self.sms

    @property
    def problems(self) -> list[str]:
        """What is not going out, as messages to translate; empty when all can leave."""
        return [msg for ok, msg in ((self.email, NO_EMAIL), (self.sms, NO_SMS)) if not ok]


def delivery(settings: Settings | None = None) -> Delivery:
    settings = settings or get_settings()
    return Delivery(email=bool(settings.smtp_url), sms=bool(settings.sms_webhook_url))
