"""Saving a flight's meeting point and instructions per language (see ``meeting_texts``)."""

from __future__ import annotations

from sqlmodel import Session

from evac.audit.service import record_event
from evac.flights.flight_status import StaleFlight
from evac.flights.meeting_texts import written_texts
from evac.flights.models import Flight
from evac.notifications.flight_notices import enqueue_flight_changed
from evac.row_versions import claim_next_version
from evac.settings import get_settings


def save_meeting_texts(
    session: Session,
    flight: Flight,
    texts: dict[str, dict[str, str]],
    *,
    expected_version: int | None,
    actor: str,
) -> bool:
    """Store the texts (the home language's point also as ``meeting_point``), audit the
    change, tell the passengers if it changed, and commit; returns whether it changed."""
    home = get_settings().home_language
    before = written_texts(flight)
    after = {language: dict(text) for language, text in texts.items()}
    claim_next_version(session, flight, expected_version, StaleFlight)
    flight.meeting_point = after.get(home, {}).get("point") or None
    flight.meeting_texts = after or None
    changed = written_texts(flight) != before
    if changed:
        record_event(
            session,
            actor=actor,
            action="flight.meeting",
            subject_type="flight",
            subject_id=flight.id,  # type: ignore[arg-type]
            before={"texts": before},
            after={"texts": written_texts(flight), "row_version": flight.row_version},
        )
        enqueue_flight_changed(session, flight, {"meeting_point"})
    session.commit()
    return changed
