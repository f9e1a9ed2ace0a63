"""A person registered without a travel document holds the household back from the
planner until an officer records an emergency travel document (ETD) on the case
page; manifests and PAXLST then carry the ETD. Officers correct people always."""

from __future__ import annotations

import warnings
from typing import Any

from fastapi.testclient import TestClient
from pydifact.segmentcollection import Interchange
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.flights.seating import confirm_seats
from evac.planning.service import commit_plan
from evac.registration.models import CaseStatus, Registration
from evac.registration.person_form import person_form_values
from tests.factories import APP_TODAY, csrf_token, make_case, member, sign_in, verify
from tests.planning_db.test_plan_commit import make_flight
from tests.planning_db.test_plan_pages import _staff

ETD_EXPIRY = APP_TODAY.replace(year=APP_TODAY.year + 1).isoformat()


def newborn_household(session: Session) -> Registration:
    baby = member("Deniz", "Şahin", born="2026-10-01")
    baby["document"] = {"type": "N", "missing_reason": "on_parent_passport"}
    return verify(session, make_case(session, "DE", [member("Gökhan", "Şahin"), baby]))


def fresh(session: Session, case: Registration) -> Registration:
    session.expire_all()
    stored = session.get(Registration, case.id)
    assert stored is not None
    return stored


def officer_edit(
    client: TestClient, session: Session, case: Registration, position: int, **changes: str
) -> Any:
    case = fresh(session, case)
    path = f"/staff/cases/{case.reference}/people/{position}/edit"
    data = person_form_values(case.members[position])
    data |= {f"members-0-{name}": value for name, value in changes.items()}
    data |= {"csrf_token": csrf_token(client, path), "row_version": str(case.row_version)}
    data["row_version"] = changes.get("row_version", data["row_version"])
    return client.post(path, data=data, follow_redirects=False)


def record_etd(client: TestClient, session: Session, case: Registration) -> Any:
    return officer_edit(
        client, session, case, 1,
        document_type="E", document_number="ETD0042", document_country="TR",
        document_expiry=ETD_EXPIRY,
    )  # fmt: skip


def paxlst_documents(text: str) -> list[list[Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        [message] = list(Interchange.from_str(text).get_messages())
    return [segment.elements for segment in message.segments if segment.tag == "DOC"]


def test_the_planner_holds_back_a_household_with_a_person_without_a_document(
    session: Session,
) -> None:
    _staff(session)
    case = newborn_household(session)
    make_flight(session, "TK1800", 10)
    preview = commit_plan(session, actor="planner", country="DE")
    assert preview.assigned_people == 0
    assert fresh(session, case).status == CaseStatus.verified


def test_an_officer_records_an_etd_and_the_household_is_seated_and_on_the_manifests(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    case = newborn_household(session)
    flight = make_flight(session, "TK1801", 10)
    sign_in(client, "berlin")
    page = client.get(f"/staff/cases/{case.reference}")
    assert "No travel document" in page.text and "on a parent" in page.text
    form = client.get(f"/staff/cases/{case.reference}/people/1/edit", params={"etd": "1"})
    assert "Record an emergency travel document" in form.text
    response = record_etd(client, session, case)
    assert response.status_code == 303, response.text
    deniz = fresh(session, case).members[1]
    assert (deniz.document_type, deniz.document_number) == ("E", "ETD0042")
    assert deniz.document_missing_reason == "on_parent_passport"
    commit_plan(session, actor="planner", country="DE")
    assert fresh(session, case).status == CaseStatus.assigned
    manifest = client.get(f"/staff/manifests/{flight.id}/manifest.csv").text
    assert ",E,ETD0042,TR," in manifest
    paxlst = client.get(f"/staff/manifests/{flight.id}/paxlst")
    assert paxlst.status_code == 200, paxlst.text
    assert [["F", "110", "111"], "ETD0042"] in paxlst_documents(paxlst.text)


def test_an_etd_needs_its_number_country_and_expiry(client: TestClient, session: Session) -> None:
    _staff(session)
    case = newborn_household(session)
    sign_in(client, "berlin")
    response = officer_edit(client, session, case, 1, document_type="E")
    assert response.status_code == 422
    assert "Enter the document number as printed." in response.text
    assert "Enter the date until which the emergency travel document is valid." in response.text
    assert fresh(session, case).members[1].document_type == "N"


def test_an_officer_corrects_a_person_of_a_confirmed_case_with_before_and_after(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    case = verify(session, make_case(session, "DE", [member("Nur", "Aydın")]))
    make_flight(session, "TK1802", 10)
    commit_plan(session, actor="planner", country="DE")
    confirm_seats(session, fresh(session, case), actor="registrant")
    session.commit()
    sign_in(client, "berlin")
    response = officer_edit(
        client, session, case, 0, given_name="Nurcan", passport_given_names="NURCAN"
    )
    assert response.status_code == 303, response.text
    case = fresh(session, case)
    assert case.status == CaseStatus.confirmed and case.members[0].given_name == "Nurcan"
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "registration.member_update")
    ).one()
    assert event.actor.endswith("berlin")
    assert event.before["given_name"] == "Nur" and event.after["given_name"] == "Nurcan"


def test_an_officer_is_told_clearly_that_a_document_is_held_by_another_case(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    holder = make_case(session, "DE", [member("Ali", "Kaya")])
    taken = holder.members[0].document_number
    case = make_case(session, "DE", [member("Veli", "Kaya")])
    sign_in(client, "berlin")
    response = officer_edit(client, session, case, 0, document_number=taken)
    assert response.status_code == 422
    assert f"another active case ({holder.reference})" in response.text
    assert fresh(session, case).members[0].document_number != taken


def test_an_officers_stale_edit_is_a_conflict_that_keeps_what_was_typed(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    case = make_case(session, "DE", [member("Nur", "Aydın")])
    sign_in(client, "berlin")
    assert officer_edit(client, session, case, 0, given_name="Nurcan").status_code == 303
    late = officer_edit(client, session, case, 0, given_name="Nuran", row_version="1")
    assert late.status_code == 409
    assert "Someone changed this case while you were editing it" in late.text
    assert 'value="Nuran"' in late.text
    assert fresh(session, case).members[0].given_name == "Nurcan"


def test_seats_are_not_kept_for_a_person_who_now_needs_a_stretcher(
    client: TestClient, session: Session
) -> None:
    _staff(session)
    case = verify(session, make_case(session, "DE", [member("Nur", "Aydın")]))
    make_flight(session, "TK1803", 10)
    commit_plan(session, actor="planner", country="DE")
    sign_in(client, "berlin")
    response = officer_edit(client, session, case, 0, needs_stretcher="1")
    assert response.status_code == 409
    assert "release the seats first" in response.text
    assert not fresh(session, case).members[0].needs_stretcher
