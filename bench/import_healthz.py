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
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench.import_registrations import write_csv

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERNAME = "bench-coordinator"
PASSWORD = secrets.token_urlsafe(16)
SLOW_SECONDS = 0.1
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


class HealthProbe(threading.Thread):
    """Asks /healthz every ``interval`` seconds and keeps each answer's latency."""

    def __init__(self, url: str, interval: float) -> None:
        super().__init__(daemon=True)
        self.url, self.interval = url, interval
        self.latencies: list[float] = []
        self.slow: list[tuple[float, float]] = []  # (when it was asked, seconds)
        self.failures = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=60) as client:
            while not self.stopping.is_set():
                started = time.perf_counter()
                try:
                    ok = client.get(self.url + "/healthz").status_code == 200
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                self.latencies.append(elapsed)
                if elapsed > SLOW_SECONDS:
                    self.slow.append((started, elapsed))
                self.failures += not ok
                self.stopping.wait(max(0.0, self.interval - elapsed))

    def reset(self) -> None:
        self.latencies, self.slow, self.failures = [], [], 0


def summary(latencies: list[float], failures: int) -> str:
    ms = sorted(value * 1000 for value in latencies)
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
        started = time.perf_counter()
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
        return started, time.perf_counter() - started, page


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
        probe.reset()
        time.sleep(args.idle)
        idle = summary(probe.latencies, probe.failures)
        probe.reset()
        started, seconds, page = upload(url, csv_path)
        during = summary(probe.latencies, probe.failures)
        probe.stopping.set()
    finally:
        stop_server(server)
    imported = re.search(r'id="imported">([^<]+)<', page)
    print(f"server: evac serve --workers {args.workers} on {database_url.split(':')[0]}")
    print(f"/healthz idle (ceiling):  {idle}")
    print(f"/healthz during import:   {during}   (goal: max and p99 < 100 ms)")
    outcome = imported.group(1) if imported else page[-500:]
    print(f"import, upload to report: {seconds:.1f} s; {outcome}")
    slowest = sorted(probe.slow, key=lambda answer: -answer[1])[:8]
    when = ", ".join(f"{1000 * took:.0f} ms at {at - started:+.1f} s" for at, took in slowest)
    print(f"slowest /healthz answers (since the upload): {when or 'none'}")


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
