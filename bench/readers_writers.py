"""Registration latency while a long reader runs: the cases export and the plan preview.

    export EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3
    evac db upgrade && evac seed demo --people 100000 --seed 2020
    python -m bench.readers_writers --database-url $EVAC_DATABASE_URL

Starts ``evac serve --workers N`` (default 1) on the database as a user runs it (rate limit
off), signs a coordinator in, then measures registrations through the JSON API
(``POST /api/v1/registrations``, --clients clients each sending the next when
the last is answered) in three phases of the same run:

- alone: no reader, for --baseline seconds (the ceiling to compare with);
- during ``GET /staff/reports/cases.csv`` (every case, one row per person);
- during ``GET /staff/plan`` (a full planning preview);
- during ``evac export cases`` and ``evac plan`` (a preview) in their own
  processes: the same readers without sharing the server's GIL, as on another
  worker or from the command line.

Each reader phase lasts as long as its reader. Goal (issue #17): registration
p99 under 1 s during both readers. Registrations are real: run it on a copy.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.case_list import PASSWORD, ensure_user
from bench.surge import (
    BIN,
    Household,
    make_households,
    start_server,
    stop_server,
    wait_until_up,
)
from evac.db import get_engine
from evac.settings import get_settings
from evac.staff.models import Role

COORDINATOR = "bench-coordinator"
CASES_CSV = "/staff/reports/cases.csv"


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    reader_seconds: float | None = None

    def line(self) -> str:
        ordered = sorted(self.latencies)
        p50 = statistics.median(ordered) * 1000 if ordered else float("nan")
        p99 = ordered[int(0.99 * (len(ordered) - 1))] * 1000 if ordered else float("nan")
        worst = ordered[-1] * 1000 if ordered else float("nan")
        reader = f"{self.reader_seconds:6.1f} s" if self.reader_seconds is not None else "     -  "
        return (
            f"{self.name:<34} {reader} {len(ordered):>6} {p50:8.0f} {p99:8.0f} {worst:8.0f}"
            f" {self.errors:>6}"
        )


class Registrants:
    """Clients that register households one after the other until told to stop."""

    def __init__(self, url: str, households: list[Household]) -> None:
        self.url = url
        self.households = iter(households)
        self.lock = threading.Lock()

    def next_household(self) -> Household:
        with self.lock:
            return next(self.households)

    def run(self, phase: Phase, stop: threading.Event, clients: int) -> list[threading.Thread]:
        threads = [
            threading.Thread(target=self._client, args=(phase, stop), daemon=True)
            for _ in range(clients)
        ]
        for thread in threads:
            thread.start()
        return threads

    def _client(self, phase: Phase, stop: threading.Event) -> None:
        with httpx.Client(base_url=self.url, timeout=60) as client:
            while not stop.is_set():
                household = self.next_household()
                started = time.perf_counter()
                response = client.post(
                    "/api/v1/registrations",
                    json=household.body,
                    headers={"Idempotency-Key": secrets.token_hex(16)},
                )
                elapsed = time.perf_counter() - started
                with self.lock:
                    phase.latencies.append(elapsed)
                    phase.errors += response.status_code != 201


def signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=600)
    response = client.post("/staff/login", data={"username": COORDINATOR, "password": PASSWORD})
    if response.status_code != 303 or "evac_session" not in client.cookies:
        raise SystemExit(f"could not sign in as {COORDINATOR}: {response.status_code}")
    return client


def http_reader(client: httpx.Client, path: str) -> Callable[[], None]:
    """Download ``path`` to the end, as a browser would."""

    def read() -> None:
        with client.stream("GET", path) as response:
            size = sum(len(chunk) for chunk in response.iter_bytes())
        if response.status_code != 200 or not size:
            raise SystemExit(f"{path} answered {response.status_code}")

    return read


def cli_reader(database_url: str, *words: str) -> Callable[[], None]:
    """Run ``evac WORDS`` in its own process, as another worker or an operator would."""
    env = {**os.environ, "EVAC_DATABASE_URL": database_url, "EVAC_MODE": "development"}

    def read() -> None:
        subprocess.run([str(BIN / "evac"), *words], check=True, env=env, stdout=subprocess.DEVNULL)

    return read


def measure(
    registrants: Registrants, phase: Phase, clients: int, read: Callable[[], None] | None
) -> Phase:
    """Registrations while ``read`` runs (or for ``phase.reader_seconds`` alone)."""
    stop = threading.Event()
    threads = registrants.run(phase, stop, clients)
    if read is None:
        time.sleep(phase.reader_seconds or 0)
        phase.reader_seconds = None
    else:
        started = time.perf_counter()
        read()
        phase.reader_seconds = time.perf_counter() - started
    stop.set()
    for thread in threads:
        thread.join()
    return phase


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=1)
    # With the reader, at most EVAC_MAX_CONCURRENT_REQUESTS (default 4) in flight.
    parser.add_argument("--clients", type=int, default=3)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds after /healthz")
    parser.add_argument("--baseline", type=float, default=10.0, help="seconds without a reader")
    parser.add_argument("--log-level", default="warning")
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    args.target = "evac"
    args.no_rate_limit = True  # every registrant here comes from one address
    os.environ["EVAC_DATABASE_URL"] = args.database_url  # the accounts this script makes
    get_settings.cache_clear()
    get_engine.cache_clear()
    ensure_user(COORDINATOR, Role.coordinator, [])
    # Only households with coordinates: geocoding a city is not what this measures.
    households = [
        h
        for h in make_households(20_000, f"RW{secrets.token_hex(2).upper()}")
        if h.body["location"]["latitude"] is not None
    ]
    url, db = f"http://127.0.0.1:{args.port}", args.database_url
    log = Path(tempfile.mkdtemp()) / "server.log"
    server = start_server(args, "evac", log)
    try:
        # Each worker loads the gazetteer in the background after it starts.
        wait_until_up(url, server)
        time.sleep(args.settle)
        registrants = Registrants(url, households)
        reader = signed_in(url)
        reader.get("/staff/plan")  # warm the planner's caches in one worker at least
        measure(registrants, Phase("warm-up", reader_seconds=5), args.clients, None)
        runs = [
            (Phase("alone", reader_seconds=args.baseline), None),
            (Phase("during GET /staff/reports/cases.csv"), http_reader(reader, CASES_CSV)),
            (Phase("during GET /staff/plan"), http_reader(reader, "/staff/plan")),
            (Phase("during evac export cases (CLI)"), cli_reader(db, "export", "cases")),
            (Phase("during evac plan (CLI preview)"), cli_reader(db, "plan")),
        ]
        phases = [measure(registrants, p, args.clients, read) for p, read in runs]
    finally:
        stop_server(server)
    print(f"{args.workers} workers, {args.clients} registrants, {args.database_url}")
    columns = ("reader", "count", "p50 ms", "p99 ms", "max ms", "errors")
    widths = (8, 6, 8, 8, 8, 6)
    print(
        f"{'registrations':<34} "
        + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True))
    )
    for phase in phases:
        print(phase.line())
    print(f"server log: {log}")


if __name__ == "__main__":
    main()
