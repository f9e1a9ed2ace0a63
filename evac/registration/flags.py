"""The facts about a household that staff filter on, derived from its members.

They are stored on the registration (and refreshed on every change to its
members) so that the case list can filter 100,000 cases on indexed columns.
The priority tier is the planner's rule evaluated on the day of the change;
the planner itself recomputes it for each flight's date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from evac.planning.data import Household, Member, Policy
from evac.planning.data import MedicalUrgency as PlannerUrgency
from evac.planning.tiers import priority_tier
from evac.registration.models import Registration


class MemberLike(Protocol):
    date_of_birth: date
    nationality: str
    needs_stretcher: bool
    needs_wheelchair: bool
    needs_oxygen: bool
    medical_urgency: str
    pregnant: bool


@dataclass(frozen=True)
class CaseFlags:
    people_count: int
    has_citizen: bool
    has_medical_need: bool
    priority_tier: int


def has_medical_need(member: MemberLike) -> bool:
    return (
        member.needs_stretcher
        or member.needs_wheelchair
        or member.needs_oxygen
        or member.medical_urgency != "none"
    )


def compute_case_flags(
    members: Sequence[MemberLike], *, today: date, home_country: str
) -> CaseFlags:
    household = Household(
        registration_id=0,
        reference="",
        country="",
        latitude=None,
        longitude=None,
        registered_at=datetime.combine(today, datetime.min.time(), UTC),
        members=tuple(
            Member(
                person_id=index,
                date_of_birth=m.date_of_birth,
                nationality=m.nationality,
                needs_stretcher=m.needs_stretcher,
                needs_wheelchair=m.needs_wheelchair,
                needs_oxygen=m.needs_oxygen,
                medical_urgency=PlannerUrgency(m.medical_urgency),
                pregnant=m.pregnant,
            )
            for index, m in enumerate(members)
        ),
    )
    return CaseFlags(
        people_count=len(members),
        has_citizen=any(m.nationality == home_country for m in members),
        has_medical_need=any(has_medical_need(m) for m in members),
        priority_tier=priority_tier(household, today, Policy(home_country=home_country)),
    )


def refresh_case_flags(registration: Registration, *, today: date, home_country: str) -> None:
    flags = compute_case_flags(registration.members, today=today, home_country=home_country)
    for name, value in asdict(flags).items():
        setattr(registration, name, value)
