"""A new private link for someone who lost theirs, sent to the registered email,
or by SMS to the registered phone when the person gives the phone number instead.

The answer to the person is the same whether or not the reference and the
email match a case, so the page reveals nothing about who is registered. The
work behind the answer is the same too, so its timing reveals nothing either:
every request counts against its address's limit, reads the case, makes and
hashes a token, renders the message and commits once. A match only adds its
rows (the pending link, the message, the audit event) to that same commit.

The new link does not replace the current one at once: it is kept as the
case's pending link, and its first use makes it the case's link and kills the
old one (``service.find_by_token``). Knowing a reference and its email is
therefore not enough to break a registrant's working link.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from evac.audit.service import REGISTRANT, record_event
from evac.db import utcnow
from evac.errors import EvacError
from evac.i18n import N_
from evac.notifications.models import Channel, OutboxMessage
from evac.notifications.service import LOST_LINK, LOST_LINK_SMS, message_values
from evac.registration.models import Registration
from evac.registration.reference import new_access_token, normalize_reference
from evac.registration.rules import normalize_email, normalize_phone
from evac.registration.service import CLOSED_STATUSES
from evac.tokens import hash_token
from evac.web.ratelimit import record_hit

TEMPLATE = LOST_LINK
TEMPLATES = (LOST_LINK, LOST_LINK_SMS)
# A new link is sent at most this often for one case, so that a flood of requests
# cannot fill someone's mailbox.
INTERVAL = timedelta(minutes=5)
# Requests one network address may make per window, whatever they ask for.
ADDRESS_BUCKET = "lost_link"
ADDRESS_LIMIT = 10
ADDRESS_WINDOW_SECONDS = 3600
TOO_MANY = N_(
    "Too many new links were asked for from your network. Nothing was sent: please try "
    "again in %(minutes)s minutes."
)
OUTBOX_TABLE: sa.Table = OutboxMessage.__table__  # type: ignore[attr-defined]


class TooManyLinkRequests(EvacError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_MANY, minutes=max(1, math.ceil(retry_after / 60)))
        self.retry_after = retry_after


@dataclass(frozen=True)
class _Addressee:
    """Who the message is for; for a request that matches nothing, a stand-in
    that is rendered like a real one and never stored."""

    id: int | None
    reference: str
    email: str | None
    phone: str | None
    language: str
    country: str = "ZZ"


def request_new_link(
    session: Session,
    reference: str,
    contact: str,
    *,
    client: str,
    private_link: Callable[[str, str], str],
) -> bool:
    """Queue a new pending link, if the reference and the contact match: by email when
    ``contact`` is the registered email, by SMS when it is the registered phone number.

    Raises ``TooManyLinkRequests`` past the limit of ``client`` (its network
    address). Otherwise does the same work whether or not anything matches; the
    caller answers the same either way. Returns whether a message was queued.
    """
    verdict = record_hit(
        session,
        ADDRESS_BUCKET,
        client,
        now=utcnow(),
        limit=ADDRESS_LIMIT,
        window_seconds=ADDRESS_WINDOW_SECONDS,
    )
    if not verdict.allowed:
        session.commit()
        raise TooManyLinkRequests(verdict.retry_after)
    canonical = normalize_reference(reference) or ""
    contact = contact.strip()
    by_sms = "@" not in contact
    found, recent = _case_row(session, canonical)
    if by_sms:
        address = normalize_phone(contact, found.country if found else "ZZ") or ""
        stand_in = _Addressee(None, canonical or "ABCD-EFGH", None, address, "en")
    else:
        address = normalize_email(contact) or ""
        stand_in = _Addressee(None, canonical or "ABCD-EFGH", address, None, "en")
    token = new_access_token()
    pending = hash_token(token)
    addressee = found or stand_in
    link = private_link(addressee.reference, token)
    template, channel = (LOST_LINK_SMS, Channel.sms) if by_sms else (LOST_LINK, Channel.email)
    message = message_values(addressee, template=template, context={"link": link}, channel=channel)
    matched = found is not None and not recent and _matches(found, address, by_sms)
    if matched and message is not None:
        _set_pending(session, addressee, pending, message, channel)
    session.commit()
    return matched


def _case_row(session: Session, reference: str) -> tuple[_Addressee | None, bool]:
    """The case with this reference if it is open, and whether a link was sent recently."""
    recent = (
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.registration_id == Registration.id,
            OutboxMessage.template.in_(TEMPLATES),  # type: ignore[attr-defined]
            OutboxMessage.created_at > utcnow() - INTERVAL,  # type: ignore[operator]
        )
        .exists()
    )
    row = session.execute(
        sa.select(
            Registration.id,
            Registration.reference,
            Registration.email,
            Registration.phone,
            Registration.language,
            Registration.country,
            recent,
        ).where(
            Registration.reference == reference,
            Registration.status.not_in(CLOSED_STATUSES),  # type: ignore[attr-defined]
        )
    ).first()
    if row is None:
        return None, False
    return _Addressee(*row[:6]), bool(row[6])


def _matches(found: _Addressee, address: str, by_sms: bool) -> bool:
    if by_sms:
        return bool(address) and found.phone == address
    return bool(address) and (found.email or "").casefold() == address.casefold()


def _set_pending(
    session: Session,
    case: _Addressee,
    pending: str,
    message: dict[str, object],
    channel: Channel,
) -> None:
    """Keep the new link beside the current one, and queue it to the registered address."""
    session.execute(
        sa.update(Registration)
        .where(Registration.id == case.id)  # type: ignore[arg-type]
        .values(pending_token_hash=pending)
    )
    session.execute(OUTBOX_TABLE.insert(), [message])
    record_event(
        session,
        actor=REGISTRANT,
        action="registration.link_reissue",
        subject_type="registration",
        subject_id=case.reference,
        after={"by": channel.value, "pending": True},
    )


class NoAddress(EvacError):
    status_code = 409
    code = "no_address"

    def __init__(self) -> None:
        super().__init__(
            N_("This case has neither an email address nor a phone number: read the link out.")
        )


def send_link_for_staff(
    session: Session, case: Registration, *, actor: str, private_link: Callable[[str, str], str]
) -> list[Channel]:
    """An officer sends the registrant a new private link, by email and by SMS to
    whichever addresses the case has, then commits; returns the channels used.

    As with a lost link, the new link is pending: the registrant's current link
    keeps working until the new one is first opened.
    """
    token = new_access_token()
    link = private_link(case.reference, token)
    rows = [
        values
        for template, channel in ((LOST_LINK, Channel.email), (LOST_LINK_SMS, Channel.sms))
        if (
            values := message_values(
                case, template=template, context={"link": link}, channel=channel
            )
        )
    ]
    if not rows:
        raise NoAddress()
    case.pending_token_hash = hash_token(token)
    session.add(case)
    session.execute(OUTBOX_TABLE.insert(), rows)
    channels = [Channel(row["channel"]) for row in rows]
    record_event(
        session,
        actor=actor,
        action="registration.link_resend",
        subject_type="registration",
        subject_id=case.reference,
        after={"by": [channel.value for channel in channels], "pending": True},
    )
    session.commit()
    return channels
