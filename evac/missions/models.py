"""Embassies and consulates, and the countries each one covers."""

from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel


class MissionKind(StrEnum):
    embassy = "embassy"
    consulate = "consulate"


class MissionCountry(SQLModel, table=True):
    """A country whose cases a mission handles."""

    __tablename__ = "mission_country"

    mission_id: int = Field(foreign_key="mission.id", primary_key=True, ondelete="CASCADE")
    country: str = Field(primary_key=True, max_length=2, index=True)


class Mission(SQLModel, table=True):
    __tablename__ = "mission"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=200)
    kind: MissionKind = Field(sa_type=sa.String(16))
    country: str = Field(max_length=2, index=True)
    city: str = Field(max_length=120)
    latitude: float | None = None
    longitude: float | None = None

    coverage: list[MissionCountry] = Relationship(
        sa_relationship_kwargs={"cascade": "all, delete-orphan", "lazy": "selectin"}
    )

    @property
    def countries(self) -> list[str]:
        return sorted(link.country for link in self.coverage)
