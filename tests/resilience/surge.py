"""A surge of registrations from many client threads, and what must hold afterwards.

Half the clients use the JSON API, half the HTML form; each household has one to
five people with fresh travel documents. Every answer is recorded with what was
posted, so that the database can be checked against what clients were told.
"""

from __future__ import annotations

import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import sqlalchemy as sa

from tests.factories import member, registration_payload
from tests.registration.test_form import HTML, form_data, person

CLIENTS = 20
REQUEST_TIMEOUT_S = 20
_REFERENCE = re.compile(r"^/r/([A-Z0-9-]+)\?")

Send = Callable[[httpx.Client], tuple[int, str | None]]


@dataclass
class Outcome:
    channel: str  # "api" or "form"
    documents: list[str]
    status: int | None  # None: no answer (connection refused or reset)
    seconds: float
    reference: str | None = None

    @property
    def acknowledged(self) -> bool:
        return self.reference is not None


def api_post(size: int) -> tuple[list[str], Send]:
    payload = registration_payload(members=[member() for _ in range(size)])
    documents = [m["document"]["number"] for m in payload["members"]]  # type: ignore[index]

    def send(client: httpx.Client) -> tuple[int, str | None]:
        response = client.post("/api/v1/registrations", json=payload)
        created = response.status_code == 201
        return response.status_code, response.json()["reference"] if created else None

    return documents, send


def form_post(size: int) -> tuple[list[str], Send]:
    members = [person(index) for index in range(size)]
    documents = [fields[f"members-{i}-document_number"] for i, fields in enumerate(members)]
    # With a position, as the city picker posts it: no geocoding while the gazetteer loads.
    data = form_data(*members, latitude="52.52", longitude="13.405")

    def send(client: httpx.Client) -> tuple[int, str | None]:
        response = client.post("/register", data=data, headers=HTML)
        match = _REFERENCE.match(response.headers.get("location", ""))
        seen = response.status_code == 303 and match is not None
        return response.status_code, match.group(1) if seen and match else None

    return documents, send


@dataclass
class Surge:
    """``CLIENTS`` threads posting registrations to ``base_url()`` until stopped."""

    base_url: Callable[[], str]
    outcomes: list[Outcome] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> None:
        for number in range(CLIENTS):
            prepare = api_post if number % 2 else form_post
            thread = threading.Thread(target=self._client, args=(prepare, number), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _client(self, prepare: Callable[[int], tuple[list[str], Send]], seed: int) -> None:
        sizes = random.Random(seed)
        channel = "api" if prepare is api_post else "form"
        while not self._stop.is_set():
            documents, send = prepare(sizes.randint(1, 5))
            started = time.monotonic()
            status: int | None = None
            reference: str | None = None
            try:
                with httpx.Client(base_url=self.base_url(), timeout=REQUEST_TIMEOUT_S) as client:
                    status, reference = send(client)
            except httpx.TransportError:
                time.sleep(0.05)
            outcome = Outcome(channel, documents, status, time.monotonic() - started, reference)
            with self._lock:
                self.outcomes.append(outcome)

    def acknowledged(self) -> list[Outcome]:
        with self._lock:
            return [outcome for outcome in self.outcomes if outcome.acknowledged]

    def answered(self, since: int = 0) -> list[Outcome]:
        with self._lock:
            return [outcome for outcome in self.outcomes[since:] if outcome.status is not None]

    def wait_for(self, acknowledged: int, limit_s: float = 90) -> None:
        deadline = time.monotonic() + limit_s
        while len(self.acknowledged()) < acknowledged:
            if time.monotonic() > deadline:
                raise AssertionError(f"only {len(self.acknowledged())} registrations in {limit_s}s")
            time.sleep(0.02)

    def wait_for_unanswered(self, since: int, limit_s: float = 90) -> None:
        """Until a client has found the server gone (a request with no answer)."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            with self._lock:
                if any(outcome.status is None for outcome in self.outcomes[since:]):
                    return
            time.sleep(0.02)
        raise AssertionError(f"every request was still answered after {limit_s}s")

    def stop(self) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=REQUEST_TIMEOUT_S + 5)


def _households_in(connection: sa.Connection) -> dict[str, tuple[int, list[str]]]:
    """Every registration's reference → (people_count, its members' document numbers)."""
    rows = connection.execute(
        sa.text(
            "SELECT r.reference, r.people_count, p.document_number "
            "FROM registration r LEFT JOIN person p ON p.registration_id = r.id "
            "ORDER BY r.reference, p.position"
        )
    ).all()
    households: dict[str, tuple[int, list[str]]] = {}
    for reference, people_count, document in rows:
        _count, documents = households.setdefault(reference, (people_count, []))
        if document is not None:
            documents.append(document)
    return households


def check_households(engine: sa.Engine, surge: Surge) -> dict[str, tuple[int, list[str]]]:
    """Every acknowledged registration is there, whole; no registration anywhere is partial."""
    with engine.connect() as connection:
        households = _households_in(connection)
        orphans = connection.execute(
            sa.text(
                "SELECT count(*) FROM person p "
                "WHERE NOT EXISTS (SELECT 1 FROM registration r WHERE r.id = p.registration_id)"
            )
        ).scalar_one()
    assert orphans == 0
    posted = {tuple(outcome.documents) for outcome in surge.outcomes}
    for reference, (people_count, documents) in households.items():
        assert documents, f"{reference} has no person"
        assert people_count == len(documents), f"{reference}: {people_count} != {documents}"
        assert tuple(documents) in posted, f"{reference} is not a household that was posted"
    for outcome in surge.acknowledged():
        assert outcome.reference in households, f"acknowledged {outcome.reference} is lost"
        assert households[outcome.reference][1] == outcome.documents
    return households
