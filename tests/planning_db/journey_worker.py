"""One officer in a process of its own: waits for the start signal, then seats a household
on a journey of named legs (``seat``), or gives its people left behind an onward journey
of named legs (``onward``), and prints what happened (for test_concurrent_moves)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from evac.db import create_db_engine
from evac.errors import EvacError
from evac.flights.models import Flight
from evac.lifecycle.capacity import NewSeat
from evac.lifecycle.journeys import seat_journey
from evac.lifecycle.onward import send_onward, stranded
from evac.registration.models import Registration


def main(url: str, reference: str, legs: str, action: str, go: str) -> None:
    engine = create_db_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        case = session.exec(select(Registration).where(Registration.reference == reference)).one()
        flights = {f.flight_number: f for f in session.exec(select(Flight))}
        journey = [flights[number] for number in legs.split(",")]
        seats = [NewSeat(person.id) for person in case.members]  # type: ignore[arg-type]
        waiting = [group.person_ids() for group in stranded(session, case)]
        session.commit()
        while not Path(go).exists():
            time.sleep(0.001)
        try:
            if action == "onward":
                send_onward(session, case, waiting[0], journey, actor="officer")
            else:
                seat_journey(session, case, journey, seats, actor="officer")
            session.commit()
        except EvacError as refused:
            session.rollback()
            print(f"refused: {refused.message}")
        else:
            print("sent" if action == "onward" else "seated")
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:6])
