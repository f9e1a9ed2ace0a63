"""Priority tiers: who is seated first when there are not enough seats.

1. a member in urgent or critical medical condition;
2. a member aged 65 or over or under 2 on the day of the flight, pregnant,
   needing a wheelchair or oxygen, or in stable medical condition;
3. any other household with at least one citizen of the home country;
4. households of third-country nationals only, who fill the seats left
   (tier 3 instead under ``TcnPolicy.equal``).
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import MINYEAR, date
from functools import lru_cache

from evac.planning.data import Household, MedicalUrgency, Member, Policy, TcnPolicy

TIER_CRITICAL = 1
TIER_VULNERABLE = 2
TIER_CITIZEN = 3
TIER_TCN = 4
ALL_TIERS = (TIER_CRITICAL, TIER_VULNERABLE, TIER_CITIZEN, TIER_TCN)

ELDERLY_AGE = 65
INFANT_AGE = 2

_URGENT = frozenset({MedicalUrgency.urgent, MedicalUrgency.critical})


def age_on(date_of_birth: date, on_date: date) -> int:
    """Age in whole years on ``on_date``.

    Someone born on 29 February becomes a year older on 1 March in common
    years, as most civil registries count it.
    """
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - before_birthday


@lru_cache(maxsize=512)
def _birth_cutoffs(on_date: date) -> tuple[date, date]:
    """(latest birth date aged 65 or over, latest birth date aged 2 or over) on ``on_date``.

    Equivalent to comparing :func:`age_on` with the thresholds, but two date
    comparisons per person instead of an age computation.
    """
    return _years_before(on_date, ELDERLY_AGE), _years_before(on_date, INFANT_AGE)


def _years_before(on_date: date, years: int) -> date:
    year = on_date.year - years
    if year < MINYEAR:
        return date.min
    if (on_date.month, on_date.day) == (2, 29) and not calendar.isleap(year):
        return date(year, 2, 28)
    return on_date.replace(year=year)


def is_vulnerable(member: Member, on_date: date) -> bool:
    """Whether this member alone puts the household in tier 2."""
    if (
        member.pregnant
        or member.needs_wheelchair
        or member.needs_oxygen
        or member.medical_urgency == MedicalUrgency.stable
    ):
        return True
    born = member.date_of_birth
    if born is None:
        return False
    elderly, toddler = _birth_cutoffs(on_date)
    return born <= elderly or born > toddler


def priority_tier(household: Household, on_date: date, policy: Policy) -> int:
    """The household's priority tier (1 is seated first) for a flight on ``on_date``."""
    vulnerable = citizen = False
    home = policy.home_country.upper()
    for member in household.members:
        if member.medical_urgency in _URGENT:
            return TIER_CRITICAL
        vulnerable = vulnerable or is_vulnerable(member, on_date)
        citizen = citizen or member.nationality.upper() == home
    if vulnerable:
        return TIER_VULNERABLE
    if citizen or policy.tcn_policy == TcnPolicy.equal:
        return TIER_CITIZEN
    return TIER_TCN


def fallback_tier_date(
    departures: Sequence[date], registration_dates: Sequence[date]
) -> date | None:
    """The date used for age rules when a household has no flight in reach.

    The earliest departure among the flights that are not cancelled; with no
    flight at all, the latest registration date (the closest thing to "today"
    that the input holds, since the planner never reads the clock).
    """
    if departures:
        return min(departures)
    if registration_dates:
        return max(registration_dates)
    return None
