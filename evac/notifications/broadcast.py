"""A coordinator's message to every registrant of a country or of a flight.

The sender writes the text in English and, if they can, in the other
languages; each registrant gets their own language's text, or the English one.
Nothing is queued before the sender has seen a preview of this exact draft
with the number of households and messages it reaches: the send carries the
preview's fingerprint, and a draft changed since its preview is shown again.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from evac.audit.service import record_event
from evac.cases.scope import readable_cases
from evac.errors import NotFound
from evac.flights.models import ACTIVE_ASSIGNMENT_STATUSES, Assignment, Flight, FlightStatus
from evac.flights.service import readable_flights
from evac.i18n import N_
from evac.notifications.bulk import queue_for
from evac.notifications.models import Audience, Broadcast, Channel
from evac.notifications.sms import sms_text
from evac.notifications.sms_length import MAX_PARTS, SmsLength, sms_length
from evac.notifications.templates import Rendered, fallback_note, render_message
from evac.registration.models import CaseStatus, Registration
from evac.settings import SUPPORTED_LANGUAGES, get_settings
from evac.staff.auth import StaffContext

BROADCAST = "broadcast"
BROADCAST_SMS = "broadcast_sms"
TEMPLATES = {Channel.email: BROADCAST, Channel.sms: BROADCAST_SMS}
ENGLISH = "en"
MAX_SUBJECT = 150
MAX_BODY = 5000
MAX_SMS = 480
SAMPLE_REFERENCE = "ABCD-EFGH"
TOO_MANY_PARTS = N_(
    "Too long for an SMS in this alphabet: at most %(limit)d characters (%(parts)d parts)."
)

# Registrants still abroad: a country's broadcast is not for those who left.
STILL_ABROAD = (
    CaseStatus.registered,
    CaseStatus.verified,
    CaseStatus.assigned,
    CaseStatus.confirmed,
    CaseStatus.checked_in,
    CaseStatus.deferred,
    CaseStatus.no_show,
)
OPEN_FLIGHTS = (FlightStatus.planned, FlightStatus.open, FlightStatus.closed)


@dataclass
class Draft:
    audience: Audience | None = None
    country: str = ""
    flight_id: int | None = None
    channels: tuple[Channel, ...] = ()
    texts: dict[str, dict[str, str]] = field(default_factory=dict)

    def fingerprint(self) -> str:
        """What the preview showed, so that a send can prove it is the previewed draft."""
        content = json.dumps(
            [self.audience, self.country, self.flight_id, self.channels, self.texts],
            sort_keys=True,
        )
        return hashlib.sha256(content.encode()).hexdigest()[:32]

    def source_for(self, language: str) -> str:
        """The language whose text a reader of ``language`` gets: their own, else the
        home language's, else English (always written)."""
        for candidate in (language, get_settings().home_language, ENGLISH):
            if candidate in self.texts:
                return candidate
        return ENGLISH

    def text_for(self, language: str) -> dict[str, str]:
        """The subject, body and note (empty, or which language the text is in)."""
        source = self.source_for(language)
        return {**self.texts[source], "note": fallback_note(source, language)}


Problems = dict[str, tuple[str, dict[str, Any]]]
"""Field name → (message id, its values)."""


@dataclass(frozen=True)
class Reach:
    households: int
    emails: int
    sms: int
    by_language: dict[str, int]

    def messages(self, channels: tuple[Channel, ...]) -> int:
        return (self.emails if Channel.email in channels else 0) + (
            self.sms if Channel.sms in channels else 0
        )


def parse_draft(form: Mapping[str, str]) -> tuple[Draft, Problems]:
    """The draft in a posted form, and what is wrong with it."""
    problems: Problems = {}
    draft = Draft()
    audience = form.get("audience", "")
    if audience in set(Audience):
        draft.audience = Audience(audience)
    else:
        problems["audience"] = (N_("Choose who receives the message."), {})
    draft.country = form.get("country", "").strip().upper()
    if draft.audience is Audience.country and not draft.country:
        problems["country"] = (N_("Choose a country."), {})
    if draft.audience is Audience.flight:
        flight = form.get("flight_id", "").strip()
        if flight.isdigit():
            draft.flight_id = int(flight)
        else:
            problems["flight_id"] = (N_("Choose a flight."), {})
    draft.channels = tuple(c for c in Channel if form.get(f"channel_{c}") == "1")
    if not draft.channels:
        problems["channels"] = (N_("Choose email, SMS or both."), {})
    for language in SUPPORTED_LANGUAGES:
        _parse_text(form, language, draft, problems)
    if ENGLISH in draft.texts:
        problems = sms_problems(draft) | problems
    return draft, problems


def _parse_text(form: Mapping[str, str], language: str, draft: Draft, problems: Problems) -> None:
    subject = " ".join(form.get(f"subject_{language}", "").split())
    body = form.get(f"body_{language}", "").replace("\r\n", "\n").strip()
    if not subject and not body:
        if language == ENGLISH:
            problems[f"subject_{language}"] = (N_("Write the message in English at least."), {})
        return
    if not subject or not body:
        name = f"subject_{language}" if not subject else f"body_{language}"
        problems[name] = (N_("Write both the subject and the message, or neither."), {})
    if len(subject) > MAX_SUBJECT:
        problems[f"subject_{language}"] = (
            N_("The subject is too long: at most %(limit)d characters."),
            {"limit": MAX_SUBJECT},
        )
    if len(body) > MAX_BODY:
        problems[f"body_{language}"] = (
            N_("The message is too long: at most %(limit)d characters."),
            {"limit": MAX_BODY},
        )
    elif Channel.sms in draft.channels and len(subject) + len(body) + 2 > MAX_SMS:
        problems[f"body_{language}"] = (
            N_("Too long for an SMS: subject and message must fit in %(limit)d characters."),
            {"limit": MAX_SMS},
        )
    draft.texts[language] = {"subject": subject, "body": body}


def check_audience(session: Session, staff: StaffContext, draft: Draft) -> Problems:
    """Problems with the audience the sender may not reach."""
    if (
        draft.audience is Audience.country
        and draft.country
        and draft.country not in dict(staff.country_choices(ENGLISH))
    ):
        return {"country": (N_("You do not work on this country."), {})}
    if draft.audience is Audience.flight and draft.flight_id is not None:
        try:
            audience_flight(session, staff, draft.flight_id)
        except NotFound:
            return {"flight_id": (N_("No such flight among yours."), {})}
    return {}


def audience_flight(session: Session, staff: StaffContext, flight_id: int) -> Flight:
    flight = session.exec(readable_flights(staff).where(Flight.id == flight_id)).first()
    if flight is None or flight.status not in OPEN_FLIGHTS:
        raise NotFound(N_("No such flight among yours."))
    return flight


def flight_choices(session: Session, staff: StaffContext) -> list[Flight]:
    statement = readable_flights(staff).where(col(Flight.status).in_(OPEN_FLIGHTS))
    return list(session.exec(statement.order_by(col(Flight.departure_time))).all())


def audience_ids(staff: StaffContext, draft: Draft) -> sa.Select:
    """The ids of the cases the draft reaches, within what the sender may read."""
    readable = readable_cases(staff).with_only_columns(col(Registration.id))
    if draft.audience is Audience.country:
        return readable.where(
            Registration.country == draft.country,
            col(Registration.status).in_(STILL_ABROAD),
        )
    on_flight = sa.select(Assignment.registration_id).where(
        Assignment.flight_id == draft.flight_id,
        col(Assignment.status).in_(ACTIVE_ASSIGNMENT_STATUSES),
    )
    return readable.where(col(Registration.id).in_(on_flight))


def reach(session: Session, staff: StaffContext, draft: Draft) -> Reach:
    """How many households, emails and SMS the draft reaches, and in which languages."""
    ids = audience_ids(staff, draft).subquery()
    rows = session.execute(
        sa.select(
            Registration.language,
            sa.func.count(),
            sa.func.count(Registration.email),
            sa.func.count(Registration.phone),
        )
        .where(col(Registration.id).in_(sa.select(ids.c.id)))
        .group_by(Registration.language)
    ).all()
    by_language: dict[str, int] = {}
    for language, households, _, _ in rows:
        key = language if language in SUPPORTED_LANGUAGES else ENGLISH
        by_language[key] = by_language.get(key, 0) + households
    return Reach(
        households=sum(r[1] for r in rows),
        emails=sum(r[2] for r in rows),
        sms=sum(r[3] for r in rows),
        by_language=by_language,
    )


def preview(draft: Draft) -> dict[str, dict[Channel, Rendered]]:
    """Each language's messages as a registrant would receive them."""
    return {
        language: {
            channel: render_message(
                TEMPLATES[channel],
                language,
                {"reference": SAMPLE_REFERENCE, **draft.text_for(language)},
            )
            for channel in draft.channels
        }
        for language in SUPPORTED_LANGUAGES
    }


def sms_lengths(draft: Draft) -> dict[str, SmsLength]:
    """Each language's SMS as the gateway gets it: characters, alphabet and parts."""
    if Channel.sms not in draft.channels:
        return {}
    lengths = {}
    for language in SUPPORTED_LANGUAGES:
        context = {"reference": SAMPLE_REFERENCE, **draft.text_for(language)}
        rendered = render_message(BROADCAST_SMS, language, context)
        lengths[language] = sms_length(sms_text(rendered.subject, rendered.body))
    return lengths


def sms_problems(draft: Draft) -> Problems:
    """A text whose SMS would take more than ``MAX_PARTS`` parts in some language."""
    problems: Problems = {}
    for language, length in sms_lengths(draft).items():
        if length.too_long:
            problems.setdefault(
                f"body_{draft.source_for(language)}",
                (TOO_MANY_PARTS, {"limit": length.limit, "parts": MAX_PARTS}),
            )
    return problems


def send_broadcast(session: Session, staff: StaffContext, draft: Draft) -> Broadcast:
    """Record the broadcast, queue its messages and commit; all or nothing."""
    ids = [row[0] for row in session.execute(audience_ids(staff, draft)).all()]
    broadcast = Broadcast(
        created_by=staff.actor,
        audience=draft.audience,  # type: ignore[arg-type]
        country=draft.country if draft.audience is Audience.country else None,
        flight_id=draft.flight_id if draft.audience is Audience.flight else None,
        channels=",".join(draft.channels),
        texts=draft.texts,
        households=len(ids),
    )
    session.add(broadcast)
    session.flush()
    templates = [(TEMPLATES[channel], channel) for channel in draft.channels]
    broadcast.messages = queue_for(
        session,
        ids,
        templates,
        lambda _row, language: draft.text_for(language),
        dedupe_prefix=f"broadcast:{broadcast.id}",
    )
    record_event(
        session,
        actor=staff.actor,
        action="broadcast.send",
        subject_type="broadcast",
        subject_id=str(broadcast.id),
        before=None,
        after={
            "audience": broadcast.audience,
            "country": broadcast.country,
            "flight_id": broadcast.flight_id,
            "channels": broadcast.channels,
            "subject": draft.texts[ENGLISH]["subject"],
            "households": broadcast.households,
            "messages": broadcast.messages,
        },
    )
    session.commit()
    return broadcast


def recent_broadcasts(session: Session, staff: StaffContext, limit: int = 50) -> list[Broadcast]:
    """The latest broadcasts: all for a coordinator, their own for anyone else."""
    statement = select(Broadcast).order_by(col(Broadcast.id).desc()).limit(limit)
    if not staff.sees_all_countries:
        statement = statement.where(Broadcast.created_by == staff.actor)
    return list(session.exec(statement).all())
