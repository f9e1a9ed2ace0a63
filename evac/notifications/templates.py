"""Message texts: one plain-text Jinja template per message and language.

``templates/notifications/messages/<name>.<language>.txt`` holds the subject on
its first line, a blank line, then the body. Each language is written as a
native speaker would say it, not word for word from English; a missing
language falls back to English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, Template, TemplateNotFound

from evac.flights.meeting_texts import ONLY_IN, language_in
from evac.i18n import get_translations
from evac.paths import TEMPLATES_DIR
from evac.settings import SUPPORTED_LANGUAGES

MESSAGES_DIR = TEMPLATES_DIR / "notifications" / "messages"
FALLBACK_LANGUAGE = "en"
_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@lru_cache(maxsize=1)
def _environment() -> Environment:
    # Plain text, never HTML: nothing to escape, and a missing value is an error.
    return Environment(
        loader=FileSystemLoader(str(MESSAGES_DIR)),
        autoescape=False,  # noqa: S701  (plain-text email and SMS, never HTML)
        undefined=StrictUndefined,
        keep_trailing_newline=False,
    )


def message_language(language: str | None) -> str:
    return language if language in SUPPORTED_LANGUAGES else FALLBACK_LANGUAGE


@lru_cache(maxsize=256)
def _template(name: str, language: str) -> Template:
    """Loaded once per process: a plan commit renders tens of thousands of messages,
    and Jinja would look at the file's modification time before each."""
    env = _environment()
    try:
        return env.get_template(f"{name}.{language}.txt")
    except TemplateNotFound:
        return env.get_template(f"{name}.{FALLBACK_LANGUAGE}.txt")


def render_message(name: str, language: str, context: dict[str, Any]) -> Rendered:
    """The subject and body of message ``name`` in ``language``."""
    template = _template(name, message_language(language))
    # Rendered in ``context`` alone, without Jinja's copy of its globals into each
    # render (no message uses one): a third of the time when a plan commit writes
    # 45,000 messages. A global used by mistake fails as undefined.
    chunks = template.root_render_func(template.new_context(context, shared=True))
    text = template.environment.concat(chunks).strip()  # type: ignore[attr-defined]
    subject, _, body = text.partition("\n")
    return Rendered(subject.strip(), _BLANK_LINES.sub("\n\n", body.strip()) + "\n")


def fallback_note(source: str, reader: str) -> str:
    """Empty when a reader of ``reader`` gets text in their language; otherwise, in
    their language, which language the text is in."""
    if source == reader:
        return ""
    note = get_translations(message_language(reader)).gettext(ONLY_IN)
    return note % {"language": language_in(source, message_language(reader))}
