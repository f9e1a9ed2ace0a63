"""Coordination dashboard latency with a large database, through the real app (run by hand).

    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 evac db upgrade
    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 evac seed demo --people 100000
    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 python bench/dashboard.py

Signs in as a coordinator and requests the dashboard, with and without the
planner's recommendations, and reports p50/p95.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

os.environ.setdefault("EVAC_MODE", "development")
os.environ.setdefault("EVAC_SECRET_KEY", "bench-secret-key-long-enough-0123456789abcdef")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from case_list import PASSWORD, ensure_user, measure
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from evac.app import create_app
from evac.db import get_engine
from evac.registration.models import Person, Registration
from evac.staff.models import Role

PAGES = {
    "dashboard": "/staff/dashboard",
    "with recommendations": "/staff/dashboard?recommendations=true",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    ensure_user("bench-coordinator", Role.coordinator, [])
    with Session(get_engine()) as session:
        cases = session.exec(select(func.count()).select_from(Registration)).one()
        people = session.exec(select(func.count()).select_from(Person)).one()
    print(f"database: {get_engine().url.render_as_string(hide_password=True)}")
    print(f"{cases:,} households, {people:,} people")
    client = TestClient(create_app())
    client.post("/staff/login", data={"username": "bench-coordinator", "password": PASSWORD})
    print(f"\n{'page':<24} {'p50 ms':>8} {'p95 ms':>8}")
    for name, path in PAGES.items():
        times = sorted(measure(client, path, args.repeat))
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{name:<24} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
