"""Cases closed long ago, with personal data in every place it can reach."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from evac.audit.service import REGISTRANT
from evac.db import utcnow
from evac.registration.models import CaseStatus, Person, Registration
from evac.registration.schemas import RegistrationIn
from evac.registration.service import Registered, register_household
from evac.staff.auth import StaffContext, build_context
from evac.staff.models import Role
from tests.factories import TODAY, make_staff, member, registration_payload


@pytest.fixture
def staff(session: Session) -> StaffContext:
    return build_context(session, make_staff(session, "center", Role.coordinator), "csrf")


def register(
    session: Session,
    members: list[dict[str, object]] | None = None,
    *,
    email: str = "a@example.org",
    address: str | None = None,
    idempotency_key: str | None = None,
) -> Registration:
    """A German household registered through the form, with its confirmation email queued."""
    return registered(
        session, members, email=email, address=address, idempotency_key=idempotency_key
    ).case(session)


def registered(
    session: Session,
    members: list[dict[str, object]] | None = None,
    *,
    email: str = "a@example.org",
    address: str | None = None,
    idempotency_key: str | None = None,
) -> Registered:
    """The registration and the private link's token."""
    payload = registration_payload("DE", members or [member()])
    payload["contact"]["email"] = email  # type: ignore[index]
    payload["location"]["address"] = address  # type: ignore[index]
    return register_household(
        session,
        RegistrationIn.model_validate(payload),
        actor=REGISTRANT,
        today=TODAY,
        idempotency_key=idempotency_key,
        private_link=lambda reference, token: f"https://evac.example/c/{reference}?t={token}",
    )


def close(session: Session, case: Registration, status: CaseStatus, *, days_ago: int = 400) -> None:
    """Put the case in ``status`` as if its last change were ``days_ago`` days old."""
    session.execute(
        sa.update(Registration)
        .where(Registration.id == case.id)  # type: ignore[arg-type]
        .values(status=status, updated_at=utcnow() - timedelta(days=days_ago))
        .execution_options(synchronize_session=False)
    )
    session.execute(
        sa.update(Person)
        .where(Person.registration_id == case.id)  # type: ignore[arg-type]
        .values(is_active=False)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    session.refresh(case)
