"""Officers split a household into linked cases and merge duplicates, keeping history."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.registration.models import Registration
from tests.factories import csrf_token, make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def test_split_moves_a_stretcher_patient_and_companion_to_a_linked_case(
    client: TestClient, session: Session
) -> None:
    case = make_case(
        session,
        "DE",
        [
            member("Emine", "Koç", needs_stretcher=True, medical_urgency="urgent"),
            member("Ahmet", "Koç"),
            member("Deniz", "Koç"),
        ],
    )
    patient, companion, _rest = case.members
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/split",
        data={
            "row_version": case.row_version,
            "person_ids": [patient.id, companion.id],
            "reason": "Emine flies on the ambulance plane with Ahmet",
            "csrf_token": csrf_token(client),
        },
    )
    assert page.status_code == 200
    new_case = session.exec(select(Registration).where(Registration.split_from_id == case.id)).one()
    session.refresh(case)
    assert [m.given_name for m in new_case.members] == ["Emine", "Ahmet"]
    assert [m.given_name for m in case.members] == ["Deniz"]
    assert new_case.priority_tier == 1 and case.priority_tier == 3
    assert f"Split from {case.reference}." in page.text
    for reference in (case.reference, new_case.reference):
        assert session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "case.split", AuditEvent.subject_id == reference
            )
        ).one()


def test_split_needs_some_but_not_all_members(client: TestClient, session: Session) -> None:
    case = make_case(session, "DE", [member("Ali", "Bal"), member("Cem", "Dal")])
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{case.reference}/split",
        data={
            "row_version": case.row_version,
            "person_ids": [m.id for m in case.members],
            "reason": "Everyone",
            "csrf_token": csrf_token(client),
        },
    )
    assert "Choose some members, but not all" in page.text


def test_merge_moves_new_members_closes_the_duplicate_and_keeps_both_histories(
    client: TestClient, session: Session
) -> None:
    kept = make_case(session, "DE", [member("Fatma", "Demir", born="1970-02-02")])
    duplicate = make_case(
        session,
        "DE",
        [member("Fatma", "Demir", born="1970-02-02"), member("Can", "Demir", born="2001-03-03")],
    )
    assert duplicate.possible_duplicate_of_id == kept.id
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{kept.reference}/merge",
        data={
            "survivor": kept.reference,
            "absorbed": duplicate.reference.lower(),
            "survivor_version": kept.row_version,
            "absorbed_version": duplicate.row_version,
            "csrf_token": csrf_token(client),
        },
    )
    assert "People moved: 1." in page.text
    session.refresh(kept)
    session.refresh(duplicate)
    assert [m.given_name for m in kept.members] == ["Fatma", "Can"]
    assert duplicate.status == "duplicate" and duplicate.merged_into_id == kept.id
    assert all(not m.is_active for m in duplicate.members)
    events = session.exec(select(AuditEvent.subject_id).where(AuditEvent.action == "case.merge"))
    assert set(events.all()) == {kept.reference, duplicate.reference}


def test_cannot_merge_a_case_from_another_mission(client: TestClient, session: Session) -> None:
    kept, foreign = make_case(session, "DE"), make_case(session, "FR")
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{kept.reference}/merge",
        data={
            "survivor": kept.reference,
            "absorbed": foreign.reference,
            "survivor_version": kept.row_version,
            "absorbed_version": foreign.row_version,
            "csrf_token": csrf_token(client),
        },
    )
    assert "No case with this reference in your missions." in page.text
    session.refresh(foreign)
    assert foreign.status == "registered"
