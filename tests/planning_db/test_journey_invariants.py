"""The lifecycle's invariants on journeys of one to three legs, over random sequences of
what officers, registrants, the planner and each leg's place of departure do.

Legs run along ``journeys.ROUTE`` (Berlin → Frankfurt → Istanbul → Ankara): a leg
on hop ``k`` leaves between ``6k`` and ``6k + 5`` hours after the first, so any
legs on consecutive hops make a journey, and two journeys often share a leg.
After every step the database must hold:

- no leg holds more passengers or stretchers than it has;
- a case in a seated status holds, on each leg of its journey, one live seat per
  person (before travel: exactly one per person on every leg, in the case's seat
  status; at the airport or in transit: at most one, people missing a leg having
  lost theirs there), its first leg checked in or boarded once it travels;
- no case outside the seated statuses holds a live seat (an arrived case keeps
  its boarded seats, the record of who travelled);
- a person's live seats belong to their own case, one per leg, in strictly
  increasing time; a journey not yet travelled connects leg to leg;
- only a case that is checked in or boarded has checked-in or boarded seats.

Each example runs in a transaction of its own that is rolled back afterwards.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from datetime import timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    multiple,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.engine import Engine
from sqlmodel import Session

from evac.cases.onward import onward_choices
from evac.cases.service import transition_case
from evac.errors import EvacError
from evac.flights.checkin import board, check_in
from evac.flights.closing import close_flight, mark_arrived, mark_departed, put_back, reopen_flight
from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightKind, FlightStatus
from evac.flights.seating import confirm_seats, move_household, offload_household
from evac.flights.service import cancel_flight
from evac.lifecycle import journeys
from evac.lifecycle.capacity import NewSeat
from evac.lifecycle.onward import send_onward
from evac.lifecycle.rules import LIVE_SEATS, SEATED
from evac.planning.service import commit_plan
from evac.registration import self_service
from evac.registration.decline import decline
from evac.registration.models import CaseStatus, Person, Registration
from evac.staff.auth import StaffContext, build_context
from evac.staff.models import Role
from tests.factories import leg_row, make_case, make_mission, make_staff, member, verify
from tests.planning_db.journeys import ROUTE
from tests.planning_db.test_lifecycle_invariants import NAMES, OFFICER_TARGETS
from tests.planning_db.test_plan_commit import SOON

BEFORE_TRAVEL = {CaseStatus.assigned, CaseStatus.confirmed}
AT_THE_AIRPORT = {CaseStatus.checked_in, CaseStatus.boarded}
TRAVELLING_SEATS = {AssignmentStatus.checked_in, AssignmentStatus.boarded}
BEFORE = SOON - timedelta(days=1)  # "now" for onward journeys: every leg lies ahead


def journey_machine(engine: Engine) -> type[RuleBasedStateMachine]:
    class Journeys(RuleBasedStateMachine):
        cases = Bundle("cases")
        legs = Bundle("legs")

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
            self.by_hop: dict[int, list[int]] = defaultdict(list)

        def teardown(self) -> None:
            self.session.close()
            self.transaction.rollback()
            self.connection.close()

        def _try(self, action: object, *args: object, **kwargs: object) -> None:
            """People try things the rules may refuse; a refusal changes nothing."""
            name = getattr(action, "__name__", "?")
            try:
                action(*args, **kwargs)  # type: ignore[operator]
            except EvacError as refused:
                self.session.rollback()
                event(f"refused {name}: {refused.message[:40]}")
            else:
                event(f"done {name}")

        def _fresh(self, case: Registration) -> Registration:
            self.session.expire_all()
            return self.session.get_one(Registration, case.id)

        def _leg(self, leg: Flight) -> Flight:
            self.session.expire_all()
            return self.session.get_one(Flight, leg.id)

        def _make_leg(self, hop: int, seats: int, hours: int) -> Flight:
            departs = SOON + timedelta(hours=6 * hop + hours)
            origin, destination = ROUTE[hop]
            leg = leg_row(
                self.session, flight_number=f"L{next(self.numbers)}", kind=FlightKind.regular,
                departure_airport=origin, destination_airport=destination, country="DE",
                departure_time=departs, departure_date=departs.date(), seats=seats,
                status=FlightStatus.open,
            )  # fmt: skip
            self.session.add(leg)
            self.session.commit()
            self.by_hop[hop].append(leg.id)  # type: ignore[arg-type]
            return leg

        @initialize(target=legs)
        def a_whole_route(self) -> object:
            return multiple(*(self._make_leg(hop, 3, 0) for hop in range(3)))

        @rule(target=legs, hop=st.integers(0, 2), seats=st.integers(1, 4), hours=st.integers(0, 5))
        def add_leg(self, hop: int, seats: int, hours: int) -> Flight:
            return self._make_leg(hop, seats, hours)

        @rule(target=cases, people=st.integers(1, 3))
        def register(self, people: int) -> Registration:
            members = [member(NAMES[i], "Kaya") for i in range(people)]
            return verify(self.session, make_case(self.session, "DE", members))

        @rule(case=cases, target_status=st.sampled_from(OFFICER_TARGETS))
        def officer_changes_status(self, case: Registration, target_status: CaseStatus) -> None:
            self._try(transition_case, self.session, self.staff, self._fresh(case), target_status)

        @rule(case=cases, first=st.integers(0, 2), length=st.integers(1, 3), data=st.data())
        def seat_on_a_journey(
            self, case: Registration, first: int, length: int, data: st.DataObject
        ) -> None:
            hops = list(range(first, min(first + length, 3)))
            if not all(self.by_hop[hop] for hop in hops):
                return
            ids = [data.draw(st.sampled_from(self.by_hop[hop])) for hop in hops]
            fresh = self._fresh(case)
            legs = [self.session.get_one(Flight, leg_id) for leg_id in ids]
            seats = [NewSeat(p.id) for p in fresh.members if p.is_active]  # type: ignore[arg-type]
            self._try(journeys.seat_journey, self.session, fresh, legs, seats, actor="planner")

        @rule(really=st.integers(0, 5))
        def plan(self, really: int) -> None:
            if really:
                return
            self._try(commit_plan, self.session, actor="planner", country="DE")

        @rule(case=cases)
        def registrant_confirms(self, case: Registration) -> None:
            self._try(confirm_seats, self.session, self._fresh(case), actor="registrant")

        @rule(case=cases)
        def registrant_withdraws(self, case: Registration) -> None:
            fresh = self._fresh(case)
            self._try(self_service.withdraw, self.session, fresh, row_version=fresh.row_version)

        @rule(case=cases)
        def registrant_declines(self, case: Registration) -> None:
            fresh = self._fresh(case)
            version = fresh.row_version
            self._try(decline, self.session, fresh, "declined", "No road", row_version=version)

        def _a_leg_of(self, case: Registration, data: st.DataObject) -> Flight | None:
            """Mostly a leg the household holds a seat on (live or missed), else any."""
            held = self.session.execute(
                sa.select(Assignment.flight_id)
                .where(
                    Assignment.registration_id == case.id,
                    Assignment.status != AssignmentStatus.offloaded,
                )
                .distinct()
                .order_by(Assignment.flight_id)
            ).scalars()
            choices = list(held) or [i for ids in self.by_hop.values() for i in ids]
            if not choices:
                return None
            return self.session.get_one(Flight, data.draw(st.sampled_from(sorted(choices))))

        @rule(case=cases, data=st.data())
        def officer_offloads(self, case: Registration, data: st.DataObject) -> None:
            fresh = self._fresh(case)
            leg = self._a_leg_of(fresh, data)
            self._try(offload_household, self.session, self.staff, leg, fresh)

        @rule(case=cases, to_leg=legs, data=st.data())
        def officer_moves(self, case: Registration, to_leg: Flight, data: st.DataObject) -> None:
            fresh = self._fresh(case)
            leg = self._a_leg_of(fresh, data)
            self._try(move_household, self.session, self.staff, leg, fresh, self._leg(to_leg))

        @rule(case=cases, present=st.sets(st.integers(0, 2), min_size=1), data=st.data())
        def leg_checks_in(self, case: Registration, present: set[int], data: st.DataObject) -> None:
            fresh = self._fresh(case)
            people = [p.id for p in fresh.members]
            chosen = [people[i] for i in present if i < len(people)] or people[:1]
            leg = self._a_leg_of(fresh, data)
            self._try(check_in, self.session, self.staff, leg, case.reference, chosen)

        @rule(case=cases, data=st.data())
        def leg_boards(self, case: Registration, data: st.DataObject) -> None:
            leg = self._a_leg_of(self._fresh(case), data)
            self._try(board, self.session, self.staff, leg, case.reference)

        @rule(leg=legs, step=st.sampled_from(["close", "reopen", "depart", "arrive"]))
        def leg_moves_on(self, leg: Flight, step: str) -> None:
            if step == "reopen":
                self._try(reopen_flight, self.session, self.staff, self._leg(leg))
                return
            act = {"close": close_flight, "depart": mark_departed, "arrive": mark_arrived}[step]
            for shown in range(0, 12):  # the count the confirmation page showed
                try:
                    act(self.session, self.staff, self._leg(leg), shown)
                except EvacError:
                    self.session.rollback()
                    continue
                event(f"done {step}")
                return

        @rule(case=cases, data=st.data())
        def leg_puts_back(self, case: Registration, data: st.DataObject) -> None:
            leg = self._a_leg_of(self._fresh(case), data)
            self._try(put_back, self.session, self.staff, leg, case.reference)

        @rule(case=cases, missing=st.integers(0, 2), data=st.data())
        def someone_misses_a_later_leg(
            self, case: Registration, missing: int, data: st.DataObject
        ) -> None:
            """The household sets off on its journey (seated on one first, if it has
            none); on the next leg one of them is missing when it closes. A coordinator
            may add a leg from where they wait, and an officer send them on at once."""
            legs = journeys.legs_of(self.session, case.id)  # type: ignore[arg-type]
            if not legs:
                self.seat_on_a_journey(case, 0, data.draw(st.integers(2, 3)), data)
                legs = journeys.legs_of(self.session, case.id)  # type: ignore[arg-type]
            if len(legs) < 2:
                return
            people = [p.id for p in self._fresh(case).members if p.is_active]
            self._try(check_in, self.session, self.staff, legs[0], case.reference, people)
            self._try(board, self.session, self.staff, legs[0], case.reference)
            present = [person for i, person in enumerate(people) if i != missing]
            if present:
                self._try(check_in, self.session, self.staff, legs[1], case.reference, present)
            self.leg_moves_on(legs[1], "close")
            if data.draw(st.booleans()):  # a leg added from where they wait, and given
                hop = next(hop for hop, ids in self.by_hop.items() if legs[1].id in ids)
                self._make_leg(hop, data.draw(st.integers(1, 4)), 5)
                self.officer_sends_onward(case, data)

        @rule(case=cases, data=st.data())
        def officer_sends_onward(self, case: Registration, data: st.DataObject) -> None:
            """People left behind on a later leg get one of the journeys offered."""
            fresh = self._fresh(case)
            choices = [c for c in onward_choices(self.session, fresh, BEFORE) if c.options]
            if not choices:
                return
            choice = data.draw(st.sampled_from(choices))
            option = data.draw(st.sampled_from(choice.options))
            legs = [leg.flight for leg in option.legs]
            people = choice.group.person_ids()
            self._try(send_onward, self.session, fresh, people, legs, actor="officer")

        @rule(leg=legs, really=st.integers(0, 3))
        def cancel(self, leg: Flight, really: int) -> None:
            if really == 0:  # rarer than the rest: a cancelled leg takes nobody again
                self._try(
                    cancel_flight, self.session, self._leg(leg), expected_version=None, actor="c"
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
                        Flight.departure_time,
                        Flight.departure_airport,
                        Flight.destination_airport,
                        Person.registration_id.label("own_case"),  # type: ignore[attr-defined]
                    )
                    .join(Flight, Flight.id == Assignment.flight_id)  # type: ignore[arg-type]
                    .join(Person, Person.id == Assignment.person_id)  # type: ignore[arg-type]
                    .where(Assignment.status.in_(LIVE_SEATS))  # type: ignore[attr-defined]
                    .order_by(Flight.departure_time, Flight.id)
                ).all()
            )

        def _statuses(self) -> dict[int, str]:
            return dict(self.session.execute(sa.select(Registration.id, Registration.status)).all())  # type: ignore[arg-type]

        @invariant()
        def no_leg_is_overbooked(self) -> None:
            used = Counter((row.flight_id, row.uses_stretcher) for row in self._rows())
            for leg in self.session.execute(sa.select(Flight)).scalars():
                assert used[(leg.id, False)] <= leg.seats  # type: ignore[index]
                assert used[(leg.id, True)] <= leg.stretchers  # type: ignore[index]

        @invariant()
        def a_persons_live_seats_are_their_cases_one_per_leg_in_time_order(self) -> None:
            seats_of: dict[int, list[sa.Row]] = defaultdict(list)
            for row in self._rows():
                assert row.registration_id == row.own_case
                seats_of[row.person_id].append(row)
            for rows in seats_of.values():
                times = [row.departure_time for row in rows]
                assert times == sorted(set(times)), times

        @invariant()
        def seated_cases_hold_one_seat_per_person_on_every_leg(self) -> None:
            rows_of: dict[int, list[sa.Row]] = defaultdict(list)
            for row in self._rows():
                rows_of[row.registration_id].append(row)
            people = dict(
                self.session.execute(
                    sa.select(Person.registration_id, sa.func.count())
                    .where(Person.is_active)  # type: ignore[arg-type]
                    .group_by(Person.registration_id)
                ).all()
            )
            for case_id, status in self._statuses().items():
                rows = rows_of.get(case_id, [])
                if status == CaseStatus.arrived:  # the boarded seats stay, as the record
                    assert {row.status for row in rows} <= {AssignmentStatus.boarded}
                    continue
                if status not in SEATED:
                    assert not rows, (status, rows)
                    continue
                legs = list(dict.fromkeys(row.flight_id for row in rows))
                per_leg = Counter(row.flight_id for row in rows)
                assert legs, status
                if status in BEFORE_TRAVEL:
                    assert all(per_leg[leg] == people[case_id] for leg in legs), per_leg
                    assert {row.status for row in rows} == {SEATED[CaseStatus(status)]}
                    ends = [(r.departure_airport, r.destination_airport) for r in rows]
                    hops = list(dict.fromkeys(ends))
                    assert all(a[1] == b[0] for a, b in itertools.pairwise(hops)), hops
                else:
                    assert all(per_leg[leg] <= people[case_id] for leg in legs), per_leg
                    first = {row.status for row in rows if row.flight_id == legs[0]}
                    assert first & TRAVELLING_SEATS, (status, first)

        @invariant()
        def only_travelling_cases_have_travelling_seats(self) -> None:
            statuses = self._statuses()
            for row in self._rows():
                if row.status in TRAVELLING_SEATS:
                    assert statuses[row.registration_id] in AT_THE_AIRPORT

    return Journeys


def test_journeys_keep_seats_and_statuses_together(engine: Engine) -> None:
    run_state_machine_as_test(
        journey_machine(engine),
        settings=settings(
            max_examples=100,
            stateful_step_count=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
