"""Translations from the gettext catalogs kept in ``evac/i18n/locales``.

English is the source language. Catalogs are read from their ``.po`` files
and compiled in memory once per process, so a fresh checkout needs no
compile step and a stale ``.mo`` can never be served.
"""

from __future__ import annotations

import io
from functools import lru_cache

from babel import Locale, UnknownLocaleError, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from evac.paths import LOCALES_DIR

RTL_LANGUAGES = frozenset({"ar"})
LANGUAGE_COOKIE = "evac_lang"


def N_(message: str) -> str:  # noqa: N802  (the gettext convention for "translate later")
    """Mark a message for extraction; it is translated where it is shown."""
    return message


@lru_cache(maxsize=16)
def get_translations(language: str) -> NullTranslations:
    po_path = LOCALES_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def text_direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=16)
def language_name(language: str) -> str:
    """The language's own name for itself, e.g. 'Türkçe', 'العربية'."""
    name = Locale.parse(language).get_display_name(language) or language
    return name[:1].upper() + name[1:]


def language_name_in(language: str, reader: str) -> str:
    """A language's name in the reader's language, e.g. 'tr' for a French reader: 'Turc'."""
    if not language:
        return ""
    try:
        name = Locale.parse(language).get_display_name(reader) or language
    except (ValueError, TypeError, UnknownLocaleError):
        return language
    return name[:1].upper() + name[1:]


def choose_language(
    query_value: str | None,
    cookie_value: str | None,
    accept_language: str | None,
    enabled: tuple[str, ...],
    default: str,
) -> str:
    """?lang= first, then the cookie, then the browser's Accept-Language."""
    for candidate in (query_value, cookie_value):
        if candidate and candidate.lower() in enabled:
            return candidate.lower()
    if accept_language:
        preferred = [
            part.split(";")[0].strip().replace("-", "_")
            for part in accept_language.split(",")
            if part.strip()
        ]
        chosen = negotiate_locale(preferred, list(enabled), sep="_")
        if chosen:
            return chosen
    return default
