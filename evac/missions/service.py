"""Creating missions and changing the countries they cover."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlmodel import Session, select

from evac.audit.service import record_event
from evac.errors import Conflict, InvalidInput
from evac.geo.countries import is_country_code
from evac.i18n import N_
from evac.missions.models import Mission, MissionCountry, MissionKind

CODE_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,39}$")


def parse_countries(text: str) -> list[str]:
    codes = sorted({part.upper() for part in re.split(r"[\s,;]+", text) if part})
    unknown = [code for code in codes if not is_country_code(code)]
    if unknown:
        raise InvalidInput(N_("Unknown country codes: %(codes)s."), codes=", ".join(unknown))
    return codes


def list_missions(session: Session) -> list[Mission]:
    return list(session.exec(select(Mission).order_by(Mission.code)).all())


def create_mission(
    session: Session,
    *,
    code: str,
    name: str,
    kind: MissionKind,
    country: str,
    city: str,
    covers: Sequence[str],
    actor: str,
) -> Mission:
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise InvalidInput(N_("A mission code is 3 to 40 capital letters, digits or dashes."))
    if not name.strip() or not city.strip():
        raise InvalidInput(N_("Give the mission a name and a city."))
    if not is_country_code(country.upper()):
        raise InvalidInput(N_("Choose a country from the list."))
    if session.exec(select(Mission).where(Mission.code == code)).first():
        raise Conflict(N_("A mission with this code exists already."))
    mission = Mission(
        code=code,
        name=name.strip(),
        kind=kind,
        country=country.upper(),
        city=city.strip(),
        coverage=[MissionCountry(country=cc) for cc in sorted(set(covers) | {country.upper()})],
    )
    session.add(mission)
    session.flush()
    record_event(
        session,
        actor=actor,
        action="mission.create",
        subject_type="mission",
        subject_id=code,
        after={"name": mission.name, "countries": mission.countries},
    )
    session.commit()
    return mission


def set_coverage(session: Session, mission: Mission, covers: Sequence[str], *, actor: str) -> None:
    before = mission.countries
    mission.coverage = [MissionCountry(country=cc) for cc in sorted(set(covers))]
    record_event(
        session,
        actor=actor,
        action="mission.coverage",
        subject_type="mission",
        subject_id=mission.code,
        before={"countries": before},
        after={"countries": mission.countries},
    )
    session.commit()
