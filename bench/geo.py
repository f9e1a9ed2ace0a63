"""How long the gazetteer takes to load and to answer, and what it costs in memory.

    .venv/bin/python bench/geo.py            # the default extract
    .venv/bin/python bench/geo.py 500 1000 5000 15000

Each extract is loaded in a fresh process so that memory figures are its own.
"""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

QUERIES = [
    "k", "ko", "köln", "Cologne", "istanbul", "İSTANBUL", "Sanliurfa", "القاهرة",
    "s", "sa", "san", "new y", "am main", "Москва", "東京", "zzqxw", "par", "a",
]  # fmt: skip


def resident_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 2**20


def measure(min_population: int) -> dict[str, float]:
    """Load one extract in this process and time suggestions against it."""
    from evac.geo.airports import nearest_airports
    from evac.geo.gazetteer import load_gazetteer

    before = resident_mib()
    started = time.perf_counter()
    gazetteer = load_gazetteer(min_population)
    load_s = time.perf_counter() - started
    after = resident_mib()
    timings = []
    for _ in range(20):
        for query in QUERIES:
            started = time.perf_counter()
            gazetteer.suggest(query, None, 10)
            timings.append((time.perf_counter() - started) * 1000)
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
