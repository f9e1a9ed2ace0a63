"""The shapes a registration takes on the way in and out (JSON API, form, import)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from evac.registration.models import (
    CaseStatus,
    DocumentMissingReason,
    DocumentType,
    MedicalUrgency,
    Sex,
)
from evac.validation import MultiLineText, SafeText

MAX_MEMBERS = 30


class _In(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, extra="forbid")


class DocumentIn(_In):
    type: DocumentType = Field(
        description="P for a passport, I for an identity card, N for none yet (then give "
        "missing_reason, and no number); E, an emergency travel document, is recorded by the "
        "mission on its case page"
    )
    number: SafeText | None = Field(
        default=None, max_length=30, description="Required for every type but N"
    )
    country: SafeText | None = Field(
        default=None,
        min_length=2,
        max_length=2,
        description="Issuing country, ISO alpha-2; required for every type but N",
    )
    expiry: date | None = None
    missing_reason: DocumentMissingReason | None = Field(
        default=None, description="Why there is no travel document (type N)"
    )
    missing_note: SafeText | None = Field(
        default=None, max_length=200, description="In a few words, when the reason is other"
    )


class MemberIn(_In):
    given_name: SafeText = Field(min_length=1, max_length=100)
    family_name: SafeText = Field(min_length=1, max_length=100)
    date_of_birth: date
    sex: Sex
    nationality: SafeText = Field(min_length=2, max_length=2, description="ISO alpha-2")
    document: DocumentIn
    needs_stretcher: bool = False
    needs_wheelchair: bool = False
    needs_oxygen: bool = False
    medical_urgency: MedicalUrgency = MedicalUrgency.none
    pregnant: bool = False
    passport_surname: str | None = Field(
        default=None,
        max_length=100,
        description="The surname in Latin capitals as in the passport's machine-readable zone; "
        "suggested from family_name (ICAO Doc 9303) when absent, required where it cannot be "
        "(e.g. a name in Arabic script)",
    )
    passport_given_names: str | None = Field(
        default=None,
        max_length=100,
        description="The given names as in the passport's machine-readable zone; the same rule",
    )
    mrz: str | None = Field(
        default=None,
        max_length=100,
        description="The document's machine-readable zone, two or three lines as printed: "
        "its check digits are verified and it must agree with the typed names, document "
        "number and date of birth",
    )


class ContactIn(_In):
    phone: SafeText = Field(min_length=3, max_length=40)
    email: SafeText | None = Field(default=None, max_length=254)
    language: SafeText = Field(default="en", min_length=2, max_length=5)
    second_contact_name: SafeText | None = Field(
        default=None,
        max_length=200,
        description="A second contact person the mission can call when the registrant "
        "cannot be reached (optional; give the phone too)",
    )
    second_contact_phone: SafeText | None = Field(
        default=None, max_length=40, description="The second contact person's phone number"
    )


class LocationIn(_In):
    country: SafeText = Field(min_length=2, max_length=2, description="Country of presence")
    city: SafeText | None = Field(default=None, max_length=120)
    address: MultiLineText | None = Field(default=None, max_length=500)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)


class RegistrationIn(_In):
    contact: ContactIn
    location: LocationIn
    members: list[MemberIn] = Field(min_length=1, max_length=MAX_MEMBERS)
    consent: bool = Field(description="Consent to the processing of personal data (required)")
    consent_share_with_own_mission: bool = Field(
        default=False,
        description="A third-country national agrees that the case may be shared "
        "with their own country's mission",
    )


class RegistrationCreated(BaseModel):
    reference: str
    access_token: str = Field(description="Shown once; only its hash is stored")
    status: CaseStatus


class DocumentOut(BaseModel):
    type: DocumentType
    number: str
    country: str
    expiry: date | None
    missing_reason: DocumentMissingReason | None = None
    missing_note: str | None = None


class MemberOut(BaseModel):
    given_name: str
    family_name: str
    passport_surname: str | None
    passport_given_names: str | None
    date_of_birth: date
    sex: Sex
    nationality: str
    citizen: bool
    document: DocumentOut
    needs_stretcher: bool
    needs_wheelchair: bool
    needs_oxygen: bool
    medical_urgency: MedicalUrgency
    pregnant: bool


class RegistrationOut(BaseModel):
    reference: str
    status: CaseStatus
    registered_at: datetime
    updated_at: datetime
    contact: ContactIn
    location: LocationIn
    members: list[MemberOut]
