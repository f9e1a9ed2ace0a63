"""Public JSON API for registrations: register a household, read it back with its token."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Request, Response
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from evac.audit.service import REGISTRANT
from evac.db import SessionDep, utcnow
from evac.errors import InvalidOut, ProblemOut, error_responses
from evac.i18n import get_translations
from evac.registration import idempotency
from evac.registration.deps import private_url
from evac.registration.idempotency import IdempotencyKeyReused
from evac.registration.models import Registration
from evac.registration.places import geocode_for_registration
from evac.registration.schemas import (
    ContactIn,
    DocumentOut,
    LocationIn,
    MemberOut,
    RegistrationCreated,
    RegistrationIn,
    RegistrationOut,
)
from evac.registration.service import (
    InvalidRegistration,
    TooManyRegistrations,
    find_by_token,
    register_household,
)
from evac.settings import get_settings
from evac.web.bodies import MAX_BODY_BYTES, BodyLimitedRoute
from evac.web.overload import refusal
from evac.web.ratelimit import registration_limit

NO_STORE = {"Cache-Control": "no-store"}


router = APIRouter(
    prefix="/api/v1",
    tags=["registrations"],
    route_class=BodyLimitedRoute,
    responses=error_responses(422, 503),
)
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="access token",
    description="The access_token returned when the household registered.",
)


EXAMPLE_REGISTRATION = {
    "contact": {"phone": "+49 30 1234567", "email": "ayse@example.com", "language": "tr"},
    "location": {"country": "DE", "city": "Köln", "latitude": None, "longitude": None},
    "members": [
        {
            "given_name": "Ayşe",
            "family_name": "Yılmaz",
            "date_of_birth": "1984-05-12",
            "sex": "F",
            "nationality": "TR",
            "document": {
                "type": "P",
                "number": "U12345678",
                "country": "TR",
                "expiry": "2031-01-31",
            },
            "pregnant": True,
        },
        {
            "given_name": "Can",
            "family_name": "Yılmaz",
            "date_of_birth": "2016-09-03",
            "sex": "M",
            "nationality": "TR",
            "document": {"type": "P", "number": "U87654321", "country": "TR"},
        },
    ],
    "consent": True,
}

CREATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    201: {
        "description": "Registered; a retry of the same registration with the same "
        "Idempotency-Key returns the same reference and access token, again with 201 and the "
        "header `Idempotent-Replayed: true`. A member whose travel document is registered "
        "already gets this same answer: the mission sorts out duplicates.",
        "content": {
            "application/json": {
                "example": {
                    "reference": "K7QM-2XHD",
                    "access_token": "q4d1tEJ3m2uT0m0b3qD1lW8S9hKXf6cU",
                    "status": "registered",
                }
            }
        },
    },
    409: {
        "model": ProblemOut,
        "description": "The Idempotency-Key was used within a day for a different "
        "registration (`code` is `idempotency_key_reused`): nothing was saved and nothing "
        "of the earlier registration is returned. Send it with a new key.",
    },
    413: {"model": ProblemOut, "description": f"The body is over {MAX_BODY_BYTES // 1024} KB."},
    **error_responses(400, 429),
    422: {
        "model": InvalidOut,
        "description": "Field by field: `loc` is the path in the body, `msg` is in the "
        "request's language.",
    },
    503: {
        "model": ProblemOut,
        "description": "The server or its database is saturated or restarting: nothing was "
        "saved (`code` is `unavailable`). Send it again after `Retry-After` seconds, with the "
        "same Idempotency-Key.",
    },
}


RegistrationBody = Annotated[
    RegistrationIn,
    Body(
        openapi_examples={
            "family": {"summary": "A mother and her son", "value": EXAMPLE_REGISTRATION}
        }
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Any unique string (a UUID): a retry of the same registration with "
        "the same key, within a day, returns the first registration instead of creating "
        "another. The key is bound to the registration's content: the same key with "
        "different content is refused with 409.",
    ),
]


def _today() -> date:
    return utcnow().date()


def _field_problems(request: Request, error: InvalidRegistration) -> JSONResponse:
    language = getattr(request.state, "language", get_settings().default_language)
    gettext = get_translations(language).gettext
    detail = error.field_problems(gettext)
    return JSONResponse({"detail": detail, "code": error.code}, status_code=error.status_code)


def _key_reused(request: Request, error: IdempotencyKeyReused) -> JSONResponse:
    language = getattr(request.state, "language", get_settings().default_language)
    body = {"detail": error.render(get_translations(language).gettext), "code": error.code}
    return JSONResponse(body, status_code=error.status_code, headers=NO_STORE)


@router.post(
    "/registrations",
    status_code=201,
    response_model=RegistrationCreated,
    responses=CREATE_RESPONSES,
    summary="Register a household",
)
def create_registration(
    request: Request,
    response: Response,
    session: SessionDep,
    data: RegistrationBody,
    idempotency_key: IdempotencyKey = None,
) -> Response | RegistrationCreated:
    """Register a household of up to 30 people travelling together.

    When latitude and longitude are null, the city is located with the offline
    gazetteer. The access token is returned only here: keep it to read the case.
    A retry of the same registration with the same Idempotency-Key (within a
    day) returns the first registration with 201 and `Idempotent-Replayed: true`;
    the same key with a different registration is refused with 409.
    """
    scoped_key = idempotency.scoped_key("api", idempotency_key) if idempotency_key else None
    try:
        registered = register_household(
            session,
            data,
            actor=REGISTRANT,
            today=_today(),
            geocode=geocode_for_registration,
            idempotency_key=scoped_key,
            private_link=lambda reference, token: private_url(request, reference, token),
            limit=registration_limit(request),
        )
    except InvalidRegistration as error:
        return _field_problems(request, error)
    except IdempotencyKeyReused as error:
        return _key_reused(request, error)
    except TooManyRegistrations as error:
        return refusal(
            request,
            status_code=error.status_code,
            code=error.code,
            message=error.message,
            params=error.details,
            retry_after=error.retry_after,
        )
    response.headers.update(NO_STORE)
    if registered.replayed:
        response.headers["Idempotent-Replayed"] = "true"
    return RegistrationCreated(
        reference=registered.reference,
        access_token=registered.access_token,
        status=registered.status,
    )


@router.get(
    "/registrations/{reference}",
    response_model=RegistrationOut,
    responses={404: {"model": ProblemOut, "description": "The same answer for any mismatch."}},
    summary="Read a household's case with its access token",
)
def read_registration(
    reference: str,
    response: Response,
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> RegistrationOut:
    """The case and its members, for `Authorization: Bearer <access_token>`.

    A missing or wrong token, an unknown or mistyped reference all give the
    same 404, so the API never tells whether a reference exists.
    """
    registration = find_by_token(
        session, reference, credentials.credentials if credentials else None
    )
    response.headers.update(NO_STORE)
    return registration_out(registration, home_country=get_settings().home_country)


def registration_out(registration: Registration, *, home_country: str) -> RegistrationOut:
    return RegistrationOut(
        reference=registration.reference,
        status=registration.status,
        registered_at=registration.registered_at,
        updated_at=registration.updated_at,
        contact=ContactIn.model_construct(
            phone=registration.phone or "",
            email=registration.email,
            language=registration.language,
            second_contact_name=registration.second_contact_name,
            second_contact_phone=registration.second_contact_phone,
        ),
        location=LocationIn.model_construct(
            country=registration.country,
            city=registration.city,
            address=registration.address,
            latitude=registration.latitude,
            longitude=registration.longitude,
        ),
        members=[
            MemberOut(
                given_name=person.given_name,
                family_name=person.family_name,
                passport_surname=person.passport_surname,
                passport_given_names=person.passport_given_names,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                nationality=person.nationality,
                citizen=person.nationality == home_country,
                document=DocumentOut(
                    type=person.document_type,
                    number=person.document_number,
                    country=person.document_country,
                    expiry=person.document_expiry,
                    missing_reason=person.document_missing_reason,
                    missing_note=person.document_missing_note,
                ),
                needs_stretcher=person.needs_stretcher,
                needs_wheelchair=person.needs_wheelchair,
                needs_oxygen=person.needs_oxygen,
                medical_urgency=person.medical_urgency,
                pregnant=person.pregnant,
            )
            for person in registration.members
        ],
    )
