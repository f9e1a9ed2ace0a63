"""A flight's statuses, as one table: what may follow what, and why not in words."""

from __future__ import annotations

import pytest

from evac.flights.flight_status import (
    BOARDING_OPEN,
    CHECK_IN_OPEN,
    FLIGHT_STATUS_WORDS,
    FLIGHT_TRANSITIONS,
    FlightAction,
    flight_refusal,
)
from evac.flights.models import FlightStatus as F


@pytest.mark.parametrize("action", list(FlightAction))
@pytest.mark.parametrize("current", list(F))
def test_every_flight_action_is_allowed_from_its_sources_only(
    action: FlightAction, current: F
) -> None:
    reason = flight_refusal(action, current)
    assert (reason is None) == (current in FLIGHT_TRANSITIONS[action].sources)
    assert reason is None or reason.endswith(".")


def test_a_closed_flight_reopens_only_until_it_departs() -> None:
    assert FLIGHT_TRANSITIONS[FlightAction.reopen].sources == {F.closed}
    assert flight_refusal(FlightAction.reopen, F.departed) is not None


def test_departure_comes_after_closing_and_arrival_after_departure() -> None:
    assert FLIGHT_TRANSITIONS[FlightAction.depart].sources == {F.closed}
    assert FLIGHT_TRANSITIONS[FlightAction.arrive].sources == {F.departed}


def test_arrived_and_cancelled_flights_are_final() -> None:
    for final in (F.arrived, F.cancelled):
        assert all(final not in t.sources for t in FLIGHT_TRANSITIONS.values())


def test_check_in_closes_before_boarding_does() -> None:
    assert CHECK_IN_OPEN < BOARDING_OPEN
    assert F.departed not in BOARDING_OPEN


def test_every_flight_status_has_words() -> None:
    assert set(FLIGHT_STATUS_WORDS) == set(F)
