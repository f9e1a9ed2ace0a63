"""The life of a case as an explicit state machine: pure data, no database.

    registered → verified → assigned → confirmed → checked_in → boarded → arrived
    plus withdrawn, duplicate, deferred (chose to stay, or postponed) and no_show.

``check_transition`` says whether a move is allowed and, if not, why, in words
an officer can act on.
"""

from __future__ import annotations

from evac.i18n import N_
from evac.registration.models import CaseStatus as S

ALLOWED: dict[S, frozenset[S]] = {
    S.registered: frozenset({S.verified, S.withdrawn, S.duplicate, S.deferred}),
    S.verified: frozenset({S.assigned, S.registered, S.withdrawn, S.duplicate, S.deferred}),
    S.assigned: frozenset({S.confirmed, S.verified, S.withdrawn, S.deferred}),
    S.confirmed: frozenset({S.checked_in, S.no_show, S.verified, S.withdrawn, S.deferred}),
    S.checked_in: frozenset({S.boarded, S.no_show}),
    S.boarded: frozenset({S.arrived}),
    S.arrived: frozenset(),
    S.withdrawn: frozenset({S.registered}),
    S.duplicate: frozenset({S.registered}),
    S.deferred: frozenset({S.registered, S.verified, S.withdrawn}),
    S.no_show: frozenset({S.verified, S.withdrawn, S.deferred}),
}

# States that only the planner or the airport check-in may set, because they
# need a seat on a flight behind them.
FLIGHT_STATES = frozenset({S.assigned, S.confirmed, S.checked_in, S.boarded})

_WHY_NOT: dict[S, str] = {
    S.arrived: N_("The case is closed: the household has arrived."),
    S.boarded: N_("The household has boarded; only arrival can follow."),
    S.checked_in: N_("The household has checked in; it can only board or be a no-show."),
    S.withdrawn: N_("The case was withdrawn; reopen it first (back to registered)."),
    S.duplicate: N_("The case is marked as a duplicate; reopen it first."),
}


def allowed_targets(current: S) -> frozenset[S]:
    return ALLOWED[current]


def check_transition(current: S, target: S, *, manual: bool = True) -> str | None:
    """None if ``current → target`` is allowed, else the reason it is not."""
    if current == target:
        return N_("The case is already in this status.")
    if target not in ALLOWED[current]:
        return _WHY_NOT.get(current, N_("This status cannot follow the current one."))
    if manual and target in FLIGHT_STATES:
        return N_("Seats are given by the planner and check-in, not by hand.")
    return None


# Bulk actions offered on the case list, and the status each one sets.
BULK_ACTIONS: dict[str, S] = {"verify": S.verified, "defer": S.deferred, "duplicate": S.duplicate}
