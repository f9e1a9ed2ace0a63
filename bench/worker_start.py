"""How soon a freshly started server answers its first registration, and what a worker costs.

    python -m bench.worker_start                       # this checkout, 2 workers
    python -m bench.worker_start --checkout /work/main # another checkout, same virtualenv

(The checkout is the servers' working directory and PYTHONPATH, so its evac
is the one they import.)

On a fresh SQLite database (upgraded, demo missions seeded, no households),
``evac serve --workers N`` is started as a user starts it, twice: cold, with an
empty EVAC_CACHE_DIR (no city index built yet), then warm (the index that
the cold run built). Each time the clock starts when the process is spawned
and the bench records when ``/healthz`` first answers (the floor: a server
doing nothing at start would answer its first registration about then) and
when its first registration is answered: a household that gives only its
city ("Berlin", no position), so that the answer waits for the gazetteer.
The case is then read back to show that the city was located.

Once the workers' memory has settled (two samples 0.5 s apart within 1 MB),
each worker's RSS is printed with its PSS (pages shared with other processes,
such as the mapped index, counted once across them) and USS (its own pages).
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
EVAC = [sys.executable, "-c", "from evac.cli.main import main; main()"]
DEADLINE_S = 300
SETTLE_S = 0.5


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def household() -> dict[str, Any]:
    """One person in Berlin, without a position: the server must geocode the city."""
    return {
        "contact": {"phone": "+49 30 901820", "email": "bench@example.org"},
        "location": {"country": "DE", "city": "Berlin", "latitude": None, "longitude": None},
        "members": [
            {
                "given_name": "Ayşe",
                "family_name": "Yılmaz",
                "date_of_birth": "1985-03-01",
                "sex": "F",
                "nationality": "TR",
                "document": {
                    "type": "P",
                    "number": f"B{secrets.randbelow(10**8):08d}",
                    "country": "TR",
                    "expiry": str(date.today() + timedelta(days=1000)),
                },
            }
        ],
        "consent": True,
    }


def environment(args: argparse.Namespace, database_url: str, cache: Path, port: int) -> dict:
    return {
        **os.environ,
        "PYTHONPATH": str(args.checkout),
        "EVAC_DATABASE_URL": database_url,
        "EVAC_CACHE_DIR": str(cache),
        "EVAC_MODE": "production",
        "EVAC_SECRET_KEY": secrets.token_urlsafe(48),
        "EVAC_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "EVAC_LOG_LEVEL": "warning",
    }


def descendants(pid: int) -> list[int]:
    try:
        children = [
            int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        ]
    except OSError:
        return []
    return children + [grandchild for child in children for grandchild in descendants(child)]


def workers(server: int) -> list[int]:
    """uvicorn's worker processes (spawned by multiprocessing; not its resource tracker)."""
    found = []
    for pid in descendants(server):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            found.append(pid)
    return found


def memory_mib(pid: int) -> dict[str, float]:
    """RSS, PSS and USS of a process in MiB, from /proc/PID/smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    private = fields["Private_Clean"] + fields["Private_Dirty"]
    return {"rss": fields["Rss"], "pss": fields["Pss"], "uss": private}


def settled_memory(server: int, count: int) -> list[dict[str, float]]:
    """Each worker's memory once none of them grows by more than 1 MiB in SETTLE_S."""
    deadline = time.monotonic() + DEADLINE_S
    previous: list[float] = []
    while time.monotonic() < deadline:
        pids = workers(server)
        samples = [memory_mib(pid) for pid in pids]
        rss = [sample["rss"] for sample in samples]
        steady = len(pids) == len(previous) == count and all(
            abs(now - before) < 1 for now, before in zip(rss, previous, strict=True)
        )
        if steady:
            return samples
        previous = rss
        time.sleep(SETTLE_S)
    raise SystemExit("the workers' memory did not settle")


def wait_for(check: Any, server: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with status {server.returncode}")
        try:
            return check()
        except httpx.TransportError:
            time.sleep(0.02)
    raise SystemExit(f"no answer within {DEADLINE_S} s")


def run_once(args: argparse.Namespace, env: dict, port: int, log: Path) -> dict[str, Any]:
    url = f"http://127.0.0.1:{port}"
    command = [*EVAC, "serve", "--workers", str(args.workers), "--port", str(port)]
    started = time.monotonic()
    with log.open("ab") as output:
        server = subprocess.Popen(
            command,
            env=env,
            cwd=args.checkout,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )
    try:
        with httpx.Client(base_url=url, timeout=DEADLINE_S) as client:
            wait_for(lambda: client.get("/healthz").raise_for_status(), server)
            up = time.monotonic() - started
            created = wait_for(
                lambda: client.post("/api/v1/registrations", json=household()), server
            )
            registered = time.monotonic() - started
            if created.status_code != 201:
                raise SystemExit(f"registration answered {created.status_code}: {created.text}")
            body = created.json()
            case = client.get(
                f"/api/v1/registrations/{body['reference']}",
                headers={"authorization": f"Bearer {body['access_token']}"},
            ).json()
        memory = settled_memory(server.pid, args.workers)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)
    location = case["location"]
    return {
        "up": up,
        "registered": registered,
        "located": (location["latitude"], location["longitude"]),
        "memory": memory,
    }


def prepare(args: argparse.Namespace, env: dict, log: Path) -> None:
    for words in (["db", "upgrade"], ["seed", "demo", "--people", "0"]):
        with log.open("ab") as output:
            subprocess.run([*EVAC, *words], env=env, cwd=args.checkout, stdout=output, check=True)


def report(phase: str, result: dict[str, Any]) -> None:
    memory = result["memory"]
    print(
        f"{phase:5}  /healthz {result['up']:5.1f} s"
        f"   first registration {result['registered']:5.1f} s"
        f"   (Berlin at {result['located'][0]:.2f}, {result['located'][1]:.2f})"
    )
    for number, worker in enumerate(memory, 1):
        print(
            f"       worker {number}: RSS {worker['rss']:4.0f} MiB  PSS {worker['pss']:4.0f} MiB"
            f"  USS {worker['uss']:4.0f} MiB"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--checkout", type=Path, default=ROOT, help="the evac to run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evac-worker-start-") as scratch:
        folder = Path(scratch)
        database_url = f"sqlite:///{folder / 'bench.sqlite3'}"
        log = folder / "server.log"
        port = free_port()
        env = environment(args, database_url, folder / "cache", port)
        prepare(args, env, log)
        print(f"evac from {args.checkout}, {args.workers} workers, load {os.getloadavg()[0]:.1f}")
        for phase in ("cold", "warm"):
            report(phase, run_once(args, env, port, log))
        index = sorted((folder / "cache").glob("*.index"))
        for path in index:
            print(f"index  {path.name}: {path.stat().st_size / 2**20:.0f} MiB")


if __name__ == "__main__":
    main()
