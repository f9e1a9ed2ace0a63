"""Seated households on one flight, ready for the airport tests."""

from __future__ import annotations

from sqlmodel import Session, col, select

from evac.flights.models import Assignment, Flight
from evac.planning.service import commit_plan
from evac.registration.models import Person, Registration
from tests.factories import make_case, member, verify
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff


def seated_flight(
    session: Session,
    households: list[list[dict[str, object]]],
    *,
    number: str = "TK500",
    seats: int = 10,
) -> tuple[Flight, list[Registration]]:
    """The Berlin staff, ``households`` registered in Germany, verified and seated on
    one open flight by the planner."""
    _staff(session)
    cases = [verify(session, make_case(session, "DE", people)) for people in households]
    flight = make_flight(session, number, seats)
    commit_plan(session, actor="planner", country="DE")
    return flight, cases


def family() -> list[dict[str, object]]:
    return [
        member("Aylin", "Tan"),
        member("Kerem", "Tan"),
        member("Deniz", "Tan", born="2019-03-02"),
    ]


def person_ids(session: Session, case: Registration) -> list[int]:
    return list(
        session.exec(
            select(Person.id)
            .where(Person.registration_id == case.id)
            .order_by(col(Person.position))
        )
    )  # type: ignore[arg-type]


def seats(session: Session, case: Registration) -> list[str]:
    """The case's seat statuses, in its people's order."""
    session.expire_all()
    return list(
        session.exec(
            select(Assignment.status)
            .join(Person, col(Person.id) == Assignment.person_id)
            .where(Assignment.registration_id == case.id)
            .order_by(col(Person.position))
        )
    )


def status(session: Session, case: Registration) -> str:
    session.expire_all()
    return session.get_one(Registration, case.id).status
