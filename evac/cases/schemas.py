"""Shapes of the staff cases API."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from evac.registration.models import CaseStatus, DocumentType, MedicalUrgency, Sex
from evac.validation import MultiLineText, RowVersion, SafeText


class CaseSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    reference: str
    external_reference: str | None
    status: CaseStatus
    country: str
    city: str | None
    people_count: int
    has_citizen: bool
    has_medical_need: bool
    priority_tier: int
    possible_duplicate: bool
    registered_at: datetime
    row_version: int


class CaseList(BaseModel):
    items: list[CaseSummary]
    total: int
    page: int
    pages: int


class StaffMember(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    given_name: str
    family_name: str
    date_of_birth: date
    sex: Sex
    nationality: str
    document_type: DocumentType
    document_number: str
    document_country: str
    document_expiry: date | None
    needs_stretcher: bool
    needs_wheelchair: bool
    needs_oxygen: bool
    medical_urgency: MedicalUrgency
    pregnant: bool


class CaseDetail(CaseSummary):
    phone: str | None
    email: str | None
    language: str
    address: str | None
    latitude: float | None
    longitude: float | None
    updated_at: datetime
    members: list[StaffMember]


class CasePatch(BaseModel):
    """Contact and location fields to change; only the fields sent are changed."""

    model_config = ConfigDict(
        extra="forbid",
        str_strip_whitespace=True,
        json_schema_extra={
            "examples": [
                {
                    "row_version": 1,
                    "phone": "+49 331 2890",
                    "email": "ayse@example.com",
                    "language": "tr",
                    "city": "Potsdam",
                    "address": "Am Markt 1",
                    "latitude": 52.39,
                    "longitude": 13.06,
                    "external_reference": "BER-2026-0042",
                }
            ]
        },
    )

    row_version: RowVersion = Field(description="The row_version you read; a stale one gives 409")
    phone: SafeText | None = Field(default=None, max_length=40)
    email: SafeText | None = Field(default=None, max_length=254)
    language: SafeText | None = Field(default=None, max_length=5)
    city: SafeText | None = Field(default=None, max_length=120)
    address: MultiLineText | None = Field(default=None, max_length=500)
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    external_reference: SafeText | None = Field(default=None, max_length=64)


class TransitionIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [{"to": "verified", "row_version": 1}]}
    )

    to: CaseStatus
    row_version: RowVersion | None = Field(default=None, description="Optional guard against races")
    confirm: bool = Field(
        default=False,
        description="Needed for a change that closes the case or releases seats (else 428)",
    )
    duplicate_of: str | None = Field(
        default=None, max_length=20, description="The case this one duplicates (to: duplicate)"
    )
