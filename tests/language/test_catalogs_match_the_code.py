"""The catalogs hold exactly the messages the code and templates use, each translated.

Extraction runs in-process over ``babel.cfg``, as ``scripts/i18n.py update`` does."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from evac.i18n import labels
from evac.paths import LOCALES_DIR

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("tr", "fr", "ar")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None, "_": None, "gettext": None, "ngettext": (1, 2)}


@cache
def used_messages() -> frozenset[str]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        found.add(_singular(message))
    return frozenset(found)


def _singular(msgid: str | tuple[str, ...]) -> str:
    return msgid[0] if isinstance(msgid, tuple) else msgid


@cache
def catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as po_file:
        return read_po(po_file, locale=language)


def test_extraction_finds_the_messages_of_code_templates_and_labels() -> None:
    used = used_messages()
    assert "Account created." in used  # a flash message (evac/staff/admin.py)
    assert "No free seat on the flights within reach" in used  # a label (evac/i18n/labels.py)
    assert "Sign out" in used  # a template


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_in_use_is_translated(language: str) -> None:
    problems = []
    for msgid in sorted(used_messages()):
        message = catalog(language).get(msgid)
        strings = () if message is None else message.string
        strings = strings if isinstance(strings, tuple) else (strings,)
        if message is None:
            problems.append(f"missing: {msgid!r}")
        elif message.fuzzy or not all(strings):
            problems.append(f"{'fuzzy' if message.fuzzy else 'empty'}: {msgid!r}")
    assert not problems, f"{language}:\n" + "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_catalog_keeps_a_message_nobody_uses(language: str) -> None:
    used = used_messages()
    obsolete = [m.id for m in catalog(language) if m.id and _singular(m.id) not in used]
    obsolete += [m.id for m in catalog(language).obsolete.values()]
    assert not obsolete, f"{language}: " + "\n".join(map(repr, obsolete))


def test_every_label_has_words_for_every_value_of_its_enum() -> None:
    from tests.language.visible import evac_enums

    tables = {
        "evac.registration.models.CaseStatus": "case_status",
        "evac.planning.data.UnassignedReason": "unassigned_reason",
        "evac.planning.journey_data.JourneyReason": "journey_reason",
        "evac.planning.journey_data.LegMode": "leg_mode",
        "evac.planning.journey_data.PlaceKind": "place_kind",
        "evac.flights.models.FlightKind": "flight_kind",
        "evac.planning.data.FlightKind": "flight_kind",
        "evac.flights.models.FlightStatus": "flight_status",
        "evac.flights.models.LegMode": "leg_mode",
        "evac.places.models.PlaceKind": "place_kind",
        "evac.flights.models.AssignmentStatus": "seat_status",
        "evac.registration.models.MedicalUrgency": "medical_urgency",
        "evac.planning.data.MedicalUrgency": "medical_urgency",
        "evac.registration.models.Sex": "sex",
        "evac.registration.models.DocumentType": "document_type",
        "evac.registration.models.DocumentMissingReason": "document_missing_reason",
        "evac.staff.roles.Role": "role",
        "evac.notifications.models.OutboxStatus": "outbox_status",
        "evac.notifications.models.Channel": "channel",
        "evac.notifications.models.Audience": "audience",
        "evac.jobs.models.JobStatus": "job_status",
        "evac.missions.models.MissionKind": "mission_kind",
        "evac.planning.data.TcnPolicy": "tcn_policy",
    }
    enums = evac_enums()
    for name, kind in tables.items():
        for member in enums[name]:
            assert labels.label_words(kind, member)
    for action in enums["evac.lifecycle.rules.Action"]:
        assert labels.label_words("audit_action", f"case.{action.value}")
    for action in enums["evac.flights.flight_status.FlightAction"]:
        assert labels.label_words("audit_action", f"flight.{action.value}")
