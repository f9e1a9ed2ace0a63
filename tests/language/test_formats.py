"""Numbers, days and times as each reader's locale writes them, and the words for codes."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from evac.flights.times import times_at
from evac.i18n import formats, labels
from evac.i18n.labels import UnknownLabel, label, label_words

DEPARTURE = datetime(2099, 3, 2, 7, 30, tzinfo=UTC)


def test_a_turkish_reader_sees_thousands_with_a_dot_and_a_french_one_with_a_space() -> None:
    assert formats.number(1975, "en") == "1,975"
    assert formats.number(1975, "tr") == "1.975"
    assert formats.number(1975, "fr") == "1\u202f975"
    assert formats.number(None, "tr") == "—"


def test_days_are_written_as_each_locale_writes_them() -> None:
    assert formats.day(date(2099, 3, 2), "en") == "Mar 2, 2099"
    assert formats.day(date(2099, 3, 2), "tr") == "2 Mar 2099"
    assert formats.day(date(2099, 3, 2), "fr") == "2 mars 2099"
    # Arabic as Babel's CLDR data writes it, with its right-to-left marks.
    assert formats.day(date(2099, 3, 2), "ar") == "02\u200f/03\u200f/2099"


def test_a_departure_is_shown_on_the_airports_clocks_with_its_zone_named() -> None:
    from zoneinfo import ZoneInfo

    athens = DEPARTURE.astimezone(ZoneInfo("Europe/Athens"))
    assert formats.zoned_time(athens, "tr") == "2 Mar 2099 09:30 (Yunanistan Saati, UTC+02:00)"
    assert formats.zoned_time(athens, "fr") == "2 mars 2099 09:30 (heure : Grèce, UTC+02:00)"
    assert "توقيت اليونان" in formats.zoned_time(athens, "ar")
    assert formats.utc_time(DEPARTURE, "tr") == "2 Mar 2099 07:30 UTC"
    # SQLite hands back naive datetimes; evac stores UTC.
    assert formats.utc_time(DEPARTURE.replace(tzinfo=None), "tr") == "2 Mar 2099 07:30 UTC"


def test_a_coordinator_reads_why_a_household_got_no_seat_in_their_language() -> None:
    assert label("no_capacity", "en", "unassigned_reason") == (
        "No free seat on the flights within reach"
    )
    assert label("no_capacity", "tr", "unassigned_reason") == (
        "Ulaşılabilecek uçuşlarda boş koltuk yok"
    )
    assert label("registration.create", "fr", "audit_action") == "Inscrit"
    assert labels.actor("staff:ayse", "ar") == "ayse"
    assert labels.actor("system", "tr") == "sistem"


def test_a_value_without_words_fails_in_tests_and_shows_its_code_in_service() -> None:
    with pytest.raises(UnknownLabel):
        label_words("flight_status", "teleported")
    assert labels.STRICT  # tests/language/conftest.py
    with pytest.raises(UnknownLabel):
        label("teleported", "en", "flight_status")
    labels.STRICT = False
    assert label("teleported", "en", "flight_status") == "teleported"


def test_the_filters_are_there_for_every_template(client: TestClient) -> None:
    from evac.web.templating import templates

    for name in ("label", "actor", "language_name", "number", "day", "utc_time", "zoned_time"):
        assert name in templates.env.filters
    page = templates.env.from_string(
        '{{ 1975 | number }} {{ "no_capacity" | label("unassigned_reason") }} '
        '{{ d | zoned_time }} {{ "fr" | language_name }}'
    ).render(lang="tr", d=times_at(DEPARTURE, "Europe/Athens").local)
    assert page == (
        "1.975 Ulaşılabilecek uçuşlarda boş koltuk yok "
        "2 Mar 2099 09:30 (Yunanistan Saati, UTC+02:00) Fransızca"
    )
