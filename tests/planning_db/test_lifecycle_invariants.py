"""The lifecycle's invariants, proven over random sequences of everything people do.

Hypothesis drives officers, registrants, the planner and the airport through the
real services, on the suite's database (SQLite or PostgreSQL); after every step
the database must hold:

- a person holds at most one live seat; a case outside the seated statuses holds
  none (an arrived case keeps its boarded seats, the record of who flew); a seated
  household's people are all on one flight;
- no flight holds more passengers or stretchers than it has;
- only a case that is checked in or boarded has checked-in or boarded seats.

Each example runs in a transaction of its own that is rolled back afterwards.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.cases.service import transition_case
from evac.errors import EvacError
from evac.flights.checkin import board, check_in
from evac.flights.closing import close_flight, mark_arrived, mark_departed, put_back, reopen_flight
from evac.flights.models import Assignment, AssignmentStatus, Flight
from evac.flights.seating import confirm_seats, move_household, offload_household
from evac.flights.service import cancel_flight
from evac.lifecycle.rules import LIVE_SEATS, SEATED
from evac.planning.service import commit_plan
from evac.registration import self_service
from evac.registration.decline import decline
from evac.registration.models import CaseStatus, Person, Registration
from evac.staff.auth import StaffContext, build_context
from evac.staff.models import Role
from tests.factories import make_case, make_mission, make_staff, member
from tests.planning_db.test_plan_commit import make_flight

OFFICER_TARGETS = [
    CaseStatus.verified,
    CaseStatus.registered,
    CaseStatus.deferred,
    CaseStatus.withdrawn,
    CaseStatus.duplicate,
]
NAMES = ["Ayşe", "Mehmet", "Leyla", "Can", "Zeynep"]
AT_THE_AIRPORT = {CaseStatus.checked_in, CaseStatus.boarded}
AT_THE_AIRPORT_SEATS = {AssignmentStatus.checked_in, AssignmentStatus.boarded}


def lifecycle_machine(engine: Engine) -> type[RuleBasedStateMachine]:
    class Lifecycle(RuleBasedStateMachine):
        cases = Bundle("cases")
        flights = Bundle("flights")

        def __init__(self) -> None:
            super().__init__()
            self.connection = engine.connect()
            self.transaction = self.connection.begin()
            self.session = Session(
                bind=self.connection,
                join_transaction_mode="create_savepoint",
                expire_on_commit=False,
            )
            make_mission(self.session, "BERLIN", ["DE"])
            officer = make_staff(self.session, "officer", Role.coordinator, ["BERLIN"])
            self.staff: StaffContext = build_context(self.session, officer, csrf_token="")
            self.numbers = iter(range(100, 10_000))

        def teardown(self) -> None:
            self.session.close()
            self.transaction.rollback()
            self.connection.close()

        def _try(self, action: object, *args: object, **kwargs: object) -> None:
            """People try things the rules may refuse; a refusal changes nothing."""
            try:
                action(*args, **kwargs)  # type: ignore[operator]
            except EvacError:
                self.session.rollback()

        def _fresh(self, case: Registration) -> Registration:
            self.session.expire_all()
            return self.session.get(Registration, case.id)  # type: ignore[return-value]

        @initialize(target=flights)
        def a_flight(self) -> Flight:
            return make_flight(self.session, f"TK{next(self.numbers)}", 3)

        @rule(target=flights, seats=st.integers(1, 4), hours=st.integers(0, 48))
        def add_flight(self, seats: int, hours: int) -> Flight:
            return make_flight(self.session, f"TK{next(self.numbers)}", seats, hours=hours)

        @rule(target=cases, people=st.integers(1, 3))
        def register(self, people: int) -> Registration:
            members = [member(NAMES[i], "Kaya") for i in range(people)]
            return make_case(self.session, "DE", members)

        @rule(case=cases, target_status=st.sampled_from(OFFICER_TARGETS))
        def officer_changes_status(self, case: Registration, target_status: CaseStatus) -> None:
            self._try(transition_case, self.session, self.staff, self._fresh(case), target_status)

        @rule()
        def plan(self) -> None:
            self._try(commit_plan, self.session, actor="planner", country="DE")

        @rule(case=cases)
        def registrant_confirms(self, case: Registration) -> None:
            self._try(confirm_seats, self.session, self._fresh(case), actor="registrant")

        @rule(case=cases)
        def registrant_withdraws(self, case: Registration) -> None:
            fresh = self._fresh(case)

            self._try(self_service.withdraw, self.session, fresh, row_version=fresh.row_version)

        @rule(case=cases, kind=st.sampled_from(["declined", "cannot_reach"]))
        def registrant_declines(self, case: Registration, kind: str) -> None:
            fresh = self._fresh(case)
            version = fresh.row_version
            self._try(decline, self.session, fresh, kind, "No road", row_version=version)

        @rule(case=cases, flight=flights)
        def officer_offloads(self, case: Registration, flight: Flight) -> None:
            self._try(offload_household, self.session, self.staff, flight, self._fresh(case))

        @rule(case=cases, flight=flights, to_flight=flights)
        def officer_moves(self, case: Registration, flight: Flight, to_flight: Flight) -> None:
            self._try(
                move_household, self.session, self.staff, flight, self._fresh(case), to_flight
            )

        def _people(self, case: Registration) -> list[int]:
            statement = sa.select(Person.id).where(Person.registration_id == case.id)
            return list(self.session.execute(statement).scalars())

        @rule(case=cases, flight=flights, present=st.sets(st.integers(0, 2), min_size=1))
        def airport_checks_in(self, case: Registration, flight: Flight, present: set[int]) -> None:
            people = self._people(case)
            chosen = [people[i] for i in present if i < len(people)] or people[:1]
            self.session.expire_all()
            self._try(check_in, self.session, self.staff, flight, case.reference, chosen)

        @rule(case=cases, flight=flights)
        def airport_boards(self, case: Registration, flight: Flight) -> None:
            self.session.expire_all()
            self._try(board, self.session, self.staff, flight, case.reference)

        @rule(flight=flights, step=st.sampled_from(["close", "reopen", "depart", "arrive"]))
        def flight_moves_on(self, flight: Flight, step: str) -> None:
            self.session.expire_all()
            fresh = self.session.get(Flight, flight.id)
            if step == "reopen":
                self._try(reopen_flight, self.session, self.staff, fresh)
                return
            act = {"close": close_flight, "depart": mark_departed, "arrive": mark_arrived}[step]
            # The count the confirmation page showed: whatever it is now.
            for shown in range(0, 12):
                try:
                    act(self.session, self.staff, fresh, shown)
                except EvacError:
                    self.session.rollback()
                    self.session.expire_all()
                    fresh = self.session.get(Flight, flight.id)
                    continue
                return

        @rule(case=cases, flight=flights)
        def airport_puts_back(self, case: Registration, flight: Flight) -> None:
            self.session.expire_all()
            self._try(put_back, self.session, self.staff, flight, case.reference)

        @rule(flight=flights)
        def cancel(self, flight: Flight) -> None:
            self.session.expire_all()
            fresh = self.session.get(Flight, flight.id)
            self._try(
                cancel_flight, self.session, fresh, expected_version=None, actor="coordinator"
            )

        def _rows(self) -> list[sa.Row]:
            return list(
                self.session.execute(
                    sa.select(
                        Assignment.person_id,
                        Assignment.registration_id,
                        Assignment.flight_id,
                        Assignment.status,
                        Assignment.uses_stretcher,
                    ).where(Assignment.status.in_(LIVE_SEATS))  # type: ignore[attr-defined]
                ).all()
            )

        @invariant()
        def a_person_holds_at_most_one_live_seat(self) -> None:
            held = Counter(row.person_id for row in self._rows())
            assert all(count == 1 for count in held.values()), held

        @invariant()
        def seats_and_statuses_agree(self) -> None:
            flights_of: dict[int, set[int]] = defaultdict(set)
            seat_statuses: dict[int, set[str]] = defaultdict(set)
            for row in self._rows():
                flights_of[row.registration_id].add(row.flight_id)
                seat_statuses[row.registration_id].add(row.status)
            statuses = dict(
                self.session.execute(sa.select(Registration.id, Registration.status)).all()
            )
            for case_id, status in statuses.items():
                if status == CaseStatus.arrived:  # the boarded seats stay, as the record
                    assert seat_statuses[case_id] <= {AssignmentStatus.boarded}
                    continue
                if status not in SEATED:
                    assert case_id not in flights_of, (status, seat_statuses[case_id])
                    continue
                assert len(flights_of[case_id]) == 1, (status, flights_of[case_id])
                people = self.session.execute(
                    sa.select(sa.func.count()).where(
                        Person.registration_id == case_id,
                        Person.is_active,  # type: ignore[arg-type]
                    )
                ).scalar_one()
                seated = sum(1 for row in self._rows() if row.registration_id == case_id)
                if status in AT_THE_AIRPORT:
                    # People go through one by one: some may still be expected, and
                    # those who never came lost their seat at closing.
                    assert seat_statuses[case_id] & AT_THE_AIRPORT_SEATS, seat_statuses[case_id]
                    assert seated <= people
                else:
                    assert seat_statuses[case_id] == {SEATED[CaseStatus(status)]}, (
                        status,
                        seat_statuses[case_id],
                    )
                    assert seated == people

        @invariant()
        def no_flight_is_overbooked(self) -> None:
            used: Counter[tuple[int, bool]] = Counter(
                (row.flight_id, row.uses_stretcher) for row in self._rows()
            )
            for flight in self.session.execute(sa.select(Flight)).scalars():
                assert used[(flight.id, False)] <= flight.seats  # type: ignore[index]
                assert used[(flight.id, True)] <= flight.stretchers  # type: ignore[index]

        @invariant()
        def only_checked_in_cases_have_checked_in_seats(self) -> None:
            travelling = {AssignmentStatus.checked_in, AssignmentStatus.boarded}
            statuses = dict(
                self.session.execute(sa.select(Registration.id, Registration.status)).all()
            )
            for row in self._rows():
                if row.status in travelling:
                    assert statuses[row.registration_id] in (
                        CaseStatus.checked_in,
                        CaseStatus.boarded,
                    )

    return Lifecycle


def test_seats_and_statuses_never_drift_apart(engine: Engine) -> None:
    run_state_machine_as_test(
        lifecycle_machine(engine),
        settings=settings(
            max_examples=60,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
