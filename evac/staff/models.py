"""Staff accounts: officers of missions, coordinators and administrators."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from evac.db import UTCDateTime, utcnow
from evac.staff.roles import Role


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
    # Set by an administrator's reset to a one-time password: the next sign-in
    # must choose a new password before anything else.
    must_change_password: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    mission_links: list[StaffMission] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def mission_ids(self) -> list[int]:
        return sorted(link.mission_id for link in self.mission_links)


class StaffSession(SQLModel, table=True):
    """A signed-in browser. Kept in the database so that every worker sees it
    and logout or deactivation ends it everywhere."""

    __tablename__ = "staff_session"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    staff_user_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts on one account name from one address, counted before the
    password is checked, to slow guessing down without locking the owner out."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        sa.UniqueConstraint("username", "ip"),
        sa.Index("ix_login_attempt_ip_attempted_at", "ip", "attempted_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    ip: str = Field(max_length=45)
    failures: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    locked_until: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A personal API token: only its hash is stored; shown once when created."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    staff_user_id: int = Field(foreign_key="staff_user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def expired(self) -> bool:
        return self.expires_at <= utcnow()
