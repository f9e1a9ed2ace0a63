"""Anonymizing closed cases once they have been quiet for long enough.

A case is purgeable when its status is final (arrived, withdrawn, duplicate:
``CLOSED_STATUSES``) and its last change (``updated_at``) is older than the
cutoff. Purging removes what identifies or reaches a person and keeps what the
statistics need:

- kept: reference, country, city, status, language, dates, consents, the
  household's derived flags, each member's year of birth, sex, nationality,
  document type and country, medical needs, flight assignments, the audit
  trail's actions, actors and times;
- removed: phone, email, address, coordinates, external reference, the private
  link (its token hash), names and their search keys, document numbers and
  expiry, the exact birth date (Jan 1 of the year is kept), the text of staff
  notes, the recipient, subject and body of outbox messages, idempotency
  records, and every value in the case's audit events but for the keys in
  ``AUDIT_KEYS_KEPT``.

Tables without personal data have no purge: ``place`` (assembly points,
seaports, border crossings, railway stations: a code, a name, a position) and
the legs in ``flight`` are about vehicles and places, never about people.

The private link's token hash is replaced by ``ANONYMIZED_MARK``, which
no SHA-256 digest can equal: it kills the link and marks the case as done, so a
second purge skips it. Cases are handled in batches, each in one transaction,
and a case is claimed by a conditional UPDATE that checks the conditions again,
so a case reopened meanwhile is left alone.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from evac.audit.models import AuditEvent
from evac.audit.service import SYSTEM, record_event
from evac.cases.models import CaseNote
from evac.errors import InvalidInput
from evac.i18n import N_
from evac.notifications.models import OutboxMessage, OutboxStatus
from evac.registration.models import IdempotencyRecord, Person, Registration
from evac.registration.service import CLOSED_STATUSES

logger = logging.getLogger(__name__)

FINAL_STATUSES = CLOSED_STATUSES
ANONYMIZED = "[anonymized]"
ANONYMIZED_MARK = "anonymized"
BATCH_SIZE = 500
# Audit values under these keys say nothing about a person and are kept.
AUDIT_KEYS_KEPT = frozenset(
    {
        "status", "row_version", "flight", "people", "reference", "country", "city",
        "language", "from", "to", "kept", "duplicate", "linked_case", "note_id",
        "possible_duplicate_of_id", "position", "document_country", "no_show_people",
    }
)  # fmt: skip
_REGISTRATION = "registration"


@dataclass
class PurgeResult:
    """What a purge did (or, for a dry run, would do)."""

    cutoff: datetime
    cases: int = 0
    people: int = 0
    notes: int = 0
    messages: int = 0
    audit_events: int = 0
    idempotency_records: int = 0

    def summary(self) -> dict[str, Any]:
        return asdict(self) | {"cutoff": self.cutoff.isoformat()}


def purge_cutoff(now: datetime, older_than_days: int) -> datetime:
    """The moment before which a closed case's last change makes it purgeable."""
    if older_than_days < 1:
        raise InvalidInput(N_("--older-than must be at least 1 day."))
    return now - timedelta(days=older_than_days)


def purgeable(cutoff: datetime) -> sa.ColumnElement[bool]:
    return sa.and_(
        Registration.status.in_(sorted(FINAL_STATUSES)),  # type: ignore[attr-defined]
        Registration.updated_at < cutoff,  # type: ignore[arg-type]
        Registration.access_token_hash != ANONYMIZED_MARK,
    )


def count_purgeable(session: Session, cutoff: datetime) -> int:
    statement = sa.select(sa.func.count()).select_from(Registration).where(purgeable(cutoff))
    count = session.execute(statement).scalar_one()
    session.rollback()  # end the read (on SQLite it holds the write lock)
    return count


def purge(
    session: Session, cutoff: datetime, *, batch_size: int = BATCH_SIZE, actor: str = SYSTEM
) -> PurgeResult:
    """Anonymize every purgeable case, one committed batch at a time, and audit the run."""
    result = PurgeResult(cutoff=cutoff)
    last_id = 0
    while True:
        ids = list(
            session.execute(
                sa.select(Registration.id)
                .where(purgeable(cutoff), Registration.id > last_id)  # type: ignore[operator]
                .order_by(Registration.id)
                .limit(batch_size)
            ).scalars()
        )
        if not ids:
            session.rollback()
            break
        _anonymize_batch(session, ids, cutoff, result)
        session.commit()
        last_id = ids[-1]
        logger.info("retention: %s cases anonymized so far", result.cases)
    record_event(
        session,
        actor=actor,
        action="retention.purge",
        subject_type="retention",
        subject_id=cutoff.date().isoformat(),
        after=result.summary(),
    )
    session.commit()
    return result


def _anonymize_batch(
    session: Session, ids: Sequence[int], cutoff: datetime, result: PurgeResult
) -> None:
    claimed = session.execute(
        sa.update(Registration)
        .where(Registration.id.in_(ids), purgeable(cutoff))  # type: ignore[union-attr]
        .values(
            phone=None,
            email=None,
            address=None,
            latitude=None,
            longitude=None,
            external_reference=None,
            access_token_hash=ANONYMIZED_MARK,
            row_version=Registration.row_version + 1,
        )
        .returning(Registration.id, Registration.reference)
        .execution_options(synchronize_session=False)
    ).all()
    if not claimed:
        return
    case_ids = [row[0] for row in claimed]
    references = {row[1] for row in claimed}
    result.cases += len(claimed)
    result.people += _anonymize_people(session, case_ids)
    result.notes += _rowcount(
        session.execute(
            sa.update(CaseNote)
            .where(CaseNote.registration_id.in_(case_ids))  # type: ignore[attr-defined]
            .values(text=ANONYMIZED)
            .execution_options(synchronize_session=False)
        )
    )
    result.messages += _anonymize_messages(session, case_ids)
    result.idempotency_records += _rowcount(
        session.execute(
            sa.delete(IdempotencyRecord)
            .where(IdempotencyRecord.registration_id.in_(case_ids))  # type: ignore[attr-defined]
            .execution_options(synchronize_session=False)
        )
    )
    result.audit_events += _scrub_audit_events(session, references, keys=None)
    result.audit_events += _scrub_linked_events(session, case_ids, references)


def _rowcount(result: sa.Result[Any]) -> int:
    return result.rowcount  # type: ignore[attr-defined, no-any-return]


def _anonymize_people(session: Session, case_ids: list[int]) -> int:
    people = session.execute(
        sa.select(Person.id, Person.date_of_birth).where(
            Person.registration_id.in_(case_ids)  # type: ignore[attr-defined]
        )
    ).all()
    if people:
        session.execute(
            sa.update(Person),
            [_anonymous_person(person_id, born) for person_id, born in people],
        )
    return len(people)


def _anonymous_person(person_id: int, born: date) -> dict[str, Any]:
    # Document keys are [0-9A-Z] only, so "ANON-<id>" can never collide with a
    # real document and the unique index on active documents always holds.
    document = f"ANON-{person_id}"
    return {
        "id": person_id,
        "given_name": ANONYMIZED,
        "family_name": "",
        "name_key": "",
        "family_name_key": "",
        "passport_surname": None,
        "passport_given_names": None,
        "date_of_birth": date(born.year, 1, 1),
        "document_number": document,
        "document_number_key": document,
        "document_expiry": None,
    }


def _anonymize_messages(session: Session, case_ids: list[int]) -> int:
    """Blank the case's messages; one still waiting is never sent."""
    return _rowcount(
        session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.registration_id.in_(case_ids))  # type: ignore[union-attr]
            .values(
                recipient=ANONYMIZED,
                subject=ANONYMIZED,
                body=ANONYMIZED,
                last_error=None,
                status=sa.case(
                    (OutboxMessage.status == OutboxStatus.pending, OutboxStatus.dead.value),
                    else_=OutboxMessage.status,
                ),
            )
            .execution_options(synchronize_session=False)
        )
    )


def scrub(value: Any, keep: bool = True) -> Any:
    """``value`` with every scalar not under a key of ``AUDIT_KEYS_KEPT`` anonymized."""
    if isinstance(value, dict):
        return {key: scrub(item, key in AUDIT_KEYS_KEPT) for key, item in value.items()}
    if isinstance(value, list):
        return [scrub(item, keep) for item in value]
    if value is None or keep:
        return value
    return ANONYMIZED


def _scrub_audit_events(
    session: Session,
    references: set[str],
    *,
    keys: frozenset[str] | None,
    actions: tuple[str, ...] = (),
    moved_into: set[str] | None = None,
) -> int:
    """Anonymize the values of these cases' audit events (only ``keys`` if given).

    With ``moved_into``, only the events of people moving into one of those cases.
    """
    statement = sa.select(AuditEvent.id, AuditEvent.before, AuditEvent.after).where(
        AuditEvent.subject_type == _REGISTRATION,
        AuditEvent.subject_id.in_(sorted(references)),  # type: ignore[attr-defined]
    )
    if actions:
        statement = statement.where(AuditEvent.action.in_(actions))  # type: ignore[attr-defined]
    changes = []
    for event_id, before, after in session.execute(statement):
        if moved_into is not None and not _moved_into(after, moved_into):
            continue
        clean = {"before": _scrubbed(before, keys), "after": _scrubbed(after, keys)}
        if clean != {"before": before, "after": after}:
            changes.append({"id": event_id, **clean})
    if changes:
        session.execute(sa.update(AuditEvent), changes)
    return len(changes)


def _moved_into(after: dict[str, Any] | None, references: set[str]) -> bool:
    return bool(after) and bool({after.get("to"), after.get("kept")} & references)  # type: ignore[union-attr]


def _scrubbed(value: dict[str, Any] | None, keys: frozenset[str] | None) -> Any:
    if value is None:
        return None
    if keys is None:
        return scrub(value)
    return {key: scrub(item, False) if key in keys else item for key, item in value.items()}


def _scrub_linked_events(session: Session, case_ids: list[int], references: set[str]) -> int:
    """A split or merge names the people who moved in the other case's trail too.

    The names of people who moved into a purged case are removed from the
    events of the case they came from (split) or were merged from.
    """
    linked = (
        set(
            session.execute(
                sa.select(Registration.reference).where(
                    sa.or_(
                        Registration.id.in_(  # type: ignore[union-attr]
                            sa.select(Registration.split_from_id).where(
                                Registration.id.in_(case_ids)  # type: ignore[union-attr]
                            )
                        ),
                        Registration.merged_into_id.in_(case_ids),  # type: ignore[union-attr]
                    )
                )
            ).scalars()
        )
        - references
    )
    if not linked:
        return 0
    return _scrub_audit_events(
        session,
        linked,
        keys=frozenset({"moved"}),
        actions=("case.split", "case.merge"),
        moved_into=references,
    )
