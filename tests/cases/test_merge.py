"""Merging two cases shows both, keeps the earlier one unless told otherwise, asks
for confirmation, never replaces the contact silently, and can be undone."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.lifecycle import service as lifecycle
from evac.lifecycle.rules import Action
from evac.lifecycle.service import NewSeat
from evac.registration.models import Registration
from tests.factories import csrf_token, make_case, member, sign_in, verify
from tests.flights.conftest import make_flight

pytestmark = pytest.mark.usefixtures("missions")

OTHER_PHONE = "+49 30 1234567"


@pytest.fixture
def family(session: Session) -> tuple[Registration, Registration]:
    """A household of three, and the same mother registered again later, alone,
    with another phone number: flagged as a possible duplicate of the first."""
    original = make_case(
        session,
        "DE",
        [
            member("Fatma", "Demir", born="1970-02-02"),
            member("Can", "Demir", born="2001-03-03"),
            member("Ece", "Demir", born="2004-05-05"),
        ],
    )
    duplicate = make_case(session, "DE", [member("Fatma", "Demir", born="1970-02-02")])
    duplicate.phone = OTHER_PHONE
    session.commit()
    assert duplicate.possible_duplicate_of_id == original.id
    return original, duplicate


def _checked(page_text: str, name: str) -> str:
    """The value of the radio button ``name`` that the page checks by default."""
    for tag in re.findall(r"<input[^>]*>", page_text):
        if f'name="{name}"' in tag and "checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)  # type: ignore[union-attr]
    raise AssertionError(f"no {name} is checked")


def _hidden(page_text: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', page_text)
    assert match, name
    return match.group(1)


def _confirm_defaults(client: TestClient, start: Registration, other: Registration) -> str:
    """From ``start``'s page: compare, keep the defaults, review, confirm."""
    compare = client.get(f"/staff/cases/{start.reference}/merge", params={"other": other.reference})
    assert compare.status_code == 200
    review = client.get(
        f"/staff/cases/{start.reference}/merge/review",
        params={
            "other": other.reference,
            "survivor": _checked(compare.text, "survivor"),
            "contact": _checked(compare.text, "contact"),
        },
    )
    assert review.status_code == 200
    done = client.post(
        f"/staff/cases/{start.reference}/merge",
        data={
            name: _hidden(review.text, name)
            for name in (
                "survivor",
                "absorbed",
                "contact",
                "survivor_version",
                "absorbed_version",
                "csrf_token",
            )
        },
    )
    assert done.status_code == 200
    return done.text


def test_merge_started_on_the_duplicates_page_keeps_the_earlier_household(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")

    _confirm_defaults(client, duplicate, original)

    session.refresh(original)
    session.refresh(duplicate)
    assert [m.given_name for m in original.members] == ["Fatma", "Can", "Ece"]
    assert original.status == "registered" and original.phone != OTHER_PHONE
    assert duplicate.status == "duplicate" and duplicate.merged_into_id == original.id


def test_merge_compares_both_cases_side_by_side(
    client: TestClient, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    page = client.get(
        f"/staff/cases/{duplicate.reference}/merge", params={"other": original.reference}
    )
    for text in (original.reference, duplicate.reference, "DEMIR", "2004-05-05", OTHER_PHONE):
        assert text in page.text
    assert "Registered" in page.text  # the status in words
    assert _checked(page.text, "survivor") == original.reference
    assert _checked(page.text, "contact") == "survivor"


def test_review_says_who_moves_and_which_case_becomes_a_duplicate(
    client: TestClient, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    review = client.get(
        f"/staff/cases/{original.reference}/merge/review",
        params={"other": duplicate.reference, "survivor": original.reference, "contact": "other"},
    )
    assert f"{duplicate.reference} will be marked as a duplicate" in review.text
    assert "Fatma Demir is already in" in review.text
    assert f"replaced by those of {duplicate.reference}" in review.text
    assert OTHER_PHONE in review.text


def test_a_merge_without_confirmation_changes_nothing(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    """The old one-click form (a reference and a row version) no longer merges."""
    original, duplicate = family
    sign_in(client, "berlin")
    client.post(
        f"/staff/cases/{duplicate.reference}/merge",
        data={
            "row_version": duplicate.row_version,
            "duplicate": original.reference,
            "csrf_token": csrf_token(client),
        },
    )
    session.refresh(original)
    session.refresh(duplicate)
    assert original.status == "registered" and duplicate.status == "registered"
    assert len(original.members) == 3 and original.merged_into_id is None


def test_merge_can_keep_the_other_cases_contact_when_chosen(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    client.post(
        f"/staff/cases/{original.reference}/merge",
        data={
            "survivor": original.reference,
            "absorbed": duplicate.reference,
            "contact": "other",
            "survivor_version": original.row_version,
            "absorbed_version": duplicate.row_version,
            "csrf_token": csrf_token(client),
        },
    )
    session.refresh(original)
    assert original.phone == OTHER_PHONE


def test_a_merge_from_a_stale_page_is_refused_as_a_conflict(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    seen = duplicate.row_version
    verify(session, duplicate)  # another officer, while this one reads the review
    page = client.post(
        f"/staff/cases/{original.reference}/merge",
        data={
            "survivor": original.reference,
            "absorbed": duplicate.reference,
            "contact": "survivor",
            "survivor_version": original.row_version,
            "absorbed_version": seen,
            "csrf_token": csrf_token(client),
        },
    )
    assert "Someone else changed this case" in page.text
    session.refresh(duplicate)
    session.refresh(original)
    assert duplicate.status == "verified" and len(original.members) == 3


def test_an_officer_cannot_compare_with_a_case_of_another_mission(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, _ = family
    foreign = make_case(session, "FR")
    sign_in(client, "berlin")
    page = client.get(
        f"/staff/cases/{original.reference}/merge", params={"other": foreign.reference}
    )
    assert page.status_code == 404
    assert foreign.reference not in page.text


def test_merge_needs_the_csrf_token(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    page = client.post(
        f"/staff/cases/{original.reference}/merge",
        data={
            "survivor": original.reference,
            "absorbed": duplicate.reference,
            "contact": "survivor",
            "survivor_version": original.row_version,
            "absorbed_version": duplicate.row_version,
        },
    )
    assert page.status_code == 403
    session.refresh(duplicate)
    assert duplicate.status == "registered"


def _undo_form(page_text: str) -> tuple[str, dict[str, str]]:
    action = re.search(r'action="(/staff/cases/[^"]+/undo)"', page_text)
    assert action, "no undo button"
    form = page_text[action.start() : page_text.index("</form>", action.start())]
    fields = dict(re.findall(r'name="([a-z_]+)" value="([^"]*)"', form))
    return action.group(1), fields


def test_undo_from_the_duplicates_page_moves_people_back_and_restores_the_case(
    client: TestClient, session: Session
) -> None:
    kept = make_case(session, "DE", [member("Ali", "Kaya", born="1980-01-01")])
    other = make_case(
        session,
        "DE",
        [member("Ali", "Kaya", born="1980-01-01"), member("Ada", "Kaya", born="2010-01-01")],
    )
    other.phone = OTHER_PHONE
    session.commit()
    sign_in(client, "berlin")
    client.post(f"/staff/cases/{other.reference}/status", data={
        "to": "verified", "row_version": other.row_version, "csrf_token": csrf_token(client),
    })  # fmt: skip
    session.refresh(other)
    phone_before = kept.phone
    client.post(
        f"/staff/cases/{kept.reference}/merge",
        data={
            "survivor": kept.reference,
            "absorbed": other.reference,
            "contact": "other",
            "survivor_version": kept.row_version,
            "absorbed_version": other.row_version,
            "csrf_token": csrf_token(client),
        },
    )
    session.refresh(kept)
    assert [m.given_name for m in kept.members] == ["Ali", "Ada"] and kept.phone == OTHER_PHONE

    page = client.get(f"/staff/cases/{other.reference}")
    action, fields = _undo_form(page.text)
    done = client.post(action, data=fields)

    assert "Merge undone" in done.text
    session.refresh(kept)
    session.refresh(other)
    assert [m.given_name for m in kept.members] == ["Ali"] and kept.phone == phone_before
    assert [m.given_name for m in other.members] == ["Ali", "Ada"]
    assert other.status == "verified" and other.merged_into_id is None
    assert all(m.is_active for m in other.members)
    undone = session.exec(
        select(AuditEvent.subject_id).where(AuditEvent.action == "case.merge_undone")
    ).all()
    assert set(undone) == {kept.reference, other.reference}
    again = client.post(action, data={**fields, "csrf_token": csrf_token(client)})
    assert "no longer" in again.text or "not be undone" in again.text


def test_undo_is_refused_once_the_kept_case_has_seats(
    client: TestClient, session: Session, family: tuple[Registration, Registration]
) -> None:
    original, duplicate = family
    sign_in(client, "berlin")
    _confirm_defaults(client, duplicate, original)
    session.refresh(original)
    verify(session, original)
    flight = make_flight(session)
    lifecycle.add_seats(session, original, flight, [NewSeat(m.id) for m in original.members])  # type: ignore[arg-type]
    lifecycle.apply(session, original, Action.seat, actor="test")
    session.commit()

    page = client.get(f"/staff/cases/{duplicate.reference}")
    action, fields = _undo_form(page.text)
    refused = client.post(action, data=fields)

    assert "has seats on a flight" in refused.text
    session.refresh(duplicate)
    assert duplicate.status == "duplicate" and len(original.members) == 3
