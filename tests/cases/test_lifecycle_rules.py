"""The case and seat tables, on their own: every pair of statuses and every action."""

from __future__ import annotations

from pathlib import Path

import pytest

from evac.flights.models import AssignmentStatus as Seat
from evac.lifecycle.rules import (
    CASE_TRANSITIONS,
    KEEPS_SEATS,
    LIVE_SEATS,
    OFFICER_ACTIONS,
    PERSON_STEPS,
    SEAT_TRANSITIONS,
    SEATED,
    Action,
    as_markdown,
    officer_action_to,
    officer_refusal,
    person_step_refusal,
    refusal,
    seat_move_allowed,
    seat_target,
    seats_moved_by,
)
from evac.registration.models import CaseStatus


@pytest.mark.parametrize("current", list(CaseStatus))
@pytest.mark.parametrize("target", list(CaseStatus))
def test_an_officer_move_is_either_one_action_or_refused_with_a_reason(
    current: CaseStatus, target: CaseStatus
) -> None:
    reason = officer_refusal(current, target)
    action = officer_action_to(current, target)
    assert (reason is None) == (action is not None and current != target)
    if action is not None:
        assert action in OFFICER_ACTIONS and CASE_TRANSITIONS[action].target == target
    if reason is not None:
        assert reason.endswith(".")


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("current", list(CaseStatus))
def test_every_action_is_allowed_from_its_sources_only(action: Action, current: CaseStatus) -> None:
    assert (refusal(action, current) is None) == (current in CASE_TRANSITIONS[action].sources)


def test_officers_never_seat_a_case_by_hand() -> None:
    for current in CaseStatus:
        for target in SEATED:
            assert officer_action_to(current, target) is None


@pytest.mark.parametrize("action", list(Action))
def test_every_action_moves_the_seats_its_sources_hold_by_the_seat_table(action: Action) -> None:
    seats_to = seat_target(action)
    if seats_to is None:
        return
    for source in CASE_TRANSITIONS[action].sources:
        held = {SEATED[source]} if source in SEATED else {Seat.no_show}
        for seat in held & seats_moved_by(action):
            assert seat_move_allowed(seat, seats_to), (action, source, seat, seats_to)


def test_a_boarded_household_keeps_its_seats_until_it_arrives() -> None:
    from_boarded = [a for a in Action if CaseStatus.boarded in CASE_TRANSITIONS[a].sources]
    assert from_boarded == [Action.arrive, Action.reroute]
    assert CASE_TRANSITIONS[Action.reroute].target == CaseStatus.boarded  # still in transit
    for action in from_boarded:
        assert seat_target(action) is None
        assert Seat.boarded not in seats_moved_by(action)


@pytest.mark.parametrize("action", list(Action))
def test_leaving_the_seated_statuses_releases_the_seats(action: Action) -> None:
    target = CASE_TRANSITIONS[action].target
    if target not in SEATED and action not in KEEPS_SEATS:
        assert seat_target(action) in (Seat.offloaded, Seat.no_show)


def test_boarded_and_offloaded_seats_are_final() -> None:
    assert SEAT_TRANSITIONS[Seat.boarded] == frozenset()
    assert SEAT_TRANSITIONS[Seat.offloaded] == frozenset()


def test_the_architecture_document_shows_the_tables_as_the_code_has_them() -> None:
    document = (Path(__file__).resolve().parents[2] / "docs" / "architecture.md").read_text()
    assert as_markdown() in document


@pytest.mark.parametrize("action", list(PERSON_STEPS))
def test_an_airport_step_moves_people_only_as_the_seat_table_allows(action: Action) -> None:
    step = PERSON_STEPS[action]
    for seat in step.seats_from:
        assert seat_move_allowed(seat, step.seat_to), (action, seat)


@pytest.mark.parametrize("action", list(PERSON_STEPS))
def test_a_case_at_an_airport_step_stays_seated(action: Action) -> None:
    """A case outside the seated statuses holds no live seat: whatever status a step
    leaves the case in holds seats, whether the case moves or stays."""
    step = PERSON_STEPS[action]
    assert step.stays <= set(SEATED)
    if step.moves_case:
        assert CASE_TRANSITIONS[action].target in SEATED


@pytest.mark.parametrize("action", list(PERSON_STEPS))
@pytest.mark.parametrize("current", list(CaseStatus))
def test_an_airport_step_is_refused_outside_its_statuses(
    action: Action, current: CaseStatus
) -> None:
    step = PERSON_STEPS[action]
    allowed = current in step.stays or (
        step.moves_case and current in CASE_TRANSITIONS[action].sources
    )
    reason = person_step_refusal(action, current)
    assert (reason is None) == allowed
    if reason is not None:
        assert reason.endswith(".")


def test_only_people_who_checked_in_board() -> None:
    assert PERSON_STEPS[Action.board].seats_from == {Seat.checked_in}
    assert seats_moved_by(Action.board) == {Seat.checked_in}
    for seat in (Seat.assigned, Seat.confirmed, Seat.no_show):
        assert not seat_move_allowed(seat, Seat.boarded)


def test_closing_releases_a_missing_persons_seat_but_keeps_the_household() -> None:
    step = PERSON_STEPS[Action.no_show]
    assert not step.moves_case
    assert step.stays == {CaseStatus.checked_in, CaseStatus.boarded}
    assert step.seat_to == Seat.no_show and step.seat_to not in LIVE_SEATS
