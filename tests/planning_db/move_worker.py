"""One officer in a process of its own: waits for the start signal, then moves a
household to another flight and prints what happened (for test_concurrent_moves)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from sqlmodel import Session, select

from evac.db import create_db_engine
from evac.errors import EvacError
from evac.flights.models import Flight
from evac.flights.seating import move_household
from evac.registration.models import Registration
from evac.staff.auth import build_context
from evac.staff.models import StaffUser


def main(url: str, reference: str, origin: str, destination: str, go: str) -> None:
    engine = create_db_engine(url)
    with Session(engine, expire_on_commit=False) as session:
        case = session.exec(select(Registration).where(Registration.reference == reference)).one()
        flights = {f.flight_number: f for f in session.exec(select(Flight))}
        user = session.exec(select(StaffUser).where(StaffUser.username == "officer")).one()
        staff = build_context(session, user, csrf_token="")
        session.commit()
        while not Path(go).exists():
            time.sleep(0.001)
        try:
            move_household(session, staff, flights[origin], case, flights[destination])
        except EvacError as refused:
            print(f"refused: {refused.message}")
        else:
            print("moved")
    engine.dispose()


if __name__ == "__main__":
    main(*sys.argv[1:6])
