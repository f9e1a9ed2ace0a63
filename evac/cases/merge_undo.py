"""Undoing a merge from the case's history.

The survivor's ``case.merge`` event says who moved, the contact details before
and the absorbed case's status and order before. Undo puts all of it back and
reopens the absorbed case through the lifecycle (duplicate → registered, then
back to its earlier status where an officer's action leads there). It is
refused, with the reason, when either case changed in a way that makes it
unsafe: the survivor got seats or was closed, someone who moved left it, its
contact was changed again, or the absorbed case was reopened or anonymized.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from evac.audit.models import AuditEvent
from evac.audit.service import record_event
from evac.cases.households import RESHAPEABLE, renumber
from evac.cases.merge import CONTACT_FIELDS, ContactChoice, contact_of
from evac.cases.scope import get_readable_case
from evac.errors import NotFound, UndoRefused
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action, officer_action_to
from evac.lifecycle.service import StaleCase
from evac.registration.flags import refresh_case_flags
from evac.registration.models import CaseStatus, Registration
from evac.retention.service import ANONYMIZED_MARK
from evac.row_versions import claim_next_version
from evac.settings import get_settings
from evac.staff.auth import StaffContext


@dataclass(frozen=True)
class UndoOffer:
    """A merge that the case page offers to undo."""

    event_id: int
    survivor: Registration
    absorbed: Registration
    moved: list[str]


@dataclass(frozen=True)
class UndoResult:
    moved_back: int
    status: CaseStatus
    status_restored: bool


def undo_offers(session: Session, staff: StaffContext, case: Registration) -> list[UndoOffer]:
    """The merges shown on ``case``'s page with an undo button: the one that absorbed
    it, or those it absorbed, while the absorbed case still points to it."""
    if case.merged_into_id is not None:
        survivor = session.get(Registration, case.merged_into_id)
        pairs = [(survivor, case)] if survivor is not None else []
    else:
        absorbed = session.exec(
            select(Registration).where(Registration.merged_into_id == case.id)
        ).all()
        pairs = [(case, other) for other in absorbed]
    offers = []
    for survivor, absorbed in pairs:
        event = _latest_merge(session, survivor, absorbed)
        if event is None or not _readable(session, staff, survivor, absorbed):
            continue
        offers.append(UndoOffer(event.id, survivor, absorbed, event.after["moved"]))  # type: ignore[arg-type,index]
    return offers


def undo_merge(
    session: Session,
    staff: StaffContext,
    event_id: int,
    *,
    survivor_version: int,
    absorbed_version: int,
    today: date,
) -> UndoResult:
    """Undo the merge recorded by ``event_id`` and commit, or raise why not."""
    event = session.get(AuditEvent, event_id)
    if event is None or event.action != "case.merge" or "moved_ids" not in (event.after or {}):
        raise NotFound(N_("There is no merge to undo here."))
    survivor = get_readable_case(session, staff, event.subject_id)
    absorbed = get_readable_case(session, staff, event.after["duplicate"])  # type: ignore[index]
    _check_undo(session, event, survivor, absorbed)
    before, after = event.before or {}, event.after or {}
    claim_next_version(session, survivor, survivor_version, StaleCase)
    moved_ids = set(after["moved_ids"])
    for person in [p for p in survivor.members if p.id in moved_ids]:
        survivor.members.remove(person)
        absorbed.members.append(person)
    order = {person_id: index for index, person_id in enumerate(before["duplicate_order"])}
    absorbed.members.sort(key=lambda p: order.get(p.id, len(order)))
    renumber(survivor.members)
    renumber(absorbed.members)
    if after["contact_from"] == ContactChoice.other:
        for name in CONTACT_FIELDS:
            setattr(survivor, name, before["contact"][name])
    absorbed.merged_into_id = None
    session.flush()
    details = {"merge_undone": survivor.reference}
    lifecycle.apply(
        session, absorbed, Action.reopen, actor=staff.actor,
        expected_version=absorbed_version, details=details,
    )  # fmt: skip
    restored = _restore_status(session, staff, absorbed, CaseStatus(before["duplicate_status"]))
    home = get_settings().home_country
    refresh_case_flags(survivor, today=today, home_country=home)
    refresh_case_flags(absorbed, today=today, home_country=home)
    _record_undo(session, staff, event, survivor, absorbed)
    session.commit()
    return UndoResult(len(moved_ids), CaseStatus(absorbed.status), restored)


def _restore_status(
    session: Session, staff: StaffContext, case: Registration, previous: CaseStatus
) -> bool:
    """Back to the status before the merge if an officer's action leads there from
    ``registered``; otherwise the case stays registered (the caller says so)."""
    if previous == case.status:
        return True
    action = officer_action_to(CaseStatus(case.status), previous)
    if action is None:
        return False
    lifecycle.apply(session, case, action, actor=staff.actor, details={"merge_undone": True})
    return True


def _check_undo(
    session: Session, event: AuditEvent, survivor: Registration, absorbed: Registration
) -> None:
    after: dict[str, Any] = event.after or {}
    names = {"reference": survivor.reference, "duplicate": absorbed.reference}
    if ANONYMIZED_MARK in (survivor.access_token_hash, absorbed.access_token_hash):
        raise UndoRefused(N_("A case of this merge was anonymized; it cannot be undone."))
    latest = _latest_merge(session, survivor, absorbed)
    if (
        absorbed.status != CaseStatus.duplicate
        or absorbed.merged_into_id != survivor.id
        or latest is None
        or latest.id != event.id
    ):
        raise UndoRefused(
            N_("%(duplicate)s is no longer merged into %(reference)s; nothing to undo."), **names
        )
    if survivor.status not in RESHAPEABLE:
        raise UndoRefused(
            N_(
                "%(reference)s has seats on a flight or is closed now, so the merge cannot "
                "be undone. Offload or reopen it first."
            ),
            **names,
        )
    present = {p.id for p in survivor.members}
    moved = set(after["moved_ids"])
    if not moved <= present or not present - moved:
        raise UndoRefused(
            N_(
                "The people of %(reference)s changed since the merge, so it cannot be "
                "undone; split the case instead."
            ),
            **names,
        )
    if after["contact_from"] == ContactChoice.other and contact_of(survivor) != after["contact"]:
        raise UndoRefused(
            N_(
                "The contact details of %(reference)s were changed after the merge; undo "
                "would overwrite them. Correct them by hand instead."
            ),
            **names,
        )


def _latest_merge(
    session: Session, survivor: Registration, absorbed: Registration
) -> AuditEvent | None:
    """The newest merge of ``absorbed`` into ``survivor`` that recorded what undo needs."""
    events = session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.action == "case.merge",
            AuditEvent.subject_type == "registration",
            AuditEvent.subject_id == survivor.reference,
        )
        .order_by(col(AuditEvent.id).desc())
    ).all()
    for event in events:
        after = event.after or {}
        if after.get("duplicate") == absorbed.reference:
            return event if "moved_ids" in after else None
    return None


def _readable(
    session: Session, staff: StaffContext, survivor: Registration, absorbed: Registration
) -> bool:
    try:
        get_readable_case(session, staff, survivor.reference)
        get_readable_case(session, staff, absorbed.reference)
    except NotFound:
        return False
    return True


def _record_undo(
    session: Session,
    staff: StaffContext,
    event: AuditEvent,
    survivor: Registration,
    absorbed: Registration,
) -> None:
    """Both histories say the merge was undone; the names stay in the merge's own events."""
    after = event.after or {}
    for subject in (survivor, absorbed):
        record_event(
            session,
            actor=staff.actor,
            action="case.merge_undone",
            subject_type="registration",
            subject_id=subject.reference,
            before={"kept": survivor.reference, "duplicate": absorbed.reference},
            after={"merge_event": event.id, "people": len(after.get("moved_ids", []))},
        )
