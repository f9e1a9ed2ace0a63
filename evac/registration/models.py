"""A household's case and its members."""

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from evac.db import UTCDateTime, utcnow


class CaseStatus(StrEnum):
    registered = "registered"
    verified = "verified"
    assigned = "assigned"
    confirmed = "confirmed"
    checked_in = "checked_in"
    boarded = "boarded"
    arrived = "arrived"
    withdrawn = "withdrawn"
    duplicate = "duplicate"
    deferred = "deferred"
    no_show = "no_show"


class Sex(StrEnum):
    female = "F"
    male = "M"
    unspecified = "X"


class DocumentType(StrEnum):
    passport = "P"
    identity_card = "I"
    # An emergency travel document, recorded by an officer for someone without a
    # passport (PAXLST carries it as "F", an approved non-standard travel document).
    emergency = "E"
    # No travel document yet (a newborn, a passport held by an embassy…): the
    # person is registered, with the reason, but seated only once an ETD is recorded.
    none = "N"


class DocumentMissingReason(StrEnum):
    """Why a person registered without a travel document."""

    on_parent_passport = "on_parent_passport"
    held_by_authority = "held_by_authority"
    lost_or_stolen = "lost_or_stolen"
    expired = "expired"
    other = "other"


class MedicalUrgency(StrEnum):
    none = "none"
    stable = "stable"
    urgent = "urgent"
    critical = "critical"


class Registration(SQLModel, table=True):
    """One household's case: it registers, is verified and travels together."""

    __tablename__ = "registration"
    __table_args__ = (
        sa.Index("ix_registration_country_status", "country", "status"),
        sa.Index("ix_registration_status_registered_at", "status", "registered_at"),
        sa.Index("ix_registration_country_registered_at", "country", "registered_at"),
        sa.Index("ix_registration_registered_at", "registered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=16, unique=True)
    external_reference: str | None = Field(default=None, max_length=64, index=True)
    phone: str | None = Field(default=None, max_length=20, index=True)
    email: str | None = Field(default=None, max_length=254)
    language: str = Field(default="en", max_length=5)
    country: str = Field(max_length=2)
    city: str | None = Field(default=None, max_length=120)
    address: str | None = Field(default=None, max_length=500)
    latitude: float | None = None
    longitude: float | None = None
    status: CaseStatus = Field(default=CaseStatus.registered, sa_type=sa.String(16))
    registered_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    access_token_hash: str = Field(max_length=64)
    pending_token_hash: str | None = Field(
        default=None,
        max_length=64,
        description="A link sent for a lost one: it replaces the current link when first used.",
    )
    consent_processing: bool = False
    consent_share_with_own_mission: bool = False
    # Derived from the members by evac.registration.flags.refresh_case_flags on
    # every change, so that the case list filters on plain indexed columns.
    people_count: int = 0
    has_citizen: bool = True
    has_medical_need: bool = False
    priority_tier: int = Field(default=3, description="As of the last change; see flags.py")
    possible_duplicate_of_id: int | None = Field(
        default=None, foreign_key="registration.id", ondelete="SET NULL"
    )
    split_from_id: int | None = Field(
        default=None, foreign_key="registration.id", ondelete="SET NULL"
    )
    merged_into_id: int | None = Field(
        default=None, foreign_key="registration.id", ondelete="SET NULL"
    )
    declined_at: datetime | None = Field(
        default=None,
        sa_type=UTCDateTime,
        description="When the registrant last said no to an offered flight; see lifecycle decline.",
    )
    decline_kind: str | None = Field(default=None, max_length=16)
    decline_reason: str | None = Field(default=None, max_length=500)
    row_version: int = Field(default=1)

    members: list["Person"] = Relationship(
        back_populates="registration",
        sa_relationship_kwargs={
            "cascade": "all, delete-orphan",
            "order_by": "Person.position",
            "lazy": "selectin",
        },
    )


class Person(SQLModel, table=True):
    """A member of a household, as written in their travel document."""

    __tablename__ = "person"
    __table_args__ = (
        sa.Index(
            "ix_person_document",
            "document_number_key",
            "document_country",
            "document_type",
        ),
        sa.Index("ix_person_name_key_date_of_birth", "name_key", "date_of_birth"),
        sa.Index("ix_person_family_name_key", "family_name_key"),
        sa.Index(
            "uq_person_active_document",
            "document_number_key",
            "document_country",
            "document_type",
            unique=True,
            # People without a document share the empty number: they hold nothing.
            sqlite_where=sa.text("is_active AND document_type <> 'N'"),
            postgresql_where=sa.text("is_active AND document_type <> 'N'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    registration_id: int = Field(foreign_key="registration.id", index=True, ondelete="CASCADE")
    position: int = 0
    given_name: str = Field(max_length=100)
    family_name: str = Field(max_length=100)
    name_key: str = Field(max_length=210, description="Folded 'given family' for search.")
    family_name_key: str = Field(max_length=100)
    passport_surname: str | None = Field(
        default=None,
        max_length=100,
        description="In Latin capitals as in the passport's machine-readable zone "
        "(evac.registration.passport_names); NULL only for people registered before it "
        "was asked whose name has no Latin spelling.",
    )
    passport_given_names: str | None = Field(default=None, max_length=100)
    date_of_birth: date
    sex: Sex = Field(sa_type=sa.String(1))
    nationality: str = Field(max_length=2)
    document_type: DocumentType = Field(sa_type=sa.String(1))
    document_number: str = Field(max_length=30)
    document_number_key: str = Field(max_length=30)
    document_country: str = Field(max_length=2)
    document_expiry: date | None = None
    document_missing_reason: DocumentMissingReason | None = Field(
        default=None,
        sa_type=sa.String(20),
        description="Why the person registered without a travel document; kept once an "
        "emergency travel document is recorded, as the reason for it.",
    )
    document_missing_note: str | None = Field(default=None, max_length=200)
    needs_stretcher: bool = False
    needs_wheelchair: bool = False
    needs_oxygen: bool = False
    medical_urgency: MedicalUrgency = Field(default=MedicalUrgency.none, sa_type=sa.String(8))
    pregnant: bool = False
    is_active: bool = Field(
        default=True,
        description="False once the case is withdrawn, a duplicate or closed; "
        "only active people hold their travel document exclusively.",
    )

    registration: "Registration" = Relationship(back_populates="members")


class IdempotencyRecord(SQLModel, table=True):
    """One submission, remembered so that a retry returns the same registration.

    The response (which holds the private access token) is kept encrypted and
    only for a day. It is bound to a keyed hash of the validated request body:
    a retry with another body never gets it.
    """

    __tablename__ = "idempotency_record"

    key: str = Field(primary_key=True, max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    registration_id: int = Field(foreign_key="registration.id", ondelete="CASCADE")
    request_hash: str = Field(max_length=64)
    response_ciphertext: str = Field(sa_type=sa.Text)
