"""Registration surge: many registrants at once against a real server, then a count.

    make setup-bench                               # aiohttp, the load generator
    createdb -h 127.0.0.1 -U postgres evac_surge
    python -m bench.surge --database-url postgresql+psycopg://postgres@127.0.0.1:5432/evac_surge \\
        --setup --compare --workers 2 --concurrency 32 --duration 30
    python -m bench.surge --database-url sqlite:////tmp/surge.sqlite3 --setup --rate 150
    python -m bench.surge --url http://127.0.0.1:8000 --database-url …        # a server already up

The server is started as a deployment behind a load balancer runs it: ``evac
serve --workers N --forwarded-allow-ips 127.0.0.1`` with evac's defaults, the
per-address rate limit included, and every registrant comes from its own
address (``X-Forwarded-For``, believed because the load generator is the
configured proxy). ``--no-rate-limit`` switches the limiter off; the report
then says so, and that figure is not what a deployment gets.

Each target is measured twice: *cold*, from the moment ``/healthz`` first
answers after the processes start (no settling, no warm-up), then *warm*, right
after. ``--compare`` first measures the ceiling, ``bench/bare_insert.py`` (the
same stack inserting the same rows and doing nothing else), started the same
way, then evac, and prints evac's figures as a fraction of the ceiling's.

Arrivals are open-loop (Poisson at --rate registrations per second), so a slow
server shows as latency instead of slowing the load down; --concurrency N
instead runs N clients that each send their next registration when the last is
answered, which measures the most the server can take. Each arrival is a
household of 1-5 people from the demo generator (the demo missions' countries,
citizens and third-country nationals), with document numbers unique to the run.
aiohttp sends them over --connections kept-alive connections (httpx took a
whole core at 300 per second). A fraction --mix goes through the JSON API
(``POST /api/v1/registrations`` with an Idempotency-Key, 201 expected); the rest
as a browser sends the form (``GET /register`` for the form token, then ``POST
/register`` with every field, redirects not followed, 303 expected). A fraction
--replay of acknowledged registrations is sent again as a retry would be.

Afterwards every acknowledged registration is looked up in the database by its
documents: each must be stored exactly once, under the acknowledged reference,
with as many people as were posted. The exit status is 1 on any loss,
duplicate or error.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import httpx
import sqlalchemy as sa

from evac.demo.generator import DemoHousehold, generate_households, load_demo_missions
from evac.registration.models import Person, Registration

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SEED = 2026
MAX_PEOPLE = 5
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
FORM_HEADERS = {"content-type": "application/x-www-form-urlencoded"}
PRIVATE_LINK = re.compile(r"^/r/([A-Z0-9]{4}-[A-Z0-9]{4})\?")


@dataclass
class Result:
    """One POST (or a failed GET of the form before it), as the client saw it."""

    kind: str
    household: int
    outcome: int | str  # the status, or what went wrong
    started: float
    reference: str | None = None
    finished: float = 0.0
    form_token: str | None = None
    form_page_seconds: float | None = None
    replay_of: str | None = None

    @property
    def ok(self) -> bool:
        expected = 201 if self.kind == "api" else 303
        same = self.replay_of is None or self.reference == self.replay_of
        return self.outcome == expected and self.reference is not None and same

    @property
    def seconds(self) -> float:
        return self.finished - self.started


@dataclass(frozen=True)
class Household:
    index: int
    body: dict[str, Any]
    documents: tuple[str, ...]

    @property
    def headers(self) -> dict[str, str]:
        """Each registrant behind the proxy from an address of its own."""
        i = self.index
        return {"X-Forwarded-For": f"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"}

    @property
    def people(self) -> int:
        return len(self.documents)


@dataclass
class Run:
    client: aiohttp.ClientSession
    households: list[Household]
    api_fraction: float
    replay_fraction: float
    rng: random.Random
    slots: asyncio.Semaphore  # one per connection, so that waiting for one is measured
    give_up: float
    results: list[Result] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)
    next_index: int = 0
    waiting: int = 0
    max_waiting: int = 0

    def take(self) -> Household:
        household = self.households[self.next_index % len(self.households)]
        self.next_index += 1
        return household


def make_households(count: int, tag: str) -> list[Household]:
    """``count`` demo households of at most five people, documents numbered ``tag…``."""
    households: list[Household] = []
    generated = generate_households(load_demo_missions(), count * 4, SEED, date.today(), "TR")
    for demo in generated:
        if len(demo.members) <= MAX_PEOPLE:
            households.append(_household(len(households), demo, tag))
            if len(households) == count:
                break
    return households


def _household(index: int, demo: DemoHousehold, tag: str) -> Household:
    documents = tuple(f"{tag}{index:07d}{position}" for position in range(len(demo.members)))
    members = [
        {
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth.isoformat(),
            "sex": person.sex,
            "nationality": person.nationality,
            "document": {
                "type": person.document_type,
                "number": number,
                "country": person.document_country,
                "expiry": person.document_expiry.isoformat(),
            },
            "needs_stretcher": person.needs_stretcher,
            "needs_wheelchair": person.needs_wheelchair,
            "needs_oxygen": person.needs_oxygen,
            "medical_urgency": person.medical_urgency,
            "pregnant": person.pregnant,
        }
        for person, number in zip(demo.members, documents, strict=True)
    ]
    located = index % 5 != 0  # one in five gives only a city, to be geocoded
    body = {
        "contact": {"phone": demo.phone, "email": demo.email, "language": demo.language},
        "location": {
            "country": demo.country,
            "city": demo.city,
            "latitude": round(demo.latitude, 5) if located else None,
            "longitude": round(demo.longitude, 5) if located else None,
        },
        "members": members,
        "consent": True,
    }
    return Household(index, body, documents)


def form_fields(body: dict[str, Any], token: str) -> list[tuple[str, str]]:
    """The fields as a browser posts the filled form (empty inputs sent empty)."""
    contact, location = body["contact"], body["location"]
    fields = [("action", "register"), ("form_token", token)]
    fields += [(name, _text(location.get(name))) for name in ("country", "city")]
    fields += [("address", ""), ("latitude", _text(location["latitude"]))]
    fields += [("longitude", _text(location["longitude"]))]
    for i, member in enumerate(body["members"]):
        document = member["document"]
        prefix = f"members-{i}-"
        fields += [
            (prefix + name, member[name])
            for name in ("given_name", "family_name", "date_of_birth", "sex", "nationality")
        ]
        fields += [(prefix + "document_" + name, document[name]) for name in document]
        fields += [(prefix + "medical_urgency", member["medical_urgency"])]
        fields += [
            (prefix + name, "1")
            for name in ("needs_stretcher", "needs_wheelchair", "needs_oxygen", "pregnant")
            if member[name]
        ]
    fields += [(name, _text(contact[name])) for name in ("phone", "email", "language")]
    return [*fields, ("consent", "1")]


def _text(value: object) -> str:
    return "" if value is None else str(value)


async def send_api(run: Run, household: Household, key: str, started: float) -> Result:
    async with run.client.post(
        "/api/v1/registrations",
        json=household.body,
        headers={"Idempotency-Key": key, **household.headers},
    ) as response:
        created = response.status == 201
        reference = (await response.json()).get("reference") if created else None
        await response.read()
    return Result("api", household.index, response.status, started, reference=reference)


async def send_form(run: Run, household: Household, token: str | None, due: float) -> Result:
    """The form page (unless retrying with its token), then the filled form; the
    registration's latency counts from when the filled form is sent."""
    page_seconds = None
    if token is None:
        async with run.client.get("/register", headers=household.headers) as page:
            text = await page.text()
        page_seconds = time.perf_counter() - due
        match = FORM_TOKEN.search(text)
        if page.status != 200 or match is None:
            return Result("form", household.index, f"GET /register {page.status}", due)
        token = match.group(1)
    started = time.perf_counter()
    body = urlencode(form_fields(household.body, token))
    async with run.client.post(
        "/register", data=body, headers={**FORM_HEADERS, **household.headers}, allow_redirects=False
    ) as response:
        await response.read()
    link = PRIVATE_LINK.match(response.headers.get("location", ""))
    reference = link.group(1) if response.status == 303 and link else None
    result = Result("form", household.index, response.status, started, reference=reference)
    result.form_token, result.form_page_seconds = token, page_seconds
    return result


async def register(run: Run, started: float) -> None:
    """One registrant: API or form, maybe retried; every outcome recorded."""
    household = run.take()
    kind = "api" if run.rng.random() < run.api_fraction else "form"
    replay = run.rng.random() < run.replay_fraction
    key = secrets.token_urlsafe(16)
    run.waiting += 1
    run.max_waiting = max(run.max_waiting, run.waiting)
    try:
        await asyncio.wait_for(run.slots.acquire(), run.give_up - (time.perf_counter() - started))
    except TimeoutError:
        result = Result(kind, household.index, "no free connection", started, None)
        result.finished = time.perf_counter()
        run.results.append(result)
        return
    finally:
        run.waiting -= 1
    try:
        result = await _attempt(run, kind, household, key, None, started)
        run.results.append(result)
        if replay and result.reference:
            token = result.form_token
            again = await _attempt(run, kind, household, key, token, time.perf_counter())
            again.replay_of = result.reference
            run.results.append(again)
    finally:
        run.slots.release()


async def _attempt(
    run: Run, kind: str, household: Household, key: str, token: str | None, started: float
) -> Result:
    try:
        if kind == "api":
            result = await send_api(run, household, key, started)
        else:
            result = await send_form(run, household, token, started)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        result = Result(kind, household.index, type(exc).__name__, started)
    result.finished = time.perf_counter()
    if result.reference and household.index not in run.acknowledged:
        run.acknowledged[household.index] = result.reference
    return result


async def open_loop(run: Run, rate: float, duration: float) -> None:
    """Poisson arrivals at ``rate`` per second; each is sent at its time, however slow
    the server is, and its latency counts from that time."""
    tasks: set[asyncio.Task[None]] = set()
    start = time.perf_counter()
    due = start
    while (due := due + run.rng.expovariate(rate)) < start + duration:
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(register(run, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    await asyncio.gather(*tasks)


async def closed_loop(run: Run, concurrency: int, duration: float) -> None:
    end = time.perf_counter() + duration

    async def client() -> None:
        while time.perf_counter() < end:
            await register(run, time.perf_counter())

    await asyncio.gather(*(client() for _ in range(concurrency)))


async def drive(
    args: argparse.Namespace, households: list[Household], target: str, previous: Run | None
) -> tuple[Run, float]:
    """One phase of load; a later phase goes on with the next households."""
    connector = aiohttp.TCPConnector(limit=args.connections)
    timeout = aiohttp.ClientTimeout(total=args.timeout)
    async with aiohttp.ClientSession(args.url, connector=connector, timeout=timeout) as client:
        rng = random.Random(SEED + (previous.next_index if previous else 0))
        # The bare endpoint has no form and no Idempotency-Key: API only, no retries.
        mix, replay = (1.0, 0.0) if target == "bare" else (args.mix, args.replay)
        slots = asyncio.Semaphore(args.connections)
        run = Run(client, households, mix, replay, rng, slots, args.timeout)
        if previous is not None:
            run.next_index, run.acknowledged = previous.next_index, previous.acknowledged
        started = time.perf_counter()
        if args.concurrency:
            await closed_loop(run, args.concurrency, args.duration)
        else:
            await open_loop(run, args.rate, args.duration)
        return run, time.perf_counter() - started


def percentiles(values: list[float]) -> str:
    if not values:
        return "-"
    ordered = sorted(values)
    pick = [ordered[min(len(ordered) - 1, int(q * len(ordered)))] for q in (0.5, 0.95, 0.99)]
    return " / ".join(f"{v * 1000:.0f}" for v in [*pick, ordered[-1]])


@dataclass(frozen=True)
class Summary:
    target: str
    phase: str
    rate: float  # acknowledged registrations per second
    p99: float  # seconds, over every acknowledged first attempt
    errors: int


def print_report(
    args: argparse.Namespace,
    target: str,
    phase: str,
    run: Run,
    elapsed: float,
    cpu: dict[str, float],
) -> Summary:
    first = [r for r in run.results if r.replay_of is None]
    limiter = "rate limit on" if target == "bare" or not args.no_rate_limit else "RATE LIMIT OFF"
    print(f"\n{target}, {phase}: {args.workers} workers, {limiter}, {args.database_url}")
    load = f"{args.concurrency} closed-loop clients" if args.concurrency else f"{args.rate:g}/s"
    print(f"load: {load} for {elapsed:.1f} s, at most {run.max_waiting} waiting for a connection")
    print("kind   sent  acked  acked/s  p50 / p95 / p99 / max ms  errors")
    for kind in ("api", "form", "all"):
        mine = [r for r in first if kind in ("all", r.kind)]
        if not mine:
            continue
        acked = [r for r in mine if r.ok]
        errors = Counter(r.outcome for r in mine if not r.ok)
        print(
            f"{kind:<5} {len(mine):>5} {len(acked):>6} {len(acked) / elapsed:>8.1f}  "
            f"{percentiles([r.seconds for r in acked]):>24}  {dict(errors) or 'none'}"
        )
    pages = [r.form_page_seconds for r in first if r.form_page_seconds is not None]
    print(f"GET /register before the form (from arrival): {percentiles(pages)} ms")
    replays = [r for r in run.results if r.replay_of is not None]
    same = sum(r.ok for r in replays)
    print(f"retries: {len(replays)}, {same} answered with the first reference")
    shares = ", ".join(f"{name} {seconds / elapsed:.0%} of a core" for name, seconds in cpu.items())
    print(f"CPU during the load: {shares}")
    acked = sorted(r.seconds for r in first if r.ok)
    p99 = acked[min(len(acked) - 1, int(0.99 * len(acked)))] if acked else float("nan")
    errors = sum(not r.ok for r in run.results)
    return Summary(target, phase, len(acked) / elapsed, p99, errors)


def print_comparison(summaries: list[Summary]) -> None:
    """Each phase of evac beside the same phase of the ceiling."""
    ceiling = {s.phase: s for s in summaries if s.target == "bare"}
    print("\ntarget  phase  acked/s  p99 ms  errors  share of the ceiling")
    for summary in summaries:
        base = ceiling.get(summary.phase)
        share = f"{summary.rate / base.rate:.2f}x" if base and summary is not base else ""
        print(
            f"{summary.target:<7} {summary.phase:<5} {summary.rate:>8.1f} "
            f"{summary.p99 * 1000:>7.0f} {summary.errors:>7}  {share}"
        )


def cpu_seconds(select: Any) -> float:
    """User + system CPU seconds of the running processes ``select(pid, stat)`` keeps."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        name, rest = text[text.index("(") + 1 : text.rindex(")")], text[text.rindex(")") + 2 :]
        fields = rest.split()
        if select(int(stat.parent.name), name, int(fields[2])):
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def cpu_snapshot(server: subprocess.Popen[bytes] | None) -> dict[str, float]:
    snapshot = {"database": cpu_seconds(lambda _pid, name, _group: name.startswith("postgres"))}
    if server is not None:
        snapshot["server"] = cpu_seconds(lambda _pid, _name, group: group == server.pid)
    return snapshot


def verify(args: argparse.Namespace, tag: str, run: Run) -> list[str]:
    """Every acknowledged household stored once, under its reference, with its people."""
    query = (
        sa.select(Person.document_number_key, Registration.reference, Registration.people_count)
        .join(Registration, Person.registration_id == Registration.id)  # type: ignore[arg-type]
        .where(Person.document_number_key.like(f"{tag}%"))  # type: ignore[attr-defined]
    )
    engine = sa.create_engine(args.database_url)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    engine.dispose()
    stored: dict[str, list[str]] = {}
    for document, reference, _count in rows:
        stored.setdefault(document, []).append(reference)
    people = Counter(reference for _d, reference, _c in rows)
    counted = {reference: count for _d, reference, count in rows}
    problems: list[str] = []
    for index, reference in sorted(run.acknowledged.items()):
        documents = run.households[index].documents
        found = [stored.get(d, []) for d in documents]
        if not any(found):
            problems.append(f"lost: household {index} acknowledged as {reference}")
        elif any(len(refs) > 1 for refs in found):
            problems.append(f"duplicate: household {index} stored as {found}")
        elif any(refs != [reference] for refs in found):
            problems.append(f"wrong case: household {index} acknowledged as {reference}: {found}")
        elif people[reference] != len(documents) or counted[reference] != len(documents):
            problems.append(f"people: {reference} has {people[reference]}, {len(documents)} sent")
    sent = {run.households[i % len(run.households)].index for i in range(run.next_index)}
    silent = [
        i for i in sent - run.acknowledged.keys() if stored.get(run.households[i].documents[0])
    ]
    print(
        f"\nverified: {len(run.acknowledged)} acknowledged registrations, {len(people)} cases "
        f"with {len(rows)} people stored for this run; {len(silent)} stored without an "
        "acknowledgement (the client gave up or the answer failed)"
    )
    for problem in problems[:20]:
        print("  " + problem)
    print(
        "VERDICT: "
        + (f"FAILED, {len(problems)} problems" if problems else "every one exactly once")
    )
    return problems


def evac_command(*words: str, database_url: str) -> None:
    env = {**os.environ, "EVAC_DATABASE_URL": database_url, "EVAC_MODE": "development"}
    subprocess.run([str(BIN / "evac"), *words], check=True, env=env, cwd=ROOT)


def start_server(args: argparse.Namespace, target: str, log: Path) -> subprocess.Popen[bytes]:
    port = str(args.port)
    env = {
        **os.environ,
        "EVAC_DATABASE_URL": args.database_url,
        "EVAC_MODE": "production",
        "EVAC_SECRET_KEY": secrets.token_urlsafe(48),
        "EVAC_LOG_LEVEL": args.log_level,
    }
    if args.no_rate_limit:
        env["EVAC_REGISTRATION_RATE_PER_IP"] = "0"
    if target == "bare":
        command = [str(BIN / "uvicorn"), "bench.bare_insert:app", "--log-level", args.log_level]
        command += ["--workers", str(args.workers), "--host", "127.0.0.1", "--port", port]
    else:
        command = [str(BIN / "evac"), "serve", "--workers", str(args.workers)]
        command += ["--host", "127.0.0.1", "--port", port, "--forwarded-allow-ips", "127.0.0.1"]
    with log.open("wb") as output:
        return subprocess.Popen(
            command,
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def wait_until_up(url: str, server: subprocess.Popen[bytes]) -> float:
    """Seconds from now until ``/healthz`` first answers: the load starts at once."""
    started = time.monotonic()
    while time.monotonic() < started + 120:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped with status {server.returncode}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return time.monotonic() - started
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit("the server did not answer /healthz within 120 s")


def stop_server(server: subprocess.Popen[bytes]) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the server's database")
    parser.add_argument("--url", help="a server already running (else one is started)")
    parser.add_argument("--target", choices=("evac", "bare"), default="evac")
    parser.add_argument("--compare", action="store_true", help="the ceiling first, then evac")
    parser.add_argument("--setup", action="store_true", help="upgrade and seed a fresh database")
    parser.add_argument("--no-rate-limit", action="store_true", help="not what a deployment gets")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of load per phase")
    parser.add_argument("--rate", type=float, default=300.0, help="registrations per second")
    parser.add_argument("--concurrency", type=int, default=0, help="closed loop: N clients")
    parser.add_argument("--mix", type=float, default=0.5, help="fraction sent through the API")
    parser.add_argument("--replay", type=float, default=0.02, help="fraction retried")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--log-level", default="warning", help="the server's log level")
    return parser.parse_args()


def measure(
    args: argparse.Namespace, target: str, households: list[Household], tag: str
) -> tuple[list[Summary], list[str]]:
    """Cold (from the first answer of /healthz) then warm, then the count."""
    server = None
    if args.url is None or args.compare:
        args.url = f"http://127.0.0.1:{args.port}"
        server = start_server(args, target, Path(f"/tmp/surge-{target}-{args.port}.log"))
    summaries: list[Summary] = []
    run: Run | None = None
    try:
        if server is not None:
            print(
                f"\n{target}: /healthz answered {wait_until_up(args.url, server):.1f} s after start"
            )
        for phase in ("cold", "warm"):
            before, client_before = cpu_snapshot(server), time.process_time()
            run, elapsed = asyncio.run(drive(args, households, target, run))
            after, client_after = cpu_snapshot(server), time.process_time()
            cpu = {"load generator": client_after - client_before}
            cpu.update({name: after[name] - before[name] for name in after})
            summaries.append(print_report(args, target, phase, run, elapsed, cpu))
    finally:
        if server is not None:
            stop_server(server)
    assert run is not None
    return summaries, verify(args, tag, run)


def main() -> None:
    args = parse_args()
    load = args.rate or 150 * args.concurrency
    planned = int(load * args.duration * 2 * 1.3) + 100
    if args.setup:
        evac_command("db", "upgrade", database_url=args.database_url)
        evac_command("seed", "demo", "--people", "0", database_url=args.database_url)
    summaries: list[Summary] = []
    failed = False
    for target in ("bare", "evac") if args.compare else (args.target,):
        tag = "S" + "".join(random.choices("ABCDEFGHJKLMNPQRSTUVWXYZ", k=5))
        households = make_households(planned, tag)
        measured, problems = measure(args, target, households, tag)
        summaries += measured
        failed = failed or bool(problems) or any(s.errors for s in measured)
    print_comparison(summaries)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
