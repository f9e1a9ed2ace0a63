"""What a person reads on a page, and the codes and English they must not read there."""

from __future__ import annotations

import importlib
import pkgutil
import re
from enum import Enum
from functools import cache
from html.parser import HTMLParser

import evac
from evac.i18n import get_translations
from evac.i18n.labels import LABELS

# Codes that are never shown to people, only configured.
NOT_SHOWN = {"evac.settings.Mode"}
_INVISIBLE = {"script", "style", "template"}
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.nodes: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._hidden:
            self.nodes.append(text)


def text_nodes(html: str) -> list[str]:
    """The page's text, node by node, without markup, scripts or attributes."""
    parser = _Text()
    parser.feed(html)
    return parser.nodes


@cache
def evac_enums() -> dict[str, type[Enum]]:
    """Every enum evac defines, by its full name."""
    found: dict[str, type[Enum]] = {}
    for module_info in pkgutil.walk_packages(evac.__path__, "evac."):
        if module_info.name.endswith("__main__"):
            continue
        module = importlib.import_module(module_info.name)
        for value in vars(module).values():
            is_enum = isinstance(value, type) and issubclass(value, Enum) and value is not Enum
            if is_enum and value.__module__ == module.__name__:
                found[f"{value.__module__}.{value.__qualname__}"] = value
    return found


@cache
def raw_codes() -> frozenset[str]:
    """Every stored code: the enums' values and the label tables' keys."""
    codes = {
        str(member.value)
        for name, enum in evac_enums().items()
        if name not in NOT_SHOWN
        for member in enum
    }
    codes |= {value for table in LABELS.values() for value in table}
    return frozenset(codes)


def shown_codes(nodes: list[str], language: str) -> set[str]:
    """Codes a person would read: a node that is only a code, a snake_case or dotted
    code anywhere, and in another language than English a lower-case English code
    word the language itself never uses."""
    found = {node for node in nodes if node in raw_codes() and node not in messages(language)}
    text = " ".join(nodes)
    words = set(re.findall(r"[\w.]+", text))
    for code in raw_codes():
        if (("_" in code or "." in code) and code in words) or (
            _foreign(language, code) and code in words
        ):
            found.add(code)
    return found


def _foreign(language: str, code: str) -> bool:
    """A lower-case English code word that ``language``'s own words never use."""
    english = code.isalpha() and code.islower() and len(code) > 3
    return language != "en" and english and code not in catalog_words(language)


@cache
def messages(language: str) -> frozenset[str]:
    """What the catalog translates: an English page shows these as they are."""
    catalog = get_translations("tr")._catalog  # type: ignore[attr-defined]
    return (
        frozenset(key for key in catalog if isinstance(key, str))
        if language == "en"
        else frozenset()
    )


@cache
def catalog_words(language: str) -> frozenset[str]:
    catalog = get_translations(language)._catalog  # type: ignore[attr-defined]
    words: set[str] = set()
    for text in catalog.values():
        strings = text if isinstance(text, tuple) else (text,)
        for string in strings:
            words |= {word.lower() for word in re.findall(r"\w+", string)}
    return frozenset(words)


@cache
def english_fragments(language: str) -> tuple[tuple[str, str], ...]:
    """Pieces of English messages (four words or more) whose translation differs:
    read as they are on a page in ``language``, they were not translated."""
    catalog = get_translations(language)._catalog  # type: ignore[attr-defined]
    fragments: list[tuple[str, str]] = []
    for key, translated in catalog.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if not msgid or not translated:
            continue
        strings = translated if isinstance(translated, tuple) else (translated,)
        for piece in _PLACEHOLDER.split(msgid):
            piece = " ".join(piece.split()).strip(" .,:;()")
            if len(piece.split()) >= 4 and not any(piece in string for string in strings):
                fragments.append((piece, msgid))
    return tuple(fragments)


def untranslated(nodes: list[str], language: str) -> set[str]:
    if language == "en":
        return set()
    text = " ".join(nodes)
    return {msgid for piece, msgid in english_fragments(language) if piece in text}
