"""Case list latency with a large database, through the real app (run by hand).

    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 evac db upgrade
    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 evac seed demo --people 100000
    EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 python bench/case_list.py

Signs in as a coordinator (all countries) and as an officer (Germany, the
largest country), requests typical list pages and reports p50/p95 per query.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("EVAC_MODE", "development")
os.environ.setdefault("EVAC_SECRET_KEY", "bench-secret-key-long-enough-0123456789abcdef")

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from evac.app import create_app
from evac.audit.service import SYSTEM
from evac.db import get_engine
from evac.registration.models import Person, Registration
from evac.staff.models import Role, StaffUser
from evac.staff.service import create_staff_user

PASSWORD = "bench-password-123"


def ensure_user(username: str, role: Role, missions: list[str]) -> None:
    with Session(get_engine()) as session:
        if session.exec(select(StaffUser).where(StaffUser.username == username)).first():
            return
        create_staff_user(
            session, username=username, password=PASSWORD, role=role,
            mission_codes=missions, actor=SYSTEM,
        )  # fmt: skip
        session.commit()


def sample_values() -> dict[str, str]:
    with Session(get_engine()) as session:
        case = session.exec(
            select(Registration).where(Registration.country == "DE").offset(500)
        ).first()
        person = session.exec(select(Person).where(Person.registration_id == case.id)).first()
    return {
        "reference": case.reference,
        "family": person.family_name,
        "document": person.document_number,
        "phone": case.phone[-9:],
    }


def queries(values: dict[str, str]) -> dict[str, str]:
    return {
        "first page": "",
        "country DE": "?country=DE",
        "status verified": "?status=verified",
        "tier 1, oldest first": "?tier=1&sort=registered",
        "TCN + medical": "?citizen=no&medical=yes",
        "name search": f"?q={values['family'].lower()}",
        "name prefix (folded)": "?q=oz",
        "reference": f"?q={values['reference']}",
        "document number": f"?q={values['document']}",
        "phone": f"?q={values['phone']}",
        "page 200": "?page=200",
    }


def measure(client: TestClient, path: str, repeat: int) -> list[float]:
    client.get(path)  # warm the caches
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    ensure_user("bench-coordinator", Role.coordinator, [])
    ensure_user("bench-officer", Role.officer, ["TR-EMB-BERLIN"])
    values = sample_values()
    print(f"database: {get_engine().url.render_as_string(hide_password=True)}")
    for username in ("bench-coordinator", "bench-officer"):
        client = TestClient(create_app())
        client.post("/staff/login", data={"username": username, "password": PASSWORD})
        print(f"\n{username}: {'query':<24} {'p50 ms':>8} {'p95 ms':>8}")
        for name, query in queries(values).items():
            times = sorted(measure(client, f"/staff/cases{query}", args.repeat))
            p95 = times[int(len(times) * 0.95) - 1]
            print(f"{'':<{len(username) + 2}}{name:<24} {statistics.median(times):8.1f} {p95:8.1f}")


if __name__ == "__main__":
    main()
