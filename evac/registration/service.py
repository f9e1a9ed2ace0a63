"""Registering a household, and what its registrant may change afterwards."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.errors import Conflict, InvalidInput, NotFound
from evac.i18n import N_
from evac.notifications.service import enqueue_confirmation
from evac.registration import idempotency
from evac.registration.flags import refresh_case_flags
from evac.registration.models import CaseStatus, IdempotencyRecord, Person, Registration
from evac.registration.normalize import clean_text, document_key, fold, name_key
from evac.registration.reference import (
    hash_token,
    new_access_token,
    new_reference,
    normalize_reference,
    token_matches,
)
from evac.registration.rules import Problem, check_registration, normalize_email, normalize_phone
from evac.registration.schemas import MemberIn, RegistrationIn
from evac.settings import get_settings

# A case in these states no longer holds its people's travel documents.
CLOSED_STATUSES = frozenset({CaseStatus.withdrawn, CaseStatus.duplicate, CaseStatus.arrived})

Geocode = Callable[[str, str], tuple[float, float] | None]


class InvalidRegistration(InvalidInput):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("The registration has errors.")
        self.problems = problems


class AlreadyRegistered(Conflict):
    """A member's travel document belongs to an active case already."""

    def __init__(self, member_indexes: list[int]) -> None:
        super().__init__(
            "A person with this travel document is already registered. Open your private "
            "link to see that case, or ask for a new link to the email you registered with."
        )
        self.member_indexes = member_indexes


@dataclass(frozen=True)
class Registered:
    registration: Registration
    access_token: str
    replayed: bool = False


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
) -> Registered:
    """Validate, store and commit one household's case; safe to retry with the same key.

    With ``private_link`` (reference, token -> URL), a confirmation carrying the
    link is queued to the case's email in the same transaction.
    """
    if idempotency_key and (replay := _replay(session, idempotency_key)):
        return replay
    problems = check_registration(data, today=today)
    if problems:
        raise InvalidRegistration(problems)
    taken = _members_already_registered(session, data.members)
    if taken:
        raise AlreadyRegistered(taken)
    token = new_access_token()
    registration = _new_registration(data, token, geocode, external_reference)
    if registered_at is not None:
        registration.registered_at = registration.updated_at = registered_at
    refresh_case_flags(registration, today=today, home_country=get_settings().home_country)
    session.add(registration)
    try:
        session.flush()
        registration.possible_duplicate_of_id = _possible_duplicate_of(session, registration)
        record_event(
            session,
            actor=actor,
            action="registration.create",
            subject_type="registration",
            subject_id=registration.reference,
            after=_summary(registration),
        )
        if idempotency_key:
            session.add(
                IdempotencyRecord(
                    key=idempotency_key,
                    registration_id=registration.id,  # type: ignore[arg-type]
                    response_ciphertext=idempotency.seal(
                        {"reference": registration.reference, "token": token}
                    ),
                )
            )
        if private_link is not None:
            enqueue_confirmation(session, registration, private_link(registration.reference, token))
        session.commit()
    except IntegrityError:
        session.rollback()
        if idempotency_key and (replay := _replay(session, idempotency_key)):
            return replay
        raise AlreadyRegistered(list(range(len(data.members)))) from None
    return Registered(registration, token)


def _replay(session: Session, key: str) -> Registered | None:
    record = idempotency.find(session, key)
    payload = idempotency.unseal(record.response_ciphertext) if record else None
    if record is None or payload is None:
        return None
    registration = session.get(Registration, record.registration_id)
    if registration is None:
        return None
    return Registered(registration, payload["token"], replayed=True)


def _members_already_registered(session: Session, members: list[MemberIn]) -> list[int]:
    keys = {
        (document_key(m.document.number), m.document.country, m.document.type): i
        for i, m in enumerate(members)
    }
    rows = session.exec(
        select(Person.document_number_key, Person.document_country, Person.document_type).where(
            Person.is_active,
            sa.tuple_(
                Person.document_number_key, Person.document_country, Person.document_type
            ).in_(list(keys)),
        )
    ).all()
    return sorted(keys[(number, country, kind)] for number, country, kind in rows)


def _new_registration(
    data: RegistrationIn, token: str, geocode: Geocode | None, external_reference: str | None
) -> Registration:
    return Registration(
        **registration_values(data, geocode, external_reference),
        access_token_hash=hash_token(token),
        members=[new_person(member, position) for position, member in enumerate(data.members)],
    )


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
    return {
        "position": position,
        "given_name": given,
        "family_name": family,
        "name_key": name_key(given, family),
        "family_name_key": fold(family),
        "date_of_birth": member.date_of_birth,
        "sex": member.sex,
        "nationality": member.nationality.upper(),
        "document_type": member.document.type,
        "document_number": member.document.number.strip(),
        "document_number_key": document_key(member.document.number),
        "document_country": member.document.country.upper(),
        "document_expiry": member.document.expiry,
        "needs_stretcher": member.needs_stretcher,
        "needs_wheelchair": member.needs_wheelchair,
        "needs_oxygen": member.needs_oxygen,
        "medical_urgency": member.medical_urgency,
        "pregnant": member.pregnant,
    }


def _possible_duplicate_of(session: Session, registration: Registration) -> int | None:
    """Another active case with someone of the same name and birth date."""
    pairs = [(p.name_key, p.date_of_birth) for p in registration.members]
    return session.exec(
        select(Person.registration_id)
        .where(
            Person.is_active,
            Person.registration_id != registration.id,
            sa.tuple_(Person.name_key, Person.date_of_birth).in_(pairs),
        )
        .order_by(Person.registration_id)
        .limit(1)
    ).first()


def _summary(registration: Registration) -> dict[str, object]:
    return {
        "reference": registration.reference,
        "status": registration.status,
        "country": registration.country,
        "city": registration.city,
        "people": len(registration.members),
        "possible_duplicate_of_id": registration.possible_duplicate_of_id,
    }


def find_by_token(session: Session, reference: str, token: str | None) -> Registration:
    """The case behind a private link; any mismatch is the same 404."""
    canonical = normalize_reference(reference)
    registration = (
        session.exec(select(Registration).where(Registration.reference == canonical)).first()
        if canonical
        else None
    )
    if registration is None or not token_matches(token, registration.access_token_hash):
        raise NotFound(N_("No case matches this link."))
    return registration
