"""Staff accounts: officers of missions, coordinators and administrators."""

from datetime import datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from evac.db import UTCDateTime, utcnow


class Role(StrEnum):
    officer = "officer"
    coordinator = "coordinator"
    admin = "admin"


class StaffMission(SQLModel, table=True):
    """An officer's membership of a mission."""

    __tablename__ = "staff_mission"

    staff_user_id: int = Field(foreign_key="staff_user.id", primary_key=True, ondelete="CASCADE")
    mission_id: int = Field(foreign_key="mission.id", primary_key=True, ondelete="CASCADE")


class StaffUser(SQLModel, table=True):
    __tablename__ = "staff_user"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64, unique=True)
    full_name: str | None = Field(default=None, max_length=200)
    password_hash: str = Field(max_length=255)
    role: Role = Field(sa_type=sa.String(12))
    is_active: bool = True
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    mission_links: list[StaffMission] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def mission_ids(self) -> list[int]:
        return sorted(link.mission_id for link in self.mission_links)
