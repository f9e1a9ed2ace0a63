"""Benchmark of `evac import registrations` on a fresh SQLite database.

    python bench/import_registrations.py                  # 70,000 people, timed
    python bench/import_registrations.py --people 10000   # a smaller file
    python bench/import_registrations.py --keep DIR       # keep the CSV and database in DIR
    python bench/import_registrations.py --database-url postgresql+psycopg://…/empty_db

The CSV is made by the demo generator (fixed seed): households of 1-8 people
in the countries the demo missions cover, citizens and third-country
nationals, medical needs, registration times over two weeks. Every other
household has no coordinates, so its city is geocoded from the gazetteer,
as for an export of the e-consulate records. The command is timed as a
user runs it, in its own process, after `evac db upgrade` on a fresh SQLite
file (or on the empty database given with --database-url).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evac.demo.generator import DemoHousehold, generate_households, load_demo_missions
from evac.registration.importer import HEADER

EVAC = str(Path(sys.executable).with_name("evac"))
SEED = 2020


def _yes_no(value: bool) -> str:
    return "true" if value else "false"


def _rows(household: DemoHousehold, located: bool) -> list[list[str]]:
    rows = []
    for person in household.members:
        rows.append(
            [
                household.household_ref,
                person.given_name,
                person.family_name,
                person.date_of_birth.isoformat(),
                person.sex,
                person.nationality,
                person.document_type,
                person.document_number,
                person.document_country,
                person.document_expiry.isoformat(),
                household.phone,
                household.email or "",
                household.country,
                household.city,
                str(household.latitude) if located else "",
                str(household.longitude) if located else "",
                _yes_no(person.needs_stretcher),
                _yes_no(person.needs_wheelchair),
                _yes_no(person.needs_oxygen),
                person.medical_urgency,
                _yes_no(person.pregnant),
                household.registered_at.isoformat(),
            ]
        )
    return rows


def write_csv(path: Path, people: int) -> int:
    """Write ``people`` persons to ``path``; return the number of households."""
    households = generate_households(load_demo_missions(), people, SEED, date.today(), "TR")
    count = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for count, household in enumerate(households, start=1):
            writer.writerows(_rows(household, located=count % 2 == 0))
    return count


def _evac(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "EVAC_DATABASE_URL": database_url, "EVAC_MODE": "development"}
    return subprocess.run([EVAC, *args], capture_output=True, text=True, env=env, check=False)


def run(directory: Path, people: int, database_url: str | None) -> None:
    csv_path = directory / "registrations.csv"
    database_url = database_url or f"sqlite:///{directory / 'bench.sqlite3'}"
    households = write_csv(csv_path, people)
    size_mb = csv_path.stat().st_size / 1e6
    print(f"{csv_path}: {people} people in {households} households, {size_mb:.1f} MB")
    upgraded = _evac("db", "upgrade", database_url=database_url)
    if upgraded.returncode != 0:
        sys.exit(upgraded.stderr)
    started = time.perf_counter()
    result = _evac("import", "registrations", str(csv_path), "--json", database_url=database_url)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        sys.exit(result.stderr)
    report = json.loads(result.stdout)
    counts = {key: value for key, value in report.items() if key != "errors"}
    max_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"evac import registrations {csv_path.name} --json: {elapsed:.1f} s, {max_rss_mb:.0f} MB")
    print(json.dumps(counts))
    for error in report["errors"][:10]:
        print(f"  line {error['line']}: {error['reason']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=70_000)
    parser.add_argument("--keep", type=Path, help="directory for the CSV and the database")
    parser.add_argument("--database-url", help="an empty database instead of a SQLite file")
    args = parser.parse_args()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args.keep, args.people, args.database_url)
        return
    with tempfile.TemporaryDirectory() as directory:
        run(Path(directory), args.people, args.database_url)


if __name__ == "__main__":
    main()
