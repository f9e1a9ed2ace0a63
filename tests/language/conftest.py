"""A small world with something in every staff page: missions and their staff,
cases in several statuses with notes and a trail, a flight with seats, a
message in the outbox and an import job."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlmodel import Session

from evac.audit.service import SYSTEM, staff_actor
from evac.flights.schemas import parse_flight
from evac.flights.service import create_flight
from evac.i18n import labels
from evac.jobs.models import BackgroundJob, JobStatus
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.lifecycle.service import NewSeat
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member

SOON = datetime(2099, 1, 15, 9, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def strict_labels() -> Iterator[None]:
    """A value without words fails the test instead of showing its code."""
    labels.STRICT = True
    yield
    labels.STRICT = False


@pytest.fixture
def world(session: Session) -> dict[str, Any]:
    """What the staff pages' path parameters are filled with."""
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    berlin = make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "root", Role.admin)
    officer = staff_actor("berlin")

    seated = make_case(session, "DE", [member(), member("Mehmet", medical_urgency="urgent")])
    waiting = make_case(session, "DE", [member("Zeynep", sex="X")])
    gone = make_case(session, "DE", [member("Ali", sex="M")])
    lifecycle.apply(session, waiting, Action.verify, actor=officer)
    lifecycle.apply(session, gone, Action.withdraw, actor=SYSTEM)

    fields = {
        "flight_number": "TK6001",
        "kind": "ambulance",
        "departure_airport": "FRA",
        "destination_airport": "IST",
        "departure_time": SOON.isoformat(),
        "seats": "180",
        "stretchers": "2",
        "meeting_point": "",
    }
    flight = create_flight(session, parse_flight(fields), actor=officer)
    seats = [NewSeat(person.id) for person in seated.members]  # type: ignore[arg-type]
    lifecycle.add_seats(session, seated, flight, seats)
    lifecycle.apply(session, seated, Action.seat, actor=officer)

    job = BackgroundJob(
        kind="import",
        owner_id=berlin.id,  # type: ignore[arg-type]
        actor=officer,
        language="en",
        status=JobStatus.running,
        done=1975,
        total=3950,
    )
    session.add(job)
    session.commit()
    return {
        "reference": seated.reference,
        "other": waiting.reference,
        "flight_id": flight.id,
        "job_id": job.id,
        "position": 1,
    }
