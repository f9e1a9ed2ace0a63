"""One settings object for the whole application, read from ``EVAC_*`` variables."""

from __future__ import annotations

import ipaddress
import os
import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit

import pycountry
from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LANGUAGES = ("tr", "en", "fr", "ar")
PLACEHOLDER_SECRETS = frozenset({"", "changeme", "change-me", "secret", "dev", "development"})
MIN_SECRET_LENGTH = 32
# What a browser on the machine itself sends as Host, allowed outside production.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def _default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/evac``, or ``~/.cache/evac``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "evac"


class Mode(StrEnum):
    production = "production"
    development = "development"
    demo = "demo"


class ConfigurationError(RuntimeError):
    """The configuration cannot run safely; the message says what to set."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="EVAC_", extra="ignore")

    mode: Mode = Mode.production
    database_url: str = Field(
        default_factory=lambda: f"sqlite:///{Path.cwd() / 'evac.sqlite3'}",
        description="SQLAlchemy URL; SQLite file in the working directory by default.",
    )
    home_country: str = "TR"
    home_language: str = "tr"
    """The language officers write in first: meeting points and broadcasts fall back to it."""
    secret_key: str = ""
    languages: Annotated[tuple[str, ...], NoDecode] = SUPPORTED_LANGUAGES
    default_language: str = "en"
    session_max_age_seconds: int = 8 * 3600
    login_window_seconds: int = 15 * 60
    login_max_failures_per_account: int = Field(
        default=5, ge=1, description="Sign-ins one address may try on one account before lock-outs."
    )
    login_max_failures_per_ip: int = 30
    login_attempt_retention_hours: int = Field(
        default=48,
        ge=1,
        description="How long failed sign-ins (username, address) are kept; must be longer "
        "than the login throttle looks back and than the longest lock-out.",
    )
    login_lockout_seconds: int = Field(
        default=60, ge=1, description="The first lock-out; each further failure doubles it."
    )
    login_lockout_max_seconds: int = Field(
        default=24 * 3600,
        ge=1,
        description="The longest lock-out; failures are forgotten "
        "after this long without an attempt.",
    )
    api_token_days: int = Field(
        default=90, ge=1, le=365, description="How long a new personal API token lasts by default."
    )
    registration_rate_per_ip: int = Field(
        default=30, ge=0, description="Registrations one address may post per window; 0: no limit."
    )
    registration_rate_window_seconds: int = Field(default=600, ge=1)
    max_airport_distance_km: float = 800.0
    local_reach_km: float = Field(
        default=50.0,
        gt=0,
        description="How far people may travel on their own to board at an assembly point, "
        "seaport, border crossing or railway station whose own reach is not set "
        "(an airport's default is EVAC_MAX_AIRPORT_DISTANCE_KM).",
    )
    min_connection_minutes: int = Field(
        default=120,
        ge=0,
        description="The least time between a leg's arrival and the next leg of a journey "
        "leaving from there, in minutes.",
    )
    tcn_policy: str = Field(default="space_available", pattern="^(space_available|equal)$")
    seat_requires: str = Field(
        default="verified",
        pattern="^(verified|registered)$",
        description="The status a case needs before the planner seats it: `verified` (an officer "
        "has checked it) or `registered` (anyone who registered). A case flagged as a possible "
        "duplicate is never seated until an officer resolves the flag.",
    )
    standard_flight_seats: int = Field(default=180, ge=1)
    ambulance_stretchers: int = Field(default=2, ge=1)
    ambulance_seats: int = Field(default=4, ge=0)
    geocoder: str = "gazetteer"
    cache_dir: Path = Field(
        default_factory=_default_cache_dir,
        description="Files evac derives from its installed data, built once and shared by "
        "every process (the city index, ~40 MB); safe to delete, they are built again.",
    )
    smtp_url: str = Field(
        default="",
        description="smtp://user:pass@host:587?starttls=1 or smtps://…; empty: no email.",
    )
    smtp_from: str = "evac@localhost"
    sms_webhook_url: str = Field(default="", description="JSON POST endpoint; empty: no SMS.")
    public_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Where registrants reach evac: every link evac sends or shows starts here.",
    )
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Host headers the app answers (comma-separated; '*.example.org' allowed); "
        "empty: the host of public_url, plus the loopback names outside production.",
    )
    forwarded_allow_ips: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Addresses or networks of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed (comma-separated); empty: none, the headers are ignored.",
    )
    db_pool_size: int = 10
    db_max_overflow: int = 10
    db_pool_timeout_seconds: float = Field(
        default=5.0, gt=0, description="How long a request waits for a connection before a 503."
    )
    max_concurrent_requests: int = Field(
        default=4,
        ge=0,
        description="Requests one worker process serves at once (0: no limit); keep it at "
        "or under db_pool_size + db_max_overflow. Small on purpose: the threads of one "
        "process share one GIL, and past a few at once each request got slower until the "
        "worker fell behind for good (docs/benchmarks.md). Raise it when the database is "
        "far away or long exports run beside a surge.",
    )
    admission_timeout_seconds: float = Field(
        default=3.0, ge=0, description="How long a request over that limit waits before a 503."
    )

    @field_validator("home_country")
    @classmethod
    def _home_country_is_iso(cls, value: str) -> str:
        code = value.strip().upper()
        if len(code) != 2 or pycountry.countries.get(alpha_2=code) is None:
            raise ValueError(f"EVAC_HOME_COUNTRY must be an ISO 3166 alpha-2 code, not {value!r}")
        return code

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [lang for lang in value if lang not in SUPPORTED_LANGUAGES]  # type: ignore[union-attr]
        if unknown:
            raise ValueError(
                f"EVAC_LANGUAGES has unsupported languages {unknown}; "
                f"choose from {','.join(SUPPORTED_LANGUAGES)}"
            )
        return tuple(value)  # type: ignore[arg-type]

    @field_validator("home_language")
    @classmethod
    def _home_language_is_supported(cls, value: str) -> str:
        code = value.strip().lower()
        if code not in SUPPORTED_LANGUAGES:
            raise ValueError(
                f"EVAC_HOME_LANGUAGE must be one of {','.join(SUPPORTED_LANGUAGES)}, not {value!r}"
            )
        return code

    @field_validator("public_url")
    @classmethod
    def _public_url_is_absolute(cls, value: str) -> str:
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"EVAC_PUBLIC_URL must be an http(s) URL with a host, not {value!r}")
        return value.strip().rstrip("/")

    @field_validator("allowed_hosts", "forwarded_allow_ips", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        if isinstance(value, str):
            return tuple(part.strip().lower() for part in value.split(",") if part.strip())
        return value

    @field_validator("allowed_hosts")
    @classmethod
    def _host_patterns_are_valid(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in value:
            wildcard = pattern.startswith("*.") and "*" not in pattern[1:]
            if "*" in pattern and pattern != "*" and not wildcard:
                raise ValueError(
                    f"EVAC_ALLOWED_HOSTS: {pattern!r} is not a host name, '*.domain' or '*'"
                )
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _proxies_are_addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for proxy in value:
            if proxy == "*":
                continue
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ValueError(
                    f"EVAC_FORWARDED_ALLOW_IPS: {proxy!r} is not an IP address or network"
                ) from None
        return value

    @model_validator(mode="after")
    def _default_language_is_enabled(self) -> Settings:
        if self.default_language not in self.languages:
            self.default_language = self.languages[0]
        return self

    @model_validator(mode="after")
    def _login_attempts_outlive_the_throttle(self) -> Settings:
        throttle_seconds = max(self.login_window_seconds, self.login_lockout_max_seconds)
        if self.login_attempt_retention_hours * 3600 <= throttle_seconds:
            raise ValueError(
                "EVAC_LOGIN_ATTEMPT_RETENTION_HOURS must be longer than the login throttle's "
                f"window and longest lock-out ({throttle_seconds} seconds): "
                "the throttle counts those rows"
            )
        return self

    @property
    def trusted_hosts(self) -> tuple[str, ...]:
        """The Host headers to answer: EVAC_ALLOWED_HOSTS, or the public URL's host."""
        if self.allowed_hosts:
            return self.allowed_hosts
        host = urlsplit(self.public_url).hostname or ""
        hosts = [f"[{host}]" if ":" in host else host]
        if self.mode is not Mode.production:
            hosts.extend(LOOPBACK_HOSTS)
        return tuple(dict.fromkeys(hosts))

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def require_safe_secret(self) -> None:
        """Refuse to run in production with a missing, placeholder or short secret."""
        if self.mode is not Mode.production:
            return
        key = self.secret_key.strip()
        if key.lower() in PLACEHOLDER_SECRETS or len(key) < MIN_SECRET_LENGTH:
            raise ConfigurationError(
                "EVAC_SECRET_KEY is missing or too weak: set at least "
                f"{MIN_SECRET_LENGTH} random characters "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))'), "
                "or run the demo with `evac demo`"
            )


def demo_secret(path: Path) -> str:
    """The demo's secret key, created once and kept in ``path`` (mode 0600)."""
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_urlsafe(48)
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
