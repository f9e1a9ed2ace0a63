"""A new private link for someone who lost theirs, sent to the registered email.

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
from evac.notifications.models import OutboxMessage
from evac.notifications.service import LOST_LINK, message_values
from evac.registration.models import Registration
from evac.registration.reference import new_access_token, normalize_reference
from evac.registration.rules import normalize_email
from evac.registration.service import CLOSED_STATUSES
from evac.tokens import hash_token
from evac.web.ratelimit import record_hit

TEMPLATE = LOST_LINK
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


def request_new_link(
    session: Session,
    reference: str,
    email: str,
    *,
    client: str,
    private_link: Callable[[str, str], str],
) -> bool:
    """Queue an email with a new pending link, if the reference and the email match.

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
    address = normalize_email(email.strip()) or ""
    found, recent = _case_row(session, canonical)
    token = new_access_token()
    pending = hash_token(token)
    addressee = found or _Addressee(None, canonical or "ABCD-EFGH", address, None, "en")
    link = private_link(addressee.reference, token)
    message = message_values(addressee, template=TEMPLATE, context={"link": link})
    matched = found is not None and not recent and _matches(found, address)
    if matched and message is not None:
        _set_pending(session, addressee, pending, message)
    session.commit()
    return matched


def _case_row(session: Session, reference: str) -> tuple[_Addressee | None, bool]:
    """The case with this reference if it is open, and whether a link was sent recently."""
    recent = (
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.registration_id == Registration.id,
            OutboxMessage.template == TEMPLATE,
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
            recent,
        ).where(
            Registration.reference == reference,
            Registration.status.not_in(CLOSED_STATUSES),  # type: ignore[attr-defined]
        )
    ).first()
    if row is None:
        return None, False
    return _Addressee(*row[:5]), bool(row[5])


def _matches(found: _Addressee, address: str) -> bool:
    return bool(address) and (found.email or "").casefold() == address.casefold()


def _set_pending(
    session: Session, case: _Addressee, pending: str, message: dict[str, object]
) -> None:
    """Keep the new link beside the current one, and queue it to the registered email."""
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
        after={"by": "email", "pending": True},
    )
