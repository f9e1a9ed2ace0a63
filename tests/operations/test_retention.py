"""Closed cases lose their personal data after the retention period; statistics stay."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.cases.merge import ContactChoice, merge_cases, plan_merge
from evac.cases.models import CaseNote
from evac.cases.service import add_note, transition_case, update_case_details
from evac.db import utcnow
from evac.errors import InvalidInput
from evac.flights.models import Assignment, AssignmentStatus, Flight, FlightKind
from evac.notifications.models import OutboxMessage, OutboxStatus
from evac.registration.models import CaseStatus, IdempotencyRecord, Person, Registration
from evac.retention.service import ANONYMIZED, count_purgeable, purge, purge_cutoff
from evac.staff.auth import StaffContext
from tests.factories import TODAY, leg_row, member, sign_in
from tests.operations.conftest import close, register, registered


def cutoff() -> datetime:
    return purge_cutoff(utcnow(), 30)


def reload(session: Session, case: Registration) -> Registration:
    session.expire_all()
    found = session.get(Registration, case.id)
    assert found is not None
    return found


def _fly(session: Session, case: Registration) -> Flight:
    flight = leg_row(
        session, flight_number="TK1999", kind=FlightKind.regular, departure_airport="BER",
        destination_airport="IST", country="DE", departure_time=utcnow() - timedelta(days=401),
        departure_date=date(2025, 10, 19), seats=100,
    )  # fmt: skip
    session.add(flight)
    session.flush()
    for person in case.members:
        session.add(
            Assignment(
                flight_id=flight.id,  # type: ignore[arg-type]
                person_id=person.id,  # type: ignore[arg-type]
                registration_id=case.id,  # type: ignore[arg-type]
                status=AssignmentStatus.boarded,
            )
        )
    session.commit()
    return flight


def test_purge_anonymizes_closed_cases_older_than_the_cutoff_and_keeps_statistics(
    session: Session,
) -> None:
    members = [
        member("Orsolya", "Vandrakis", born="1979-08-23", needs_wheelchair=True),
        member("Teodor", "Vandrakis", born="2015-02-11", nationality="DE"),
    ]
    case = register(session, members, address="Unter den Linden 77")
    flight = _fly(session, case)
    close(session, case, CaseStatus.arrived)
    before = {
        name: getattr(case, name)
        for name in ("reference", "country", "city", "status", "registered_at", "updated_at",
                     "people_count", "has_medical_need", "priority_tier", "language")
    }  # fmt: skip

    result = purge(session, cutoff())

    assert (result.cases, result.people) == (1, 2)
    case = reload(session, case)
    assert {name: getattr(case, name) for name in before} == before
    assert (case.phone, case.email, case.address) == (None, None, None)
    assert (case.latitude, case.longitude) == (None, None)
    people = sorted(case.members, key=lambda p: p.position)
    assert [p.date_of_birth for p in people] == [date(1979, 1, 1), date(2015, 1, 1)]
    assert [(p.sex, p.nationality, p.needs_wheelchair) for p in people] == [
        ("F", "TR", True),
        ("F", "DE", False),
    ]
    assert {p.given_name for p in people} == {ANONYMIZED}
    assert all(p.document_number.startswith("ANON-") for p in people)
    seats = session.exec(select(Assignment).where(Assignment.flight_id == flight.id)).all()
    assert len(seats) == 2 and {s.status for s in seats} == {AssignmentStatus.boarded}


def test_purge_leaves_open_and_recent_cases_untouched(session: Session) -> None:
    still_open = register(session, [member("Open", "Household")], email="open@example.org")
    close(session, still_open, CaseStatus.deferred)
    recent = register(session, [member("Recent", "Withdrawal")], email="recent@example.org")
    close(session, recent, CaseStatus.withdrawn, days_ago=10)
    old = register(session, [member("Old", "Withdrawal")], email="old@example.org")
    close(session, old, CaseStatus.withdrawn, days_ago=31)

    result = purge(session, cutoff())

    assert result.cases == 1
    assert reload(session, old).email is None
    for case, email in ((still_open, "open@example.org"), (recent, "recent@example.org")):
        case = reload(session, case)
        assert case.email == email
        assert case.members[0].given_name in {"Open", "Recent"}


def test_purge_dry_run_changes_nothing(session: Session) -> None:
    case = register(session, [member("Dry", "Run")])
    close(session, case, CaseStatus.duplicate)
    events = session.exec(select(sa.func.count()).select_from(AuditEvent)).one()

    assert count_purgeable(session, cutoff()) == 1

    case = reload(session, case)
    assert case.email == "a@example.org" and case.members[0].given_name == "Dry"
    assert session.exec(select(sa.func.count()).select_from(AuditEvent)).one() == events


def test_purge_is_idempotent(session: Session) -> None:
    case = register(session, [member("Twice", "Purged")])
    close(session, case, CaseStatus.withdrawn)
    first = purge(session, cutoff())
    version = reload(session, case).row_version

    second = purge(session, cutoff())

    assert (first.cases, second.cases, second.people, second.audit_events) == (1, 0, 0, 0)
    assert count_purgeable(session, cutoff()) == 0
    assert reload(session, case).row_version == version


def test_purge_goes_through_many_cases_in_small_batches(session: Session) -> None:
    cases = [register(session, [member(f"Batch {chr(65 + n)}", "Member")]) for n in range(5)]
    for case in cases:
        close(session, case, CaseStatus.withdrawn)

    result = purge(session, cutoff(), batch_size=2)

    assert result.cases == 5
    assert {reload(session, case).members[0].given_name for case in cases} == {ANONYMIZED}


def test_purge_writes_one_audit_event_with_counts_and_no_personal_data(
    session: Session, staff: StaffContext
) -> None:
    case = register(session, [member("Counted", "Person")])
    add_note(session, staff, case, "Counted Person called from the airport.")
    close(session, case, CaseStatus.withdrawn)

    purge(session, cutoff())

    events = session.exec(select(AuditEvent).where(AuditEvent.action == "retention.purge")).all()
    assert len(events) == 1
    summary = events[0].after or {}
    assert summary["cases"] == 1 and summary["people"] == 1 and summary["notes"] == 1
    assert summary["cutoff"].startswith(cutoff().date().isoformat())
    assert "Counted" not in str(summary)


def test_purge_refuses_less_than_a_day() -> None:
    with pytest.raises(InvalidInput, match="at least 1 day"):
        purge_cutoff(utcnow(), 0)


def _every_value(session: Session) -> list[tuple[str, str, Any]]:
    """Every value of every column of every table, as (table, column, value)."""
    connection = session.connection()
    found = []
    for table in sa.inspect(connection).get_table_names():
        result = connection.execute(sa.text(f'SELECT * FROM "{table}"'))
        columns = list(result.keys())
        found += [(table, c, v) for row in result for c, v in zip(columns, row, strict=True)]
    return found


def test_no_personal_data_of_a_purged_case_remains_anywhere(
    session: Session, staff: StaffContext
) -> None:
    members = [member("Wilhelmina", "Quackenbush", born="1966-03-30")]
    members[0]["document"]["number"] = "C7XQ93KL2"  # type: ignore[index]
    case = register(
        session, members, email="wilhelmina.q@example.net", address="Kastanienallee 12",
        idempotency_key="retry-key-1",
    )  # fmt: skip
    secrets = [
        *("Wilhelmina", "Quackenbush", "C7XQ93KL2", "wilhelmina.q@example.net", "1966-03-30"),
        *("Kastanienallee", "Kantstrasse 3", case.phone, "+493012345678"),
    ]
    update_case_details(
        session, staff, case, {"phone": "+49 30 12345678", "address": "Kantstrasse 3"},
        expected_version=case.row_version,
    )  # fmt: skip
    add_note(session, staff, case, "Spoke with Wilhelmina Quackenbush at Kantstrasse 3.")
    transition_case(session, staff, case, CaseStatus.withdrawn)
    close(session, case, CaseStatus.withdrawn)
    assert session.exec(select(OutboxMessage)).all() and session.exec(select(CaseNote)).all()
    assert session.exec(select(IdempotencyRecord)).all()

    purge(session, cutoff())

    leaks = [
        (table, column, value)
        for table, column, value in _every_value(session)
        for secret in secrets
        if secret and secret.casefold() in str(value).casefold()
    ]
    assert leaks == []
    messages = session.exec(select(OutboxMessage)).all()  # the confirmation's email and SMS
    assert len(messages) == 2 and {m.status for m in messages} == {OutboxStatus.dead}
    assert session.exec(select(IdempotencyRecord)).all() == []


def test_names_moved_into_a_purged_case_leave_the_trail_of_the_case_they_came_from(
    session: Session, staff: StaffContext
) -> None:
    kept = register(session, [member("Keeper", "Household")], email="k@example.org")
    duplicate = register(session, [member("Movedaway", "Person")], email="d@example.org")
    merge_cases(
        session,
        staff,
        plan_merge(kept, duplicate, ContactChoice.survivor),
        survivor_version=kept.row_version,
        absorbed_version=duplicate.row_version,
        today=TODAY,
    )
    close(session, kept, CaseStatus.arrived)

    purge(session, cutoff())

    trail = session.exec(
        select(AuditEvent).where(
            AuditEvent.subject_id == duplicate.reference, AuditEvent.action == "case.merge"
        )
    ).one()
    assert trail.after is not None
    assert trail.after["kept"] == kept.reference
    assert "Movedaway" not in str(trail.after)
    assert reload(session, duplicate).email == "d@example.org"
    assert session.exec(select(Person).where(Person.given_name == "Movedaway")).all() == []


def test_staff_see_a_purged_case_as_anonymized_and_its_private_link_is_dead(
    session: Session, staff: StaffContext, client: TestClient
) -> None:
    created = registered(session, [member("Linked", "Registrant")])
    case = created.case(session)
    close(session, case, CaseStatus.withdrawn)
    assert client.get(f"/r/{case.reference}", params={"t": created.access_token}).status_code == 200

    purge(session, cutoff())

    assert client.get(f"/r/{case.reference}", params={"t": created.access_token}).status_code == 404
    sign_in(client, "center")
    page = client.get(f"/staff/cases/{case.reference}")
    assert page.status_code == 200
    assert ANONYMIZED in page.text and "Registrant" not in page.text


def test_a_purged_case_cannot_be_reopened(session: Session, staff: StaffContext) -> None:
    case = register(session, [member("Closed", "Forever")])
    close(session, case, CaseStatus.withdrawn)
    purge(session, cutoff())
    case = reload(session, case)

    with pytest.raises(InvalidInput, match="anonymized under the retention rules"):
        transition_case(session, staff, case, CaseStatus.registered)

    assert reload(session, case).status == CaseStatus.withdrawn
