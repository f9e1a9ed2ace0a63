"""The ceiling for the registration surge: a bare app that only inserts (run by hand).

    EVAC_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/evac_surge \\
        uvicorn bench.bare_insert:app --workers 2 --host 127.0.0.1 --port 8100
    python -m bench.surge --target bare --url http://127.0.0.1:8100 --database-url …

The same stack as evac (FastAPI, Pydantic parsing of the same ``RegistrationIn``
body, a SQLModel session on an engine made by ``evac.db.create_db_engine``, so
SQLite gets the same WAL, ``BEGIN IMMEDIATE`` and busy timeout) and the same
tables, so that ``bench.surge`` verifies it the same way. It does nothing else:
no middleware, no validation rules, no duplicate checks, no audit event, no
outbox message, no idempotency record. One transaction inserts the case and its
members, and the endpoint answers 201 with the reference.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, FastAPI
from sqlmodel import Session, text

from evac.db import create_db_engine
from evac.registration.models import Person, Registration
from evac.registration.normalize import document_key
from evac.registration.reference import new_access_token, new_reference
from evac.registration.schemas import RegistrationIn
from evac.tokens import hash_token

engine = create_db_engine(
    os.environ["EVAC_DATABASE_URL"],
    pool_size=int(os.environ.get("EVAC_DB_POOL_SIZE", "10")),
    max_overflow=int(os.environ.get("EVAC_DB_MAX_OVERFLOW", "10")),
)
app = FastAPI(title="bare insert", docs_url=None, redoc_url=None, openapi_url=None)


def get_session() -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@app.get("/healthz")
def healthz(session: SessionDep) -> dict[str, str]:
    session.exec(text("SELECT 1"))
    return {"status": "ok"}


@app.post("/api/v1/registrations", status_code=201)
def create_registration(data: RegistrationIn, session: SessionDep) -> dict[str, str]:
    location = data.location
    registration = Registration(
        reference=new_reference(),
        phone=data.contact.phone[:20],
        email=data.contact.email,
        language=data.contact.language,
        country=location.country,
        city=location.city,
        latitude=location.latitude,
        longitude=location.longitude,
        access_token_hash=hash_token(new_access_token()),
        consent_processing=data.consent,
        people_count=len(data.members),
        members=[
            Person(
                position=position,
                given_name=member.given_name,
                family_name=member.family_name,
                name_key=f"{member.given_name} {member.family_name}".lower(),
                family_name_key=member.family_name.lower(),
                date_of_birth=member.date_of_birth,
                sex=member.sex,
                nationality=member.nationality,
                document_type=member.document.type,
                document_number=member.document.number,
                document_number_key=document_key(member.document.number),
                document_country=member.document.country,
                document_expiry=member.document.expiry,
            )
            for position, member in enumerate(data.members)
        ],
    )
    session.add(registration)
    session.commit()
    return {"reference": registration.reference, "status": "registered"}
