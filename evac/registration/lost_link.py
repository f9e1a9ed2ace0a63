"""A new private link for someone who lost theirs, sent to the registered email.

The answer to the person is the same whether or not the reference and the
email match a case, so the page reveals nothing about who is registered.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import Session, select

from evac.db import utcnow
from evac.notifications.models import OutboxMessage
from evac.notifications.service import LOST_LINK, enqueue_lost_link
from evac.registration.case import claim_version, record_change
from evac.registration.models import Registration
from evac.registration.reference import hash_token, new_access_token, normalize_reference
from evac.registration.rules import normalize_email

TEMPLATE = LOST_LINK
# A new link is sent at most this often for one case, so that a flood of requests
# can neither fill someone's mailbox nor keep replacing their link.
INTERVAL = timedelta(minutes=5)


def request_new_link(
    session: Session, reference: str, email: str, *, private_link: Callable[[str, str], str]
) -> bool:
    """Replace the case's private link and queue an email with the new one.

    Does nothing unless the reference and the registered email match; the caller
    answers the same either way. Returns whether a message was queued.
    """
    canonical, address = normalize_reference(reference), normalize_email(email.strip())
    if not canonical or not address:
        return False
    registration = session.exec(
        select(Registration).where(Registration.reference == canonical)
    ).first()
    if registration is None or (registration.email or "").casefold() != address.casefold():
        return False
    if _sent_recently(session, registration):
        return False
    token = new_access_token()
    claim_version(session, registration, registration.row_version)
    registration.access_token_hash = hash_token(token)
    enqueue_lost_link(session, registration, private_link(registration.reference, token))
    record_change(session, registration, "registration.link_reissue", None, {"by": "email"})
    return True


def _sent_recently(session: Session, registration: Registration) -> bool:
    found = session.exec(
        select(OutboxMessage.id).where(
            OutboxMessage.registration_id == registration.id,
            OutboxMessage.template == TEMPLATE,
            OutboxMessage.created_at > utcnow() - INTERVAL,
        )
    ).first()
    return found is not None
