"""Registering a household, and what its registrant may change afterwards."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evac.audit.service import REGISTRANT, record_event, record_events
from evac.db import utcnow
from evac.errors import EvacError, InvalidFields, NotFound
from evac.i18n import N_
from evac.notifications.service import enqueue_confirmation
from evac.registration import idempotency
from evac.registration.duplicates import Known, find_known, set_aside_held_documents, tell_holders
from evac.registration.flags import compute_case_flags
from evac.registration.models import (
    CaseStatus,
    DocumentMissingReason,
    DocumentType,
    IdempotencyRecord,
    Person,
    Registration,
)
from evac.registration.normalize import clean_text, document_key, fold, name_key
from evac.registration.passport_rules import passport_names
from evac.registration.reference import (
    hash_token,
    new_access_token,
    new_reference,
    normalize_reference,
    token_matches,
)
from evac.registration.rules import (
    check_registration,
    normalize_email,
    normalize_phone,
    second_contact_values,
)
from evac.registration.schemas import DocumentIn, MemberIn, RegistrationIn
from evac.settings import get_settings
from evac.web.ratelimit import Limit, Verdict

# A case in these states no longer holds its people's travel documents.
CLOSED_STATUSES = frozenset({CaseStatus.withdrawn, CaseStatus.duplicate, CaseStatus.arrived})

Geocode = Callable[[str, str], tuple[float, float] | None]

REGISTRATION_TABLE: sa.Table = Registration.__table__  # type: ignore[attr-defined]
PERSON_TABLE: sa.Table = Person.__table__  # type: ignore[attr-defined]
IDEMPOTENCY_TABLE: sa.Table = IdempotencyRecord.__table__  # type: ignore[attr-defined]


TOO_MANY = N_(
    "Too many registrations were sent from your network. Nothing was saved: "
    "please send the form again in %(minutes)s minutes."
)


class InvalidRegistration(InvalidFields):
    """A registration's problems, wherever it comes from (form, API, import, an edit)."""


class TooManyRegistrations(EvacError):
    """Over the per-address limit: nothing was saved."""

    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: int) -> None:
        super().__init__(TOO_MANY, minutes=max(1, math.ceil(retry_after / 60)))
        self.retry_after = retry_after


@dataclass(frozen=True)
class Registered:
    """A stored case as its registrant is told of it."""

    id: int
    reference: str
    status: CaseStatus
    possible_duplicate_of_id: int | None
    access_token: str
    replayed: bool = False

    def case(self, session: Session) -> Registration:
        """The stored case, loaded for a caller that goes on to work with it."""
        registration = session.get(Registration, self.id)
        if registration is None:
            raise NotFound(N_("No case matches this link."))
        return registration


@dataclass(frozen=True)
class NewCase:
    """A case about to be stored, as plain rows (enough to address its confirmation)."""

    values: dict[str, Any]
    people: list[dict[str, Any]]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def register_household(
    session: Session,
    data: RegistrationIn,
    *,
    actor: str,
    today: date,
    geocode: Geocode | None = None,
    idempotency_key: str | None = None,
    external_reference: str | None = None,
    registered_at: datetime | None = None,
    private_link: Callable[[str, str], str] | None = None,
    limit: Limit | None = None,
) -> Registered:
    """Validate, store and commit one household's case; safe to retry with the same key.

    With ``private_link`` (reference, token -> URL), a confirmation carrying the
    link is queued to the case's email in the same transaction. With ``limit``,
    the registration counts against its address's limit in the same transaction
    and is refused with ``TooManyRegistrations`` over it.

    Everything is written with plain INSERTs in one transaction: this is the
    path every registrant takes at once in a surge, and the ORM's unit of work
    cost more than everything else on it together (docs/benchmarks.md). A
    travel document held by another active case does not refuse the
    registration (that would tell anyone whether a passport is registered):
    see ``evac.registration.duplicates``. A retry with ``idempotency_key`` gets
    the first answer only if it sends the same registration. The key is not
    looked up first: the unique index on it turns a retry into an
    ``IntegrityError``, which is rare, so the first try costs no round trip more.
    """
    request_hash = idempotency.fingerprint(data) if idempotency_key else ""
    problems = check_registration(data, today=today)
    if problems:
        raise InvalidRegistration(problems)
    attempt = _Attempt(actor, today, idempotency_key, request_hash, private_link, limit)
    home_country = get_settings().home_country

    def case_of(token: str) -> NewCase:
        return new_case(
            data, token, geocode, external_reference, today, home_country, registered_at
        )

    try:
        return attempt.store(session, case_of)
    except IntegrityError:
        # Another request took this key, a document or the reference meanwhile.
        session.rollback()
        if idempotency_key and (replay := _replay(session, idempotency_key, request_hash)):
            return replay
        if idempotency_key:
            idempotency.forget_expired(session, idempotency_key)
        return attempt.store(session, case_of)


@dataclass(frozen=True)
class _Attempt:
    """One try at storing a new case, committed as a whole or not at all."""

    actor: str
    today: date
    idempotency_key: str | None
    request_hash: str
    private_link: Callable[[str, str], str] | None
    limit: Limit | None

    def store(self, session: Session, case_of: Callable[[str], NewCase]) -> Registered:
        if self.limit is not None:
            # First: a flood from one address is refused before any work, and the
            # address's counter row stays locked only until this transaction ends.
            verdict = self.limit.count(session)
            if not verdict.allowed:
                return self._refuse(session, verdict)
        token = new_access_token()
        case = case_of(token)
        known = find_known(session, case.people)
        case.people[:] = set_aside_held_documents(case.people, known)
        case.values["possible_duplicate_of_id"] = known.duplicate_of
        _insert_case(session, case)
        record_events(session, [self._created_event(case, known)])
        if self.idempotency_key:
            _remember(session, self.idempotency_key, self.request_hash, case, token)
        tell_holders(session, known, today=self.today)
        if self.private_link is not None:
            enqueue_confirmation(session, case, self.private_link(case.reference, token))
        session.commit()
        return Registered(
            case.id, case.reference, case.status, case.possible_duplicate_of_id, token
        )

    def _refuse(self, session: Session, verdict: Verdict) -> Registered:
        """Over the limit, nothing is stored; a retry of what was registered already
        still gets its answer."""
        session.rollback()
        if self.idempotency_key and (
            replay := _replay(session, self.idempotency_key, self.request_hash)
        ):
            return replay
        raise TooManyRegistrations(verdict.retry_after)

    def _created_event(self, case: NewCase, known: Known) -> dict[str, Any]:
        after = case_summary(case)
        if known.held_by:
            after["documents_held_elsewhere"] = sorted(known.held_by)
        return {
            "actor": self.actor,
            "action": "registration.create",
            "subject_type": "registration",
            "subject_id": case.reference,
            "after": after,
        }


def new_case(
    data: RegistrationIn,
    token: str,
    geocode: Geocode | None,
    external_reference: str | None,
    today: date,
    home_country: str,
    registered_at: datetime | None = None,
) -> NewCase:
    """A new case's rows as stored: the registration's (with its derived flags) and
    its people's. The CSV import inserts them in bulk; the form one at a time."""
    people = [
        {**person_values(member, position), "is_active": True}
        for position, member in enumerate(data.members)
    ]
    flags = compute_case_flags(
        [SimpleNamespace(**person) for person in people],
        today=today,
        home_country=home_country,
    )
    registered_at = registered_at or utcnow()
    values = {
        **registration_values(data, geocode, external_reference),
        **asdict(flags),
        "status": CaseStatus.registered,
        "registered_at": registered_at,
        "updated_at": registered_at,
        "access_token_hash": hash_token(token),
        "possible_duplicate_of_id": None,
        "row_version": 1,
    }
    return NewCase(values, people)


def _insert_case(session: Session, case: NewCase) -> None:
    connection = session.connection()
    registration_id = connection.execute(
        REGISTRATION_TABLE.insert().returning(REGISTRATION_TABLE.c.id), case.values
    ).scalar_one()
    case.values["id"] = registration_id
    for person in case.people:
        person["registration_id"] = registration_id
    connection.execute(PERSON_TABLE.insert(), case.people)


def _remember(session: Session, key: str, request_hash: str, case: NewCase, token: str) -> None:
    """Keep the answer, so that a retry of the same request gets the same case and token."""
    sealed = idempotency.seal({"reference": case.reference, "token": token})
    session.connection().execute(
        IDEMPOTENCY_TABLE.insert(),
        {
            "key": key,
            "created_at": utcnow(),
            "registration_id": case.id,
            "request_hash": request_hash,
            "response_ciphertext": sealed,
        },
    )


def _replay(session: Session, key: str, request_hash: str) -> Registered | None:
    """The first answer to this request, if ``key`` was used within a day.

    Raises ``IdempotencyKeyReused`` if it was used for another registration:
    the token of someone else's household is never handed out.
    """
    record = idempotency.find(session, key)
    if record is not None and not record.matches(request_hash):
        raise idempotency.IdempotencyKeyReused()
    payload = idempotency.unseal(record.response_ciphertext) if record else None
    if record is None or payload is None:
        return None
    stored = (
        session.connection()
        .execute(
            sa.select(
                Registration.id,
                Registration.reference,
                Registration.status,
                Registration.possible_duplicate_of_id,
            ).where(Registration.id == record.registration_id)
        )
        .first()
    )
    if stored is None:
        return None
    return Registered(*stored, access_token=payload["token"], replayed=True)


def registration_values(
    data: RegistrationIn, geocode: Geocode | None, external_reference: str | None
) -> dict[str, Any]:
    """A new case's column values as stored (the CSV import inserts them in bulk)."""
    location, contact = data.location, data.contact
    latitude, longitude = location.latitude, location.longitude
    city = clean_text(location.city)
    if latitude is None and city and geocode:
        latitude, longitude = geocode(city, location.country) or (None, None)
    return {
        "reference": new_reference(),
        "external_reference": clean_text(external_reference),
        "phone": normalize_phone(contact.phone, location.country),
        "email": normalize_email(contact.email) if contact.email else None,
        "language": contact.language,
        **second_contact_values(contact, location.country),
        "country": location.country.upper(),
        "city": city,
        "address": clean_text(location.address),
        "latitude": latitude,
        "longitude": longitude,
        "consent_processing": data.consent,
        "consent_share_with_own_mission": data.consent_share_with_own_mission,
    }


def new_person(member: MemberIn, position: int) -> Person:
    return Person(**person_values(member, position))


def person_values(member: MemberIn, position: int) -> dict[str, Any]:
    """A member's column values as stored: names trimmed, search keys folded."""
    given, family = clean_text(member.given_name) or "", clean_text(member.family_name) or ""
    passport_surname, passport_given_names = passport_names(member)
    return {
        "position": position,
        "given_name": given,
        "family_name": family,
        "name_key": name_key(given, family),
        "family_name_key": fold(family),
        "passport_surname": passport_surname,
        "passport_given_names": passport_given_names,
        "date_of_birth": member.date_of_birth,
        "sex": member.sex,
        "nationality": member.nationality.upper(),
        **document_values(member.document),
        "needs_stretcher": member.needs_stretcher,
        "needs_wheelchair": member.needs_wheelchair,
        "needs_oxygen": member.needs_oxygen,
        "medical_urgency": member.medical_urgency,
        "pregnant": member.pregnant,
    }


def document_values(document: DocumentIn) -> dict[str, Any]:
    """A travel document's columns as stored. Without one (type N) the number and
    country are empty, and the reason is kept; it is kept with an emergency
    travel document too, as the reason for it."""
    has_document = document.type != DocumentType.none
    explains = document.type in (DocumentType.none, DocumentType.emergency)
    reason = document.missing_reason if explains else None
    return {
        "document_type": document.type,
        "document_number": (document.number or "").strip() if has_document else "",
        "document_number_key": document_key(document.number or "") if has_document else "",
        "document_country": (document.country or "").upper() if has_document else "",
        "document_expiry": document.expiry if has_document else None,
        "document_missing_reason": reason,
        "document_missing_note": (
            clean_text(document.missing_note) if reason == DocumentMissingReason.other else None
        ),
    }


def case_summary(case: NewCase) -> dict[str, object]:
    """What the ``registration.create`` audit event records of a new case."""
    keys = ("reference", "status", "country", "city", "possible_duplicate_of_id")
    summary: dict[str, object] = {key: case.values[key] for key in keys}
    summary["people"] = len(case.people)
    return summary


def find_by_token(session: Session, reference: str, token: str | None) -> Registration:
    """The case behind a private link; any mismatch is the same 404.

    The case's pending link (sent for a lost one) opens it too, and its first
    use makes it the case's link: the link it replaces stops working then, not
    when the new one was asked for. A closed case keeps its link as it is.
    """
    canonical = normalize_reference(reference)
    registration = (
        session.exec(select(Registration).where(Registration.reference == canonical)).first()
        if canonical
        else None
    )
    if registration is None:
        raise NotFound(N_("No case matches this link."))
    current = token_matches(token, registration.access_token_hash)
    pending = token_matches(token, registration.pending_token_hash or "")
    if current:
        return registration
    if pending and registration.status not in CLOSED_STATUSES:
        _promote_pending_link(session, registration)
        return registration
    raise NotFound(N_("No case matches this link."))


def _promote_pending_link(session: Session, registration: Registration) -> None:
    pending = registration.pending_token_hash
    promoted = session.execute(
        sa.update(Registration)
        .where(
            Registration.id == registration.id,  # type: ignore[arg-type]
            Registration.pending_token_hash == pending,  # type: ignore[arg-type]
        )
        .values(access_token_hash=pending, pending_token_hash=None)
    )
    if promoted.rowcount == 1:  # type: ignore[attr-defined]
        record_event(
            session,
            actor=REGISTRANT,
            action="registration.link_activate",
            subject_type="registration",
            subject_id=registration.reference,
            after={"by": "email"},
        )
    session.commit()
