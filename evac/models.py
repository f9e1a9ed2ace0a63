"""Every table model, imported once so that SQLAlchemy and Alembic see them all."""

from evac.audit.models import AuditEvent
from evac.db import metadata
from evac.flights.models import Assignment, Flight
from evac.missions.models import Mission, MissionCountry
from evac.registration.models import Person, Registration
from evac.staff.models import StaffMission, StaffUser

__all__ = [
    "Assignment",
    "AuditEvent",
    "Flight",
    "Mission",
    "MissionCountry",
    "Person",
    "Registration",
    "StaffMission",
    "StaffUser",
    "metadata",
]
