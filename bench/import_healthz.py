"""Does a staff CSV import stall the server? /healthz latency during a 20,000-row import.

    python -m bench.import_healthz                                  # fresh SQLite file
    python -m bench.import_healthz --database-url postgresql+psycopg://…/empty_db
    python -m bench.import_healthz --people 5000 --workers 2

Starts ``evac serve`` in its own process group on a fresh database (``evac db
upgrade`` and a coordinator account), signs in, and uploads a CSV made by the
demo generator (bench/import_registrations.py's file: every other household
without coordinates, so its city is geocoded) through the import page, as a
browser does. Meanwhile a thread asks /healthz every --interval seconds
(50 ms) on a kept-alive connection. Printed: /healthz latency while the
server is idle (the ceiling, same run) and during the import (goal: max and
p99 under 100 ms), and the import's time from the upload to the job's report.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from bench.import_registrations import write_csv

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERNAME = "bench-coordinator"
PASSWORD = secrets.token_urlsafe(16)
SLOW_SECONDS = 0.05
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class HealthProbe:
    """Asks /healthz every ``interval`` seconds from a process of its own.

    In a thread of this process it measured this process too: while the main
    thread built the 4 MB upload it held the GIL, and the probe's answers
    looked 130 ms late although the server had answered at once. The child
    stamps each answer with ``time.monotonic()`` (one clock for every process),
    and the parent cuts the samples into phases afterwards.
    """

    def __init__(self, url: str, interval: float) -> None:
        context = multiprocessing.get_context("spawn")
        self._samples = context.Queue()
        self._stopping = context.Event()
        self._process = context.Process(
            target=_probe, args=(url, interval, self._stopping, self._samples), daemon=True
        )

    def start(self) -> None:
        self._process.start()

    def stop(self) -> list[Sample]:
        """Stop probing; every answer as (asked at, seconds, answered 200)."""
        self._stopping.set()
        samples: list[Sample] = self._samples.get(timeout=60)
        self._process.join(timeout=60)
        return samples


Sample = tuple[float, float, bool]


def _probe(url: str, interval: float, stopping: Any, out: Any) -> None:
    samples: list[Sample] = []
    with httpx.Client(timeout=60) as client:
        while not stopping.is_set():
            started = time.monotonic()
            try:
                ok = client.get(url + "/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            elapsed = time.monotonic() - started
            samples.append((started, elapsed, ok))
            stopping.wait(max(0.0, interval - elapsed))
    out.put(samples)


def between(samples: list[Sample], start: float, end: float) -> list[Sample]:
    return [sample for sample in samples if start <= sample[0] < end]


def summary(samples: list[Sample]) -> str:
    ms = sorted(elapsed * 1000 for _, elapsed, _ in samples)
    failures = sum(not ok for *_, ok in samples)
    if not ms:
        return "no samples"
    p99 = ms[min(len(ms) - 1, int(len(ms) * 0.99))]
    return (
        f"{len(ms)} answers, p50 {statistics.median(ms):.0f} ms, p99 {p99:.0f} ms, "
        f"max {ms[-1]:.0f} ms, {failures} failed"
    )


def evac(*words: str, env: dict[str, str], stdin: str | None = None) -> None:
    subprocess.run([str(BIN / "evac"), *words], input=stdin, text=True, env=env, check=True)


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path
) -> subprocess.Popen[bytes]:
    command = [str(BIN / "evac"), "serve", "--workers", str(workers)]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped ({server.returncode}):\n{log.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"the server did not answer /healthz within 180 s:\n{log.read_text()}")


def server_cpu_seconds(server: subprocess.Popen[bytes]) -> float:
    """CPU time used so far by every process of the server's process group."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == server.pid:  # the process group
            total += int(fields[11]) + int(fields[12])  # utime + stime, in ticks
    return total / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(server: subprocess.Popen[bytes], deadline_seconds: float) -> float:
    """Wait until the server's start-up work (the gazetteer warm-up) is over: under
    10% of a core for 3 s. Returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < deadline_seconds:
        before = server_cpu_seconds(server)
        time.sleep(3)
        if server_cpu_seconds(server) - before < 0.3:
            break
    return time.monotonic() - started


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def upload(url: str, csv_path: Path) -> tuple[float, float, str]:
    """Sign in, upload the file, follow the job's page to its report: (start, seconds, page)."""
    with httpx.Client(base_url=url, timeout=120) as client:
        login = {"username": USERNAME, "password": PASSWORD}
        signed_in = client.post("/staff/login", data=login, follow_redirects=False)
        assert signed_in.status_code == 303, signed_in.text[:2000]
        token = CSRF.search(client.get("/staff/import").text)
        assert token, "no CSRF token on the import page"
        started = time.monotonic()
        with csv_path.open("rb") as handle:
            response = client.post(
                "/staff/import",
                data={"csrf_token": token.group(1)},
                files={"file": (csv_path.name, handle, "text/csv")},
                follow_redirects=False,
            )
        assert response.status_code == 303, response.text[:2000]
        job_page = response.headers["location"]
        while 'http-equiv="refresh"' in (page := client.get(job_page).text):
            time.sleep(0.5)
        return started, time.monotonic() - started, page


def run(args: argparse.Namespace, directory: Path) -> None:
    csv_path = directory / "registrations.csv"
    households = write_csv(csv_path, args.people)
    print(
        f"{args.people} people in {households} households, {csv_path.stat().st_size / 1e6:.1f} MB"
    )
    database_url = args.database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    url = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "EVAC_DATABASE_URL": database_url,
        "EVAC_MODE": "production",
        "EVAC_SECRET_KEY": secrets.token_urlsafe(48),
        "EVAC_PUBLIC_URL": url,
    }
    evac("db", "upgrade", env=env)
    evac("users", "create", USERNAME, "--role", "coordinator", env=env, stdin=PASSWORD + "\n")
    log = directory / "server.log"
    server = start_server(env, args.port, args.workers, log)
    try:
        wait_until_up(url, server, log)
        probe = HealthProbe(url, args.interval)
        probe.start()
        settled = wait_until_quiet(server, args.settle)  # the workers load their catalogues
        print(f"server quiet after {settled:.0f} s")
        idle_from = time.monotonic()
        time.sleep(args.idle)
        idle_to = time.monotonic()  # signing in (Argon2) is neither idle nor the import
        started, seconds, page = upload(url, csv_path)
        samples = probe.stop()
    finally:
        stop_server(server)
    imported = re.search(r'id="imported">([^<]+)<', page)
    print(f"server: evac serve --workers {args.workers} on {database_url.split(':')[0]}")
    during, idle = (
        between(samples, started, started + seconds),
        between(samples, idle_from, idle_to),
    )
    print(f"/healthz idle (ceiling):  {summary(idle)}   slowest: {slowest(idle, idle_from)}")
    print(f"/healthz during import:   {summary(during)}   (goal: max and p99 < 100 ms)")
    outcome = imported.group(1) if imported else page[-500:]
    print(f"import, upload to report: {seconds:.1f} s; {outcome}")
    print(f"slowest /healthz answers (since the upload): {slowest(during, started)}")


def slowest(samples: list[Sample], since: float) -> str:
    """The slowest answers over SLOW_SECONDS, each with when it was asked."""
    slow = sorted((s for s in samples if s[1] > SLOW_SECONDS), key=lambda s: -s[1])[:8]
    return (
        ", ".join(f"{1000 * took:.0f} ms at {at - since:+.1f} s" for at, took, _ in slow) or "none"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=20_000, help="rows of the CSV")
    parser.add_argument("--database-url", help="an empty database (default: a fresh SQLite file)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--interval", type=float, default=0.05, help="seconds between /healthz")
    parser.add_argument(
        "--settle", type=float, default=180.0, help="most seconds to wait for quiet"
    )
    parser.add_argument("--idle", type=float, default=5.0, help="seconds of idle measurement")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        run(args, Path(directory))


if __name__ == "__main__":
    main()
