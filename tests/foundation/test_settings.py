"""Configuration: safe by default, clear when wrong."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from evac.settings import ConfigurationError, Mode, Settings


def test_production_refuses_to_start_without_a_secret() -> None:
    with pytest.raises(ConfigurationError, match="EVAC_SECRET_KEY"):
        Settings(mode=Mode.production, secret_key="").require_safe_secret()


@pytest.mark.parametrize("weak", ["changeme", "secret", "short-but-not-empty"])
def test_production_refuses_a_placeholder_or_short_secret(weak: str) -> None:
    with pytest.raises(ConfigurationError):
        Settings(mode=Mode.production, secret_key=weak).require_safe_secret()


def test_demo_and_development_run_without_a_secret() -> None:
    Settings(mode=Mode.demo, secret_key="").require_safe_secret()
    Settings(mode=Mode.development, secret_key="").require_safe_secret()


def test_production_runs_with_a_strong_secret() -> None:
    Settings(mode=Mode.production, secret_key="x" * 48).require_safe_secret()


def test_home_country_must_be_an_iso_code() -> None:
    assert Settings(home_country="de").home_country == "DE"
    with pytest.raises(ValidationError, match="EVAC_HOME_COUNTRY"):
        Settings(home_country="XX")


def test_languages_come_from_a_comma_separated_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVAC_LANGUAGES", "ar, tr")
    assert Settings().languages == ("ar", "tr")
    monkeypatch.setenv("EVAC_LANGUAGES", "tr,xx")
    with pytest.raises(ValidationError, match="unsupported"):
        Settings()


def test_database_defaults_to_sqlite_in_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    monkeypatch.delenv("EVAC_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    assert Settings().database_url == f"sqlite:///{tmp_path / 'evac.sqlite3'}"
