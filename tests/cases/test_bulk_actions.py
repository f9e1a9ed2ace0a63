"""Officers change many cases at once: ticked, a whole page, or all matching a filter,
after a page that counts them; marking duplicates asks of which case."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.audit.models import AuditEvent
from evac.registration.models import Registration
from tests.factories import csrf_token, make_case, member, sign_in

pytestmark = pytest.mark.usefixtures("missions")


def _bulk(client: TestClient, query: str = "", **data: object):  # type: ignore[no-untyped-def]
    url = "/staff/cases/bulk" + (f"?{query}" if query else "")
    return client.post(url, data={"csrf_token": csrf_token(client), **data})


def _statuses(session: Session, cases: list[Registration]) -> list[str]:
    for case in cases:
        session.refresh(case)
    return [case.status for case in cases]


def test_officer_defers_every_case_matching_the_filter_after_seeing_the_count(
    client: TestClient, session: Session
) -> None:
    german = [make_case(session, "DE", [member(), member()]) for _ in range(3)]
    french = make_case(session, "FR")
    sign_in(client, "berlin")
    asked = _bulk(client, "country=DE", action="defer", scope="filter")
    assert asked.status_code == 200
    assert "3 cases will be set to" in asked.text
    assert "They hold 6 people." in asked.text
    assert _statuses(session, german) == ["registered"] * 3
    done = _bulk(
        client, "country=DE", action="defer", scope="filter", confirmed="yes", expected="3"
    )
    assert "3 cases changed, 0 refused." in done.text
    assert _statuses(session, german) == ["deferred"] * 3
    assert _statuses(session, [french]) == ["registered"]  # another mission's case


def test_a_filter_that_matches_more_cases_since_is_shown_again(
    client: TestClient, session: Session
) -> None:
    cases = [make_case(session, "DE") for _ in range(2)]
    sign_in(client, "berlin")
    _bulk(client, "country=DE", action="defer", scope="filter")
    cases.append(make_case(session, "DE"))
    again = _bulk(
        client, "country=DE", action="defer", scope="filter", confirmed="yes", expected="2"
    )
    assert 'id="changed-meanwhile"' in again.text
    assert "3 cases will be set to" in again.text
    assert _statuses(session, cases) == ["registered"] * 3


def test_officer_applies_an_action_to_every_case_on_the_page(
    client: TestClient, session: Session
) -> None:
    cases = [make_case(session, "DE") for _ in range(2)]
    sign_in(client, "berlin")
    page = client.get("/staff/cases")
    assert 'name="page_references"' in page.text and 'value="filter"' in page.text
    refs = [case.reference for case in cases]
    asked = _bulk(client, action="verify", scope="page", page_references=refs)
    assert "2 cases will be set to" in asked.text
    _bulk(client, action="verify", scope="page", page_references=refs, confirmed="yes",
          expected="2")  # fmt: skip
    assert _statuses(session, cases) == ["verified"] * 2


def test_marking_duplicates_in_bulk_asks_of_which_case(
    client: TestClient, session: Session
) -> None:
    original, copy = make_case(session, "DE"), make_case(session, "DE")
    sign_in(client, "berlin")
    asked = _bulk(client, action="duplicate", references=[copy.reference])
    assert 'name="duplicate_of"' in asked.text
    without = _bulk(
        client, action="duplicate", references=[copy.reference], confirmed="yes", expected="1"
    )
    assert 'name="duplicate_of"' in without.text
    assert _statuses(session, [copy]) == ["registered"]
    _bulk(client, action="duplicate", references=[copy.reference], confirmed="yes",
          expected="1", duplicate_of=original.reference)  # fmt: skip
    assert _statuses(session, [copy, original]) == ["duplicate", "registered"]
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "case.mark_duplicate")).one()
    assert event.after["duplicate_of"] == original.reference
