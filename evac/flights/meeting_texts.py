"""A flight's meeting point and instructions, written per language.

``Flight.meeting_texts`` maps a language to ``{"point", "instructions"}``.
A reader gets their own language's text; otherwise the home language's
(``EVAC_HOME_LANGUAGE``), then any language written, and is told which
language the text is in (``Meeting.language`` differs from the one asked).
``Flight.meeting_point`` is the home language's point (the flight form edits it too).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from babel import Locale

from evac.flights.models import Flight
from evac.i18n import N_
from evac.settings import SUPPORTED_LANGUAGES, get_settings

MAX_POINT = 500
MAX_INSTRUCTIONS = 2000
FIELDS = ("point", "instructions")
TOO_LONG = N_("Use at most %(max)s characters.")
ONLY_IN = N_("This text is only available in %(language)s.")


@dataclass(frozen=True)
class Meeting:
    point: str
    instructions: str
    language: str
    asked: str

    @property
    def is_fallback(self) -> bool:
        """True when the text is not in the language the reader asked for."""
        return self.language != self.asked


def language_in(language: str, reader: str) -> str:
    """The name of ``language`` in the reader's language ("Turkish", "turc", "التركية")."""
    return Locale.parse(language).get_display_name(reader) or language


def written_texts(flight: Flight) -> dict[str, dict[str, str]]:
    """Every language's text. The home language's point is ``Flight.meeting_point``
    (the flight form's field), so that both pages edit the same words."""
    texts = {
        language: {name: (text.get(name) or "").strip() for name in FIELDS}
        for language, text in (flight.meeting_texts or {}).items()
        if language in SUPPORTED_LANGUAGES
    }
    home = get_settings().home_language
    texts.setdefault(home, {"point": "", "instructions": ""})["point"] = flight.meeting_point or ""
    return {language: text for language, text in texts.items() if any(text.values())}


def meeting_for(flight: Flight, language: str) -> Meeting | None:
    """The meeting text for a reader of ``language``; None when nothing is written."""
    texts = written_texts(flight)
    home = get_settings().home_language
    order = [language, home, *SUPPORTED_LANGUAGES]
    for candidate in order:
        if candidate in texts:
            text = texts[candidate]
            return Meeting(text["point"], text["instructions"], candidate, language)
    return None


def parse_meeting_texts(
    posted: Mapping[str, str],
) -> tuple[dict[str, dict[str, str]], dict[str, tuple[str, dict[str, int]]]]:
    """The texts from the form (``point-tr``, ``instructions-tr`` …) and the problems."""
    too_long = TOO_LONG
    texts: dict[str, dict[str, str]] = {}
    problems: dict[str, tuple[str, dict[str, int]]] = {}
    for language in SUPPORTED_LANGUAGES:
        point = posted.get(f"point-{language}", "").strip()
        instructions = posted.get(f"instructions-{language}", "").strip().replace("\r\n", "\n")
        if len(point) > MAX_POINT:
            problems[f"point-{language}"] = (too_long, {"max": MAX_POINT})
        if len(instructions) > MAX_INSTRUCTIONS:
            problems[f"instructions-{language}"] = (too_long, {"max": MAX_INSTRUCTIONS})
        if point or instructions:
            texts[language] = {"point": point, "instructions": instructions}
    return texts, problems


def one_line(meeting: Meeting, note: str) -> str:
    """The meeting point and instructions as one line for a message, the ``note`` first
    when the text is not in the reader's language."""
    text = "; ".join(
        part for part in (meeting.point, " ".join(meeting.instructions.split())) if part
    )
    return f"({note}) {text}" if meeting.is_fallback else text
