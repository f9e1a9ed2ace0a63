"""How long the gazetteer takes to open and to answer, and what it costs in memory.

    .venv/bin/python bench/geo.py            # the default extract
    .venv/bin/python bench/geo.py 500 1000 5000 15000

Each extract is opened in a fresh process so that memory figures are its own
(its index is built first if EVAC_CACHE_DIR has none). A heartbeat thread
wakes every millisecond meanwhile: its longest lateness is about the longest
time the GIL was held by the opening or by the look-ups, beside its lateness
while the process does nothing (the floor, which a busy machine raises).
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

QUERIES = [
    "k", "ko", "köln", "Cologne", "istanbul", "İSTANBUL", "Sanliurfa", "القاهرة",
    "s", "sa", "san", "new y", "am main", "Москва", "東京", "zzqxw", "par", "a",
]  # fmt: skip


def resident_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def longest_stall_ms(work: Callable[[], object]) -> float:
    """The longest a thread waking every millisecond was kept waiting during ``work``."""
    done = threading.Event()
    worst = [0.0]

    def heartbeat() -> None:
        while not done.is_set():
            started = time.perf_counter()
            time.sleep(0.001)
            worst[0] = max(worst[0], (time.perf_counter() - started) * 1000 - 1)

    thread = threading.Thread(target=heartbeat)
    thread.start()
    try:
        work()
    finally:
        done.set()
        thread.join()
    return worst[0]


def measure(min_population: int) -> dict[str, float]:
    """Open one extract in this process and time suggestions against it."""
    from evac.geo.airports import nearest_airports
    from evac.geo.gazetteer import load_gazetteer

    idle_stall_ms = longest_stall_ms(lambda: time.sleep(1))
    before = resident_mib()
    started = time.perf_counter()
    open_stall_ms = longest_stall_ms(lambda: load_gazetteer(min_population))
    load_s = time.perf_counter() - started
    gazetteer = load_gazetteer(min_population)
    after = resident_mib()
    timings: list[float] = []

    def suggestions() -> None:
        for _ in range(20):
            for query in QUERIES:
                started = time.perf_counter()
                gazetteer.suggest(query, None, 10)
                timings.append((time.perf_counter() - started) * 1000)

    suggest_stall_ms = longest_stall_ms(suggestions)
    started = time.perf_counter()
    for _ in range(100):
        gazetteer.nearest(41.0, 28.97)
    reverse_ms = (time.perf_counter() - started) * 10
    started = time.perf_counter()
    for _ in range(100):
        nearest_airports(41.0, 28.97, None, 3)
    airports_ms = (time.perf_counter() - started) * 10
    timings.sort()
    return {
        "min_population": min_population,
        "cities": len(gazetteer),
        "load_s": round(load_s, 2),
        "resident_mib": round(after - before),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "suggest_median_ms": round(statistics.median(timings), 3),
        "suggest_p99_ms": round(timings[int(len(timings) * 0.99)], 3),
        "suggest_max_ms": round(timings[-1], 3),
        "gil_stall_idle_ms": round(idle_stall_ms, 1),
        "gil_stall_open_ms": round(open_stall_ms, 1),
        "gil_stall_suggest_ms": round(suggest_stall_ms, 1),
        "reverse_ms": round(reverse_ms, 2),
        "nearest_airports_ms": round(airports_ms, 2),
    }


def main(arguments: list[str]) -> None:
    if arguments[:1] == ["--one"]:
        print(json.dumps(measure(int(arguments[1]))))
        return
    from evac.geo.gazetteer import DEFAULT_MIN_POPULATION

    for extract in arguments or [str(DEFAULT_MIN_POPULATION)]:
        result = subprocess.run(
            [sys.executable, __file__, "--one", extract],
            check=True,
            capture_output=True,
            text=True,
        )
        print(result.stdout.strip())


if __name__ == "__main__":
    main(sys.argv[1:])
