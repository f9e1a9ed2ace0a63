"""What a registrant may do with their own case, through its private link.

Every change checks the ``row_version`` the person saw (two devices, or an
officer editing at the same time, must not silently overwrite each other),
increments it, records an audit event and commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from evac.audit.service import REGISTRANT, record_event
from evac.db import utcnow
from evac.errors import Conflict, InvalidInput, NotFound
from evac.i18n import N_, get_translations
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import CASE_TRANSITIONS, Action
from evac.notifications.service import enqueue_document_reused
from evac.registration.flags import refresh_case_flags
from evac.registration.models import CaseStatus, DocumentType, Person, Registration
from evac.registration.normalize import clean_text, document_key
from evac.registration.rules import (
    Problem,
    check_registration,
    normalize_email,
    normalize_phone,
    second_contact_values,
)
from evac.registration.schemas import (
    MAX_MEMBERS,
    ContactIn,
    DocumentIn,
    LocationIn,
    MemberIn,
    RegistrationIn,
)
from evac.registration.service import (
    CLOSED_STATUSES,
    Geocode,
    InvalidRegistration,
    new_person,
)
from evac.row_versions import claim_next_version
from evac.settings import get_settings

# Until a flight is being arranged, the household may change who travels and from where.
EDITABLE_STATUSES = frozenset({CaseStatus.registered, CaseStatus.verified})
WITHDRAWABLE_STATUSES = CASE_TRANSITIONS[Action.withdraw].sources
CONTACT_EDITABLE_STATUSES = frozenset(CaseStatus) - CLOSED_STATUSES
STATUS_WORDS: dict[CaseStatus, tuple[str, str]] = {
    CaseStatus.registered: (
        N_("Registered"),
        N_("Your mission will check your details. Keep your phone on; you need to do nothing now."),
    ),
    CaseStatus.verified: (
        N_("Verified"),
        N_("Your details have been checked. We will send you a message when there is a seat."),
    ),
    CaseStatus.assigned: (
        N_("Seats held on a flight"),
        N_("Seats are held for your household. Watch for our message with the flight details."),
    ),
    CaseStatus.confirmed: (
        N_("Flight confirmed"),
        N_("Come to the meeting point on time, with the documents you registered with."),
    ),
    CaseStatus.checked_in: (
        N_("Checked in"),
        N_("You are checked in. Stay with the group and follow the staff to the plane."),
    ),
    CaseStatus.boarded: (N_("On board"), N_("You are on board. Have a safe journey home.")),
    CaseStatus.arrived: (N_("Arrived"), N_("Welcome home. This case is closed.")),
    CaseStatus.withdrawn: (
        N_("Withdrawn"),
        N_("You told us you no longer need evacuation. If that changes, register again."),
    ),
    CaseStatus.duplicate: (
        N_("Merged with another case"),
        N_("Your household is registered twice; the mission follows the other case."),
    ),
    CaseStatus.deferred: (
        N_("Waiting for a later flight"),
        N_("There was no seat on the current flights. You stay on the list for the next ones."),
    ),
    CaseStatus.no_show: (
        N_("Missed the flight"),
        N_("You were not at the flight. Contact your mission to be put on the list again."),
    ),
}


def status_label(status: str, language: str) -> str:
    """A case status in the reader's language ("verified" → "Verified", "Doğrulandı")."""
    try:
        label = STATUS_WORDS[CaseStatus(status)][0]
    except (KeyError, ValueError):
        return status
    return get_translations(language).gettext(label)


STALE = N_(
    "Someone changed this case while you were editing it, perhaps on another device or at "
    "the mission. Check the details now saved, then make your change again."
)
LOCKED = N_(
    "This can no longer be changed here, because a flight is being arranged for your "
    "household or the case is closed. Please contact your mission."
)
LAST_MEMBER = N_(
    "A case needs at least one person. To cancel the whole registration, withdraw it instead."
)
FULL = N_("A household can register at most %(max)s people. Register the others separately.")


class StaleCase(Conflict):
    def __init__(self) -> None:
        super().__init__(STALE)


class CaseLocked(Conflict):
    def __init__(self) -> None:
        super().__init__(LOCKED)


def can_edit_household(registration: Registration) -> bool:
    return registration.status in EDITABLE_STATUSES


def can_edit_contact(registration: Registration) -> bool:
    return registration.status in CONTACT_EDITABLE_STATUSES


def can_withdraw(registration: Registration) -> bool:
    return registration.status in WITHDRAWABLE_STATUSES


def update_contact(
    session: Session, registration: Registration, contact: ContactIn, *, row_version: int
) -> None:
    _require(can_edit_contact(registration))
    problems = _problems_about("contact", as_input(registration, contact=contact))
    if problems:
        raise InvalidRegistration(problems)
    before = contact_summary(registration)
    claim_next_version(session, registration, row_version, StaleCase)
    registration.phone = normalize_phone(contact.phone, registration.country)
    registration.email = normalize_email(contact.email) if contact.email else None
    registration.language = contact.language
    for column, value in second_contact_values(contact, registration.country).items():
        setattr(registration, column, value)
    record_change(session, registration, "registration.contact_update", before, contact_summary)


def update_location(
    session: Session,
    registration: Registration,
    location: LocationIn,
    *,
    row_version: int,
    geocode: Geocode | None = None,
) -> None:
    _require(can_edit_household(registration))
    problems = _problems_about("location", as_input(registration, location=location))
    if problems:
        raise InvalidRegistration(problems)
    before = location_summary(registration)
    claim_next_version(session, registration, row_version, StaleCase)
    city, country = clean_text(location.city), location.country.upper()
    latitude, longitude = location.latitude, location.longitude
    moved = (city, country) != (registration.city, registration.country)
    kept_old_point = (latitude, longitude) == (registration.latitude, registration.longitude)
    if moved and kept_old_point:
        latitude = longitude = None
    if latitude is None and city and geocode:
        latitude, longitude = geocode(city, country) or (None, None)
    registration.country, registration.city = country, city
    registration.address = clean_text(location.address)
    registration.latitude, registration.longitude = latitude, longitude
    record_change(session, registration, "registration.location_update", before, location_summary)


def add_member(
    session: Session,
    registration: Registration,
    member: MemberIn,
    *,
    row_version: int,
    today: date,
) -> None:
    """Add a person; problems are reported at ``("members", position, …)``.

    A travel document held by another active case is not refused (that would
    tell whether it is registered): see ``evac.registration.duplicates``.
    """
    _require(can_edit_household(registration))
    position = len(registration.members)
    if position >= MAX_MEMBERS:
        raise InvalidRegistration([Problem(("members",), FULL, {"max": MAX_MEMBERS})])
    data = as_input(registration, extra_member=member)
    problems = [
        p for p in check_registration(data, today=today) if p.loc[:2] == ("members", position)
    ]
    if problems:
        raise InvalidRegistration(problems)
    holder = _document_holder(session, member)
    claim_next_version(session, registration, row_version, StaleCase)
    person = new_person(member, position)
    if holder is not None:
        person.is_active = False
        registration.possible_duplicate_of_id = registration.possible_duplicate_of_id or holder
        enqueue_document_reused(session, [holder], day=today)
    registration.members.append(person)
    _refresh_flags(registration, today)
    try:
        session.flush()
    except IntegrityError:
        # Another case took the document since it was looked up: trying again finds it.
        session.rollback()
        raise StaleCase() from None
    after = {"people": position + 1, "added": _person_summary(person)}
    if holder is not None:
        after["document_held_elsewhere"] = True
    record_change(session, registration, "registration.member_add", {"people": position}, after)


def remove_member(
    session: Session, registration: Registration, position: int, *, row_version: int
) -> None:
    _require(can_edit_household(registration))
    person = member_at(registration, position)
    if len(registration.members) <= 1:
        raise InvalidInput(LAST_MEMBER)
    before = {"people": len(registration.members), "removed": _person_summary(person)}
    claim_next_version(session, registration, row_version, StaleCase)
    registration.members.remove(person)
    for new_position, remaining in enumerate(registration.members):
        remaining.position = new_position
    _refresh_flags(registration, utcnow().date())
    after = {"people": len(registration.members)}
    record_change(session, registration, "registration.member_remove", before, after)


def withdraw(session: Session, registration: Registration, *, row_version: int) -> None:
    """The household no longer needs evacuation: close the case and free any seats."""
    _require(can_withdraw(registration))
    if registration.row_version != row_version:
        raise StaleCase()
    try:
        lifecycle.apply(
            session, registration, Action.withdraw, actor=REGISTRANT, expected_version=row_version
        )
    except lifecycle.StaleCase:
        raise StaleCase() from None
    session.commit()


def member_at(registration: Registration, position: int) -> Person:
    for person in registration.members:
        if person.position == position:
            return person
    raise NotFound(N_("No case matches this link."))


def contact_summary(registration: Registration) -> dict[str, Any]:
    return {
        "phone": registration.phone,
        "email": registration.email,
        "language": registration.language,
        "second_contact_name": registration.second_contact_name,
        "second_contact_phone": registration.second_contact_phone,
    }


def location_summary(registration: Registration) -> dict[str, Any]:
    return {
        "country": registration.country,
        "city": registration.city,
        "address": registration.address,
        "latitude": registration.latitude,
        "longitude": registration.longitude,
    }


def _person_summary(person: Person) -> dict[str, Any]:
    return {
        "position": person.position,
        "given_name": person.given_name,
        "family_name": person.family_name,
        "document_country": person.document_country,
    }


def _refresh_flags(registration: Registration, today: date) -> None:
    refresh_case_flags(registration, today=today, home_country=get_settings().home_country)


def _require(allowed: bool) -> None:
    if not allowed:
        raise CaseLocked()


def record_change(
    session: Session,
    registration: Registration,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | Callable[[Registration], dict[str, Any]],
) -> None:
    record_event(
        session,
        actor=REGISTRANT,
        action=action,
        subject_type="registration",
        subject_id=registration.reference,
        before=before,
        after=after(registration) if callable(after) else after,
    )
    session.commit()


def as_input(
    registration: Registration,
    *,
    contact: ContactIn | None = None,
    location: LocationIn | None = None,
    extra_member: MemberIn | None = None,
    replaced: tuple[int, MemberIn] | None = None,
) -> RegistrationIn:
    """The case as the rules see it, with one part or member replaced, or one member added."""
    members = [_member_in(person) for person in registration.members]
    if replaced is not None:
        members[replaced[0]] = replaced[1]
    return RegistrationIn.model_construct(
        contact=contact
        or ContactIn.model_construct(
            phone=registration.phone or "", email=registration.email, language=registration.language
        ),
        location=location
        or LocationIn.model_construct(
            country=registration.country,
            latitude=registration.latitude,
            longitude=registration.longitude,
        ),
        members=members + ([extra_member] if extra_member else []),
        consent=True,
        consent_share_with_own_mission=registration.consent_share_with_own_mission,
    )


def _problems_about(part: str, data: RegistrationIn) -> list[Problem]:
    return [
        problem
        for problem in check_registration(data, today=utcnow().date())
        if problem.loc[0] == part
    ]


def _member_in(person: Person) -> MemberIn:
    return MemberIn.model_construct(
        given_name=person.given_name,
        family_name=person.family_name,
        passport_surname=person.passport_surname,
        passport_given_names=person.passport_given_names,
        date_of_birth=person.date_of_birth,
        sex=person.sex,
        nationality=person.nationality,
        document=DocumentIn.model_construct(
            type=person.document_type,
            number=person.document_number,
            country=person.document_country,
            expiry=person.document_expiry,
            missing_reason=person.document_missing_reason,
            missing_note=person.document_missing_note,
        ),
        pregnant=person.pregnant,
    )


def _document_holder(session: Session, member: MemberIn) -> int | None:
    """The active case holding ``member``'s travel document, if any."""
    if member.document.type == DocumentType.none:
        return None
    return session.exec(
        select(Person.registration_id).where(
            Person.is_active,
            Person.document_number_key == document_key(member.document.number or ""),
            Person.document_country == (member.document.country or "").upper(),
            Person.document_type == member.document.type,
        )
    ).first()
