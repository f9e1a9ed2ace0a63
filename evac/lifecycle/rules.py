"""The life of a case and of its seats, as two explicit tables: pure data, no database.

A case moves only by a named action, from one of the action's source statuses to
its target. Its seats follow from where the case goes, never by hand:

    registered ─verify→ verified ─seat→ assigned ─confirm→ confirmed ─check_in→ checked_in
        ─board→ boarded ─arrive→ arrived
    boarded ─reroute (people left behind on a later leg given onward travel)→ boarded
    any open status ─withdraw/defer/mark_duplicate→ withdrawn/deferred/duplicate
    assigned/confirmed ─no_show (flight closed)→ no_show ─restore (flight reopened)→ confirmed

A household travels a *journey*: one or more legs (a flight, an ambulance plane,
a bus, a ship, a train), each departing from where the previous one arrives,
later than it. A case in a *seated* status holds live seats for all its people
on every leg of its journey (a one-leg journey is a flight); every other case
holds none. ``seat`` gives the whole journey, ``move`` replaces it, ``confirm``
confirms every leg, and leaving the seated statuses releases every seat not yet
boarded, on every leg (``offloaded``, or ``no_show`` when the first leg closes
without them; no-shows are released too once the case leaves ``no_show``).

At the place of departure seats move person by person and leg by leg
(``PERSON_STEPS``): on the *first* leg the household checks in when its first
person does and boards with its first person; on each later leg, only the seats
of that leg move while the case stays ``boarded`` (in transit), and it arrives
when the last leg lands. Closing a leg makes only its missing people's seats
no-shows, on that leg only, while the household travels on:

    first leg:   assigned/confirmed ─check_in→ checked_in ─board→ boarded
    later legs:  boarded ─(check_in, board: that leg's seats)→ boarded
    last leg:    boarded ─arrive→ arrived

``evac.lifecycle.service``, ``journeys`` and ``airport`` are the only code that
writes either status, and each write is checked against these tables.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Protocol

from evac.flights.models import AssignmentStatus as Seat
from evac.flights.models import FlightStatus
from evac.i18n import N_
from evac.registration.models import CaseStatus as S


class Action(StrEnum):
    verify = "verify"
    unverify = "unverify"
    defer = "defer"
    withdraw = "withdraw"
    mark_duplicate = "mark_duplicate"
    reopen = "reopen"
    seat = "seat"
    unseat = "unseat"
    move = "move"
    offload = "offload"
    confirm = "confirm"
    check_in = "check_in"
    board = "board"
    no_show = "no_show"
    restore = "restore"
    arrive = "arrive"
    decline = "decline"
    reroute = "reroute"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[S]
    target: S


def _t(sources: set[S], target: S) -> Transition:
    return Transition(frozenset(sources), target)


OPEN_BEFORE_TRAVEL = {S.registered, S.verified, S.assigned, S.confirmed, S.deferred, S.no_show}

CASE_TRANSITIONS: dict[Action, Transition] = {
    Action.verify: _t({S.registered, S.deferred, S.no_show}, S.verified),
    Action.unverify: _t({S.verified}, S.registered),
    Action.defer: _t({S.registered, S.verified, S.assigned, S.confirmed, S.no_show}, S.deferred),
    Action.withdraw: _t(OPEN_BEFORE_TRAVEL, S.withdrawn),
    Action.mark_duplicate: _t({S.registered, S.verified, S.deferred}, S.duplicate),
    Action.reopen: _t({S.withdrawn, S.duplicate, S.deferred}, S.registered),
    Action.seat: _t({S.registered, S.verified, S.assigned}, S.assigned),
    Action.unseat: _t({S.assigned, S.confirmed, S.checked_in}, S.verified),
    Action.move: _t({S.assigned, S.confirmed}, S.assigned),
    Action.offload: _t({S.assigned, S.confirmed, S.checked_in}, S.verified),
    Action.confirm: _t({S.assigned}, S.confirmed),
    Action.check_in: _t({S.assigned, S.confirmed}, S.checked_in),
    Action.board: _t({S.checked_in}, S.boarded),
    Action.no_show: _t({S.assigned, S.confirmed}, S.no_show),
    Action.restore: _t({S.no_show}, S.confirmed),
    Action.arrive: _t({S.boarded}, S.arrived),
    # The registrant says no to the offered flight (or cannot reach its airport):
    # the seats go back, the case waits for an officer, flagged (``declined_at``).
    Action.decline: _t({S.assigned, S.confirmed}, S.deferred),
    # Some people of a household in transit lost their seat on a later leg (missed its
    # closing, or it was cancelled): an officer gives them a journey of their own from
    # where they wait. The household travels on; the case stays in transit.
    Action.reroute: _t({S.boarded}, S.boarded),
}

# Statuses in which a case holds live seats, and the status its seats then have.
SEATED: dict[S, Seat] = {
    S.assigned: Seat.assigned,
    S.confirmed: Seat.confirmed,
    S.checked_in: Seat.checked_in,
    S.boarded: Seat.boarded,
}
LIVE_SEATS = frozenset(SEATED.values())
CLOSED = frozenset({S.withdrawn, S.duplicate, S.arrived})

SEAT_TRANSITIONS: dict[Seat, frozenset[Seat]] = {
    Seat.assigned: frozenset({Seat.confirmed, Seat.checked_in, Seat.no_show, Seat.offloaded}),
    Seat.confirmed: frozenset({Seat.checked_in, Seat.no_show, Seat.offloaded}),
    Seat.checked_in: frozenset({Seat.boarded, Seat.offloaded}),
    Seat.boarded: frozenset(),
    Seat.no_show: frozenset({Seat.confirmed, Seat.offloaded}),
    Seat.offloaded: frozenset(),
}

# What an officer may do by hand on the case page or in bulk; seats come from the
# planner, the manifest and the airport.
OFFICER_ACTIONS = frozenset(
    {
        Action.verify,
        Action.unverify,
        Action.defer,
        Action.withdraw,
        Action.mark_duplicate,
        Action.reopen,
        Action.offload,
    }
)
REGISTRANT_ACTIONS = frozenset({Action.withdraw, Action.confirm, Action.decline})

_WHY_NOT: dict[S, str] = {
    S.arrived: N_("The case is closed: the household has arrived."),
    S.boarded: N_("The household has boarded; only arrival can follow."),
    S.checked_in: N_("The household has checked in; it can only board or be offloaded."),
    S.withdrawn: N_("The case was withdrawn; reopen it first (back to registered)."),
    S.duplicate: N_("The case is marked as a duplicate; reopen it first."),
}
NOT_FROM_HERE = N_("This status cannot follow the current one.")
# Legs that still take passengers: new seats go only on these.
TAKES_PASSENGERS = (FlightStatus.planned, FlightStatus.open)


def refusal(action: Action, current: S) -> str | None:
    """None if ``action`` may move a case in ``current``, else why not, in words."""
    transition = CASE_TRANSITIONS[action]
    if current in transition.sources:
        return None
    if current == transition.target:
        return N_("The case is already in this status.")
    return _WHY_NOT.get(current, NOT_FROM_HERE)


# Actions that bring their own seats (created beforehand) or keep the seats as they are.
NEW_SEATS = frozenset({Action.seat, Action.move, Action.reroute})
KEEPS_SEATS = frozenset({Action.arrive})


def seat_target(action: Action) -> Seat | None:
    """What the case's unboarded seats become by ``action``; None: the action leaves them."""
    if action in NEW_SEATS or action in KEEPS_SEATS:
        return None
    target = CASE_TRANSITIONS[action].target
    if target in SEATED:
        return SEATED[target]
    return Seat.no_show if target == S.no_show else Seat.offloaded


def seats_moved_by(action: Action) -> frozenset[Seat]:
    """The seat statuses ``action`` moves: the live ones, no-shows put back, or (boarding)
    only the people who checked in. Releasing a case releases its no-shows as well, so
    that a case outside the seated statuses and ``no_show`` keeps no claim on any leg."""
    if action is Action.restore:
        return frozenset({Seat.no_show})
    if action is Action.board:
        return frozenset({Seat.checked_in})
    if seat_target(action) is Seat.offloaded:
        return (LIVE_SEATS - {Seat.boarded}) | {Seat.no_show}
    return LIVE_SEATS - {Seat.boarded}


@dataclass(frozen=True)
class PersonStep:
    """One airport step taken by some of a household's people.

    The case moves by ``action`` when it is in one of the action's sources (its
    first person takes the step); in a ``stays`` status it is already past the
    step and only the people's seats move, from ``seats_from`` to ``seat_to``.
    """

    action: Action
    stays: frozenset[S]
    seats_from: frozenset[Seat]
    seat_to: Seat
    moves_case: bool = True


_AT_THE_AIRPORT = frozenset({S.checked_in, S.boarded})
# On a later leg the household is in transit: it boarded its first leg.
IN_TRANSIT = frozenset({S.boarded})
_EXPECTED = frozenset({Seat.assigned, Seat.confirmed})
PERSON_STEPS: dict[Action, PersonStep] = {
    Action.check_in: PersonStep(Action.check_in, _AT_THE_AIRPORT, _EXPECTED, Seat.checked_in),
    Action.board: PersonStep(
        Action.board, frozenset({S.boarded}), frozenset({Seat.checked_in}), Seat.boarded
    ),
    # Closing: the people of a household that travels on who never came.
    Action.no_show: PersonStep(
        Action.no_show, _AT_THE_AIRPORT, _EXPECTED, Seat.no_show, moves_case=False
    ),
    # Reopened: a no-show household, or a household's missing people, put back.
    Action.restore: PersonStep(
        Action.restore, _AT_THE_AIRPORT, frozenset({Seat.no_show}), Seat.confirmed
    ),
    # A later leg cancelled under a household in transit: its seats on that leg go.
    Action.offload: PersonStep(
        Action.offload, IN_TRANSIT, LIVE_SEATS - {Seat.boarded}, Seat.offloaded, moves_case=False
    ),
}


FIRST_LEG_FIRST = N_("The household travels its first leg first: check it in and board it there.")


def person_step_refusal(action: Action, current: S, *, later_leg: bool = False) -> str | None:
    """None if some people of a case in ``current`` may take the airport step ``action``
    on a leg of its journey (``later_leg``: not its first)."""
    step = PERSON_STEPS[action]
    if later_leg and action in (Action.check_in, Action.board) and current not in IN_TRANSIT:
        return FIRST_LEG_FIRST
    if current in step.stays:
        return None
    if action is Action.board and current in CASE_TRANSITIONS[Action.check_in].sources:
        return N_("Check the household in before boarding.")
    if step.moves_case:
        return refusal(action, current)
    return _WHY_NOT.get(current, NOT_FROM_HERE)


class LegLike(Protocol):
    departure_airport: str
    destination_airport: str
    departure_time: datetime
    arrival_time: datetime | None


def journey_refusal(legs: Sequence[LegLike]) -> str | None:
    """None if ``legs`` (in travel order) make a journey: at least one leg, each one
    departing from where the previous one arrives, after it arrives (after it leaves,
    when its arrival is not recorded). The planner also keeps EVAC_MIN_CONNECTION_MINUTES;
    an officer's move may knowingly keep less."""
    if not legs:
        return N_("A journey needs at least one leg.")
    for before, after in itertools.pairwise(legs):
        if after.departure_airport != before.destination_airport:
            return N_("Each leg must leave from where the previous one arrives.")
        if after.departure_time <= before.departure_time:
            return N_("Each leg must leave after the previous one.")
        if before.arrival_time is not None and _utc(after.departure_time) < _utc(
            before.arrival_time
        ):
            return N_("Each leg must leave after the previous one arrives.")
    return None


def _utc(moment: datetime) -> datetime:
    """SQLite gives datetimes back naive; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def seat_move_allowed(current: Seat, target: Seat) -> bool:
    return current == target or target in SEAT_TRANSITIONS[current]


def officer_action_to(current: S, target: S) -> Action | None:
    """The officer's action that takes a case from ``current`` to ``target``, if any."""
    for action in sorted(OFFICER_ACTIONS):
        transition = CASE_TRANSITIONS[action]
        if transition.target == target and current in transition.sources:
            return action
    return None


def officer_refusal(current: S, target: S) -> str | None:
    """None if an officer may move a case from ``current`` to ``target``, else why not."""
    if current == target:
        return N_("The case is already in this status.")
    if officer_action_to(current, target) is not None:
        return None
    if target in SEATED:
        return N_("Seats are given by the planner and check-in, not by hand.")
    return _WHY_NOT.get(current, NOT_FROM_HERE)


# Bulk actions offered on the case list, and the status each one sets.
BULK_ACTIONS: dict[str, S] = {"verify": S.verified, "defer": S.deferred, "duplicate": S.duplicate}


def officer_targets(current: S) -> list[S]:
    """The statuses an officer can move a case in ``current`` to, in the table's order."""
    targets = [
        CASE_TRANSITIONS[action].target
        for action in Action
        if action in OFFICER_ACTIONS and current in CASE_TRANSITIONS[action].sources
    ]
    return list(dict.fromkeys(targets))


# Changes an officer confirms on a second page before they happen: they close the
# case, or take seats away from a household (``needs_confirmation``).
CLOSING_TARGETS = frozenset({S.withdrawn, S.duplicate})


def needs_confirmation(old: S, new: S) -> bool:
    """Whether moving a case from ``old`` to ``new`` must be confirmed first."""
    return new in CLOSING_TARGETS or (old in SEATED and new not in SEATED)


# From ``registered`` (where ``reopen`` leads) back to an earlier status.
_FROM_REGISTERED: dict[S, tuple[Action, ...]] = {
    S.registered: (),
    S.verified: (Action.verify,),
    S.deferred: (Action.defer,),
}
# A household taken off its flight is seated again (if the seats are still free).
_RESEAT: dict[S, tuple[Action, ...]] = {
    S.assigned: (Action.seat,),
    S.confirmed: (Action.seat, Action.confirm),
}


def way_back(old: S, new: S) -> tuple[Action, ...] | None:
    """The actions that undo an officer's move from ``old`` to ``new``, in order;
    None when there is no way back (the seats of a no-show or a checked-in household)."""
    if new in {S.withdrawn, S.duplicate, S.deferred} and old in _FROM_REGISTERED:
        return (Action.reopen, *_FROM_REGISTERED[old])
    if new in {S.withdrawn, S.deferred} and old in _RESEAT:
        return (Action.reopen, Action.verify, *_RESEAT[old])
    if new == S.verified and old in _RESEAT:
        return _RESEAT[old]
    if new == S.verified and old == S.registered:
        return (Action.unverify,)
    if new == S.registered and old == S.verified:
        return (Action.verify,)
    return None


def as_markdown() -> str:
    """The two tables as docs/architecture.md shows them (a test keeps them in step)."""
    lines = ["| action | from | to | seats become |", "| --- | --- | --- | --- |"]
    for action in Action:
        transition = CASE_TRANSITIONS[action]
        sources = ", ".join(status for status in S if status in transition.sources)
        seats = seat_target(action)
        holds_seats = bool(transition.sources & set(SEATED)) or action is Action.restore
        effect = seats.value if seats and holds_seats else "—"
        if action is Action.reroute:
            effect = "new seats for the people left behind; theirs ahead offloaded"
        elif action in NEW_SEATS:
            effect = "new seats; the old ones offloaded"
        elif action in KEEPS_SEATS:
            effect = "unchanged"
        lines.append(f"| `{action}` | {sources} | {transition.target} | {effect} |")
    lines += ["", "| seat | may become |", "| --- | --- |"]
    for seat, targets in SEAT_TRANSITIONS.items():
        allowed = ", ".join(t.value for t in Seat if t in targets) or "nothing (final)"
        lines.append(f"| {seat.value} | {allowed} |")
    return "\n".join(lines) + "\n"
