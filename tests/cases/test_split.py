"""Splitting a household needs a reason, and a confirmation when a child would be
left without an adult in either case."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.registration.models import Registration
from tests.factories import csrf_token, make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


@pytest.fixture
def mother_and_child(session: Session) -> Registration:
    return make_case(
        session,
        "DE",
        [member("Leyla", "Arslan", born="1988-06-06"), member("Mert", "Arslan", born="2019-09-09")],
    )


def _split(client: TestClient, case: Registration, person_ids: list[int], **extra: str) -> str:
    page = client.post(
        f"/staff/cases/{case.reference}/split",
        data={
            "row_version": case.row_version,
            "person_ids": person_ids,
            "csrf_token": csrf_token(client),
            **extra,
        },
    )
    assert page.status_code == 200
    return page.text


def _split_cases(session: Session, case: Registration) -> list[Registration]:
    return list(session.exec(select(Registration).where(Registration.split_from_id == case.id)))


def test_a_split_without_a_reason_changes_nothing(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE", [member("Ali", "Bal"), member("Cem", "Dal")])
    sign_in(client, "berlin")

    text = _split(client, case, [case.members[1].id])  # type: ignore[list-item]

    assert "Give the reason for the split" in text
    assert _split_cases(session, case) == []
    session.refresh(case)
    assert len(case.members) == 2


def test_the_reason_for_a_split_is_kept_in_the_history(
    client: TestClient, session: Session
) -> None:
    case = make_case(session, "DE", [member("Ali", "Bal"), member("Cem", "Dal")])
    sign_in(client, "berlin")

    _split(client, case, [case.members[1].id], reason="Cem travels by ambulance plane")  # type: ignore[list-item]

    new_case = _split_cases(session, case)[0]
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "case.split")).all()
    assert {e.subject_id for e in events} == {case.reference, new_case.reference}
    assert all(e.after["reason"] == "Cem travels by ambulance plane" for e in events)  # type: ignore[index]


def test_a_split_that_leaves_a_child_alone_asks_for_confirmation_first(
    client: TestClient, session: Session, mother_and_child: Registration
) -> None:
    child = mother_and_child.members[1]
    sign_in(client, "berlin")

    warning = _split(client, mother_and_child, [child.id], reason="Mert goes with his aunt")  # type: ignore[list-item]

    assert "Mert Arslan" in warning and "without an adult" in warning
    assert _split_cases(session, mother_and_child) == []

    _split(
        client,
        mother_and_child,
        [child.id],  # type: ignore[list-item]
        reason="Mert goes with his aunt",
        leave_minors="yes",
    )
    assert [m.given_name for m in _split_cases(session, mother_and_child)[0].members] == ["Mert"]


def test_a_split_that_keeps_an_adult_with_every_child_needs_no_warning(
    client: TestClient, session: Session
) -> None:
    case = make_case(
        session,
        "DE",
        [
            member("Leyla", "Arslan", born="1988-06-06"),
            member("Mert", "Arslan", born="2019-09-09"),
            member("Okan", "Arslan", born="1985-01-01"),
        ],
    )
    sign_in(client, "berlin")

    text = _split(client, case, [case.members[2].id], reason="Okan stays to work")  # type: ignore[list-item]

    assert "without an adult" not in text
    assert len(_split_cases(session, case)) == 1
