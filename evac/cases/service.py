"""Officers' changes to cases: status transitions (one or many) and notes.

Every change writes an audit event and bumps the case's row version with a
conditional UPDATE, so that two officers editing one case at once cannot
silently overwrite each other: the second one gets a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.audit.service import record_event
from evac.cases.changes import checked_case_changes
from evac.cases.models import CaseNote
from evac.cases.scope import readable_cases
from evac.errors import Conflict, InvalidInput
from evac.i18n import N_
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import NOT_FROM_HERE, officer_action_to, officer_refusal
from evac.lifecycle.service import StaleCase, TransitionRefused
from evac.lifecycle.undo import undo_status
from evac.registration.models import CaseStatus, Registration
from evac.retention.service import ANONYMIZED_MARK
from evac.row_versions import claim_next_version
from evac.staff.auth import StaffContext

MAX_NOTE_LENGTH = 4000


def transition_case(
    session: Session,
    staff: StaffContext,
    case: Registration,
    target: CaseStatus,
    *,
    expected_version: int | None = None,
    duplicate_of: Registration | None = None,
) -> None:
    """Move one case to ``target`` and commit, or raise with the reason it is refused.

    A case marked as a duplicate names the case it duplicates (``duplicate_of``)."""
    if case.access_token_hash == ANONYMIZED_MARK:
        raise InvalidInput(
            N_("This case was anonymized under the retention rules; it stays closed.")
        )
    current = CaseStatus(case.status)
    action = officer_action_to(current, target)
    if action is None:
        raise TransitionRefused(officer_refusal(current, target) or NOT_FROM_HERE)
    details: dict[str, str] = {}
    if target == CaseStatus.duplicate:
        details["duplicate_of"] = _original(case, duplicate_of).reference
    lifecycle.apply(
        session, case, action, actor=staff.actor, expected_version=expected_version,
        details=details,
    )  # fmt: skip
    session.commit()


def _original(case: Registration, duplicate_of: Registration | None) -> Registration:
    if duplicate_of is None:
        raise InvalidInput(N_("Give the reference of the case this one duplicates."))
    if duplicate_of.id == case.id:
        raise InvalidInput(N_("A case cannot be a duplicate of itself."))
    return duplicate_of


def undo_status_change(
    session: Session, staff: StaffContext, case: Registration, event_id: int
) -> CaseStatus:
    """Undo the case's last change of status (``lifecycle.undo``) and commit."""
    try:
        restored = undo_status(session, case, event_id, actor=staff.actor)
    except Exception:
        session.rollback()
        raise
    session.commit()
    return restored


@dataclass
class BulkResult:
    changed: list[str] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def bulk_transition(
    session: Session,
    staff: StaffContext,
    references: Sequence[str],
    target: CaseStatus,
    duplicate_of: Registration | None = None,
) -> BulkResult:
    """Apply one transition to many cases; each refusal is reported with its reason."""
    result = BulkResult()
    wanted = sorted(set(references))
    found = {
        case.reference: case
        for case in session.exec(
            readable_cases(staff).where(Registration.reference.in_(wanted))  # type: ignore[attr-defined]
        ).all()
    }
    for reference in wanted:
        case = found.get(reference)
        if case is None:
            result.refused.append((reference, N_("No case with this reference in your missions.")))
            continue
        try:
            transition_case(session, staff, case, target, duplicate_of=duplicate_of)
        except (InvalidInput, Conflict) as refused:
            result.refused.append((reference, refused.message))
        else:
            result.changed.append(reference)
    return result


def dismiss_duplicate_flag(
    session: Session, staff: StaffContext, case: Registration, *, expected_version: int
) -> None:
    """An officer decides the case is not a duplicate: the planner may seat it again."""
    before = {"possible_duplicate_of_id": case.possible_duplicate_of_id}
    claim_next_version(session, case, expected_version, StaleCase)
    case.possible_duplicate_of_id = None
    record_event(
        session,
        actor=staff.actor,
        action="case.not_duplicate",
        subject_type="registration",
        subject_id=case.reference,
        before=before,
        after={"possible_duplicate_of_id": None},
    )
    session.commit()


def add_note(session: Session, staff: StaffContext, case: Registration, text: str) -> CaseNote:
    text = text.strip()
    if not text:
        raise InvalidInput(N_("Write the note first."))
    if len(text) > MAX_NOTE_LENGTH:
        raise InvalidInput(N_("A note is at most 4000 characters."))
    note = CaseNote(registration_id=case.id, author=staff.username, text=text)  # type: ignore[arg-type]
    session.add(note)
    session.flush()
    record_event(
        session,
        actor=staff.actor,
        action="case.note",
        subject_type="registration",
        subject_id=case.reference,
        after={"note_id": note.id, "text": text},
    )
    session.commit()
    return note


def case_notes(session: Session, case: Registration) -> list[CaseNote]:
    return list(
        session.exec(
            select(CaseNote)
            .where(CaseNote.registration_id == case.id)
            .order_by(CaseNote.created_at.desc())  # type: ignore[attr-defined]
        ).all()
    )


def case_timeline(session: Session, case: Registration) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.subject_type == "registration", AuditEvent.subject_id == case.reference
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())  # type: ignore[attr-defined,union-attr]
        ).all()
    )


def update_case_details(
    session: Session,
    staff: StaffContext,
    case: Registration,
    changes: dict[str, object],
    *,
    expected_version: int,
) -> None:
    """Change contact and location fields, validated as a registration is, and audit them."""
    clean = checked_case_changes(case, changes)
    before = {name: getattr(case, name) for name in clean}
    claim_next_version(session, case, expected_version, StaleCase)
    for name, value in clean.items():
        setattr(case, name, value)
    record_event(
        session,
        actor=staff.actor,
        action="case.update",
        subject_type="registration",
        subject_id=case.reference,
        before=before,
        after=clean,
    )
    session.commit()
