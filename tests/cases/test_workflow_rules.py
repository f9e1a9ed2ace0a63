"""The case state machine, on its own: every pair of statuses."""

from __future__ import annotations

import pytest

from evac.cases.workflow import ALLOWED, FLIGHT_STATES, check_transition
from evac.registration.models import CaseStatus


@pytest.mark.parametrize("current", list(CaseStatus))
@pytest.mark.parametrize("target", list(CaseStatus))
def test_every_transition_is_either_allowed_or_refused_with_a_reason(
    current: CaseStatus, target: CaseStatus
) -> None:
    reason = check_transition(current, target)
    allowed = target in ALLOWED[current] and target not in FLIGHT_STATES and target != current
    assert (reason is None) == allowed
    if reason is not None:
        assert reason.endswith(".")


def test_flight_states_come_from_the_planner_not_by_hand() -> None:
    assert check_transition(CaseStatus.verified, CaseStatus.assigned) is not None
    assert check_transition(CaseStatus.verified, CaseStatus.assigned, manual=False) is None
