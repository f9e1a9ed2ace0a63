"""Every way in (form, API, import) geocodes with the configured geocoder."""

from __future__ import annotations

import pytest
from geopy.geocoders import Nominatim

from evac.registration import places
from evac.settings import get_settings


def test_nominatim_is_used_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []

    def fake_geocode(self: Nominatim, query: str, **options: object) -> None:
        asked.append(query)

    monkeypatch.setattr(get_settings(), "geocoder", "nominatim")
    monkeypatch.setattr(Nominatim, "geocode", fake_geocode)
    assert places.geocode_for_registration("Köln", "DE") is None
    assert asked == ["Köln"]


def test_the_offline_gazetteer_is_the_default() -> None:
    latitude, longitude = places.geocode_for_registration("Köln", "DE")  # type: ignore[misc]
    assert abs(latitude - 50.94) < 0.1 and abs(longitude - 6.96) < 0.1
