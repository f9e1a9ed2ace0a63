"""A registrant says no to the flight offered: they decline it, or they cannot
reach its airport. Either way, with a reason in their own words.

The seats go back through the lifecycle (``Action.decline``: the case becomes
``deferred`` and its seats are offloaded), the reason is kept on the case for
officers (``declined_at``, ``decline_kind``, ``decline_reason``: the flag on the
case list and page) and in the audit event ``case.decline``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from evac.audit.service import REGISTRANT
from evac.db import utcnow
from evac.errors import InvalidInput, Problem
from evac.flights.seating import household_flight
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import CASE_TRANSITIONS, Action
from evac.registration.models import Registration
from evac.registration.self_service import StaleCase
from evac.registration.service import InvalidRegistration

MAX_REASON = 500
DECLINED = "declined"
CANNOT_REACH = "cannot_reach"
KINDS: dict[str, str] = {
    DECLINED: N_("We do not want to take this flight"),
    CANNOT_REACH: N_("We cannot reach the airport in time"),
}
DECLINABLE_STATUSES = CASE_TRANSITIONS[Action.decline].sources
CHOOSE_KIND = N_("Choose one of the answers.")
GIVE_REASON = N_("Tell us why, in a few words.")
TOO_LONG = N_("Use at most %(max)s characters.")
NOT_OFFERED = N_("Your household holds no seat to decline. Please contact your mission.")


def can_decline(registration: Registration) -> bool:
    return registration.status in DECLINABLE_STATUSES


def parse_decline(posted: Mapping[str, str]) -> tuple[str, str]:
    """The answer and the reason from the form, or the problems with them."""
    kind = posted.get("kind", "")
    reason = " ".join(posted.get("reason", "").split())
    problems = []
    if kind not in KINDS:
        problems.append(Problem(("kind",), CHOOSE_KIND))
    if not reason:
        problems.append(Problem(("reason",), GIVE_REASON))
    elif len(reason) > MAX_REASON:
        problems.append(Problem(("reason",), TOO_LONG, {"max": MAX_REASON}))
    if problems:
        raise InvalidRegistration(problems)
    return kind, reason


def decline(
    session: Session, registration: Registration, kind: str, reason: str, *, row_version: int
) -> None:
    """Release the household's seats and flag the case for officers, then commit."""
    flight = household_flight(session, registration)
    if registration.row_version != row_version:
        raise StaleCase()
    if flight is None or not can_decline(registration):
        raise InvalidInput(NOT_OFFERED)
    registration.declined_at = utcnow()
    registration.decline_kind = kind
    registration.decline_reason = reason
    details = {"kind": kind, "reason": reason, "flight": flight.flight_number}
    try:
        lifecycle.apply(
            session,
            registration,
            Action.decline,
            actor=REGISTRANT,
            expected_version=row_version,
            details=details,
        )
    except lifecycle.StaleCase:
        raise StaleCase() from None
    session.commit()


def decline_summary(registration: Registration) -> dict[str, Any]:
    return {"can_decline": can_decline(registration), "decline_kinds": KINDS}
