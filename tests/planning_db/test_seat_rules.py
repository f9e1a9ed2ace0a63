"""Who gets a seat, and what happens to seats when a case leaves the seated statuses."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.errors import NotFound
from evac.flights.checkin import check_in
from evac.flights.manifest import build_manifest
from evac.flights.models import Assignment, AssignmentStatus
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.notifications.models import OutboxMessage
from evac.planning.service import commit_plan, preview_plan
from evac.registration.models import CaseStatus, Registration
from evac.settings import get_settings
from evac.staff.auth import build_context
from evac.staff.models import Role
from tests.factories import csrf_token, make_case, make_mission, make_staff, member, sign_in
from tests.planning_db.test_plan_commit import make_flight


@pytest.fixture
def verified_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The default rule, which the rest of the suite relaxes."""
    monkeypatch.setenv("EVAC_SEAT_REQUIRES", "verified")
    get_settings.cache_clear()
    yield
    monkeypatch.undo()
    get_settings.cache_clear()


def _verify(session: Session, case: Registration) -> None:
    lifecycle.apply(session, case, Action.verify, actor="officer")
    session.commit()


def _seats(session: Session, case: Registration) -> list[Assignment]:
    statement = select(Assignment).where(Assignment.registration_id == case.id)
    return list(session.exec(statement).all())


def test_the_default_rule_seats_only_verified_cases_and_says_how_many_wait(
    session: Session, verified_only: None
) -> None:
    waiting = make_case(session)
    checked = make_case(session)
    _verify(session, checked)
    make_flight(session, "TK1", 10)

    preview = commit_plan(session, actor="planner", country="DE")

    session.refresh(waiting)
    session.refresh(checked)
    assert (waiting.status, checked.status) == (CaseStatus.registered, CaseStatus.assigned)
    assert preview.held_back == {
        "not_verified": 1,
        "possible_duplicate": 0,
        "no_travel_document": 0,
    }


def test_a_family_registered_twice_is_seated_once_until_an_officer_resolves_the_flag(
    session: Session, client: TestClient
) -> None:
    make_mission(session, "BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["BERLIN"])
    first = make_case(session, members=[member("Leyla", "Demir", born="1990-02-03")])
    again = make_case(session, members=[member("Leyla", "Demir", born="1990-02-03")])
    assert again.possible_duplicate_of_id == first.id
    flight = make_flight(session, "TK1", 10)

    preview = commit_plan(session, actor="planner", country="DE")

    assert [a.registration_id for a in _seats(session, first)] == [first.id]
    assert _seats(session, again) == []
    assert preview.held_back["possible_duplicate"] == 1
    manifest = build_manifest(session, flight, "TR")
    assert all(household.case.reference != again.reference for household in manifest.households)

    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{again.reference}/not-duplicate",
        data={"row_version": again.row_version, "csrf_token": csrf_token(client)},
    )
    assert "the household can be seated" in page.text
    commit_plan(session, actor="planner", country="DE")
    assert len(_seats(session, again)) == 1


@pytest.mark.parametrize("target", ["withdrawn", "deferred", "verified"])
def test_an_officer_moving_a_seated_case_out_releases_its_seats_and_tells_the_household(
    session: Session, client: TestClient, target: str
) -> None:
    make_mission(session, "BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["BERLIN"])
    case = make_case(session, members=[member(), member("Can", "Yılmaz")])
    flight = make_flight(session, "TK1", 2)
    commit_plan(session, actor="planner", country="DE")
    session.refresh(case)
    assert case.status == CaseStatus.assigned

    sign_in(client, "berlin")
    form = {"to": target, "row_version": case.row_version, "csrf_token": csrf_token(client)}
    asked = client.post(f"/staff/cases/{case.reference}/status", data=form)
    assert asked.status_code == 200 and "TK1" in asked.text  # asked first, naming the flight
    session.refresh(case)
    assert case.status == CaseStatus.assigned
    client.post(f"/staff/cases/{case.reference}/status", data={**form, "confirmed": "yes"})

    session.refresh(case)
    assert case.status == target
    assert {seat.status for seat in _seats(session, case)} == {AssignmentStatus.offloaded}
    assert all(
        h.case.reference != case.reference for h in build_manifest(session, flight, "TR").households
    )
    templates = set(
        session.exec(
            select(OutboxMessage.template).where(OutboxMessage.registration_id == case.id)
        ).all()
    )
    assert {"seat_released", "seat_released_sms"} <= templates
    other = make_case(session, members=[member("Deniz", "Kaya"), member("Ece", "Kaya")])
    commit_plan(session, actor="planner", country="DE")
    # The seats are free again: the next plan fills them (a verified case may take its own back).
    seated = _seats(session, case if target == "verified" else other)
    assert [seat.status for seat in seated if seat.status != AssignmentStatus.offloaded] == [
        AssignmentStatus.assigned
    ] * 2


def test_a_withdrawn_household_can_no_longer_check_in(session: Session) -> None:
    make_mission(session, "BERLIN", ["DE"])
    officer = make_staff(session, "berlin", Role.officer, ["BERLIN"])
    case = make_case(session)
    flight = make_flight(session, "TK1", 5)
    commit_plan(session, actor="planner", country="DE")
    session.refresh(case)
    lifecycle.apply(session, case, Action.withdraw, actor="registrant")
    session.commit()

    staff = build_context(session, officer, csrf_token="")
    with pytest.raises(NotFound, match="No household with this reference"):
        check_in(session, staff, flight, case.reference, [m.id for m in case.members])
    assert preview_plan(session, "DE").assigned_people == 0


def test_the_manifest_shows_a_flag_raised_after_seating(
    session: Session, client: TestClient
) -> None:
    make_mission(session, "BERLIN", ["DE"])
    make_staff(session, "berlin", Role.officer, ["BERLIN"])
    seated = make_case(session)
    flight = make_flight(session, "TK1", 5)
    commit_plan(session, actor="planner", country="DE")
    other = make_case(session)
    seated.possible_duplicate_of_id = other.id  # a later change raised the flag
    session.commit()

    sign_in(client, "berlin")
    page = client.get(f"/staff/manifests/{flight.id}")

    assert page.status_code == 200
    assert 'class="badge warn flag-duplicate"' in page.text
