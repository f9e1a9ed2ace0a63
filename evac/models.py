"""Every table model, imported once so that SQLAlchemy and Alembic see them all."""

from evac.audit.models import AuditEvent
from evac.cases.models import CaseNote
from evac.db import metadata
from evac.flights.models import Assignment, Flight
from evac.jobs.models import BackgroundJob
from evac.missions.models import Mission, MissionCountry
from evac.notifications.models import Broadcast, OutboxMessage
from evac.places.models import Place
from evac.registration.models import IdempotencyRecord, Person, Registration
from evac.staff.models import ApiToken, LoginAttempt, StaffMission, StaffSession, StaffUser
from evac.web.models import RateLimitWindow

__all__ = [
    "ApiToken",
    "Assignment",
    "AuditEvent",
    "BackgroundJob",
    "Broadcast",
    "CaseNote",
    "Flight",
    "IdempotencyRecord",
    "LoginAttempt",
    "Mission",
    "MissionCountry",
    "OutboxMessage",
    "Person",
    "Place",
    "RateLimitWindow",
    "Registration",
    "StaffMission",
    "StaffSession",
    "StaffUser",
    "metadata",
]
