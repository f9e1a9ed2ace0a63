"""Exports of 100,000 people: CLI and HTTP, CSV and XLSX (run by hand).

EVAC_DATABASE_URL=sqlite:////tmp/b100k.sqlite3 python bench/exports.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("EVAC_MODE", "development")
os.environ.setdefault("EVAC_SECRET_KEY", "bench-secret-key-long-enough-0123456789abcdef")

from fastapi.testclient import TestClient

from bench.case_list import PASSWORD, ensure_user
from evac.app import create_app
from evac.staff.models import Role

EVAC = str(Path(sys.executable).with_name("evac"))


def timed(label: str, action) -> None:
    started = time.perf_counter()
    size = action()
    print(f"{label:<28} {time.perf_counter() - started:6.2f} s  {size:>12,} bytes")


def cli(fmt: str) -> int:
    out = Path(tempfile.mkdtemp()) / f"cases.{fmt}"
    subprocess.run([EVAC, "export", "cases", "--format", fmt, "--out", str(out)], check=True)
    return out.stat().st_size


def main() -> None:
    ensure_user("bench-coordinator", Role.coordinator, [])
    client = TestClient(create_app())
    client.post("/staff/login", data={"username": "bench-coordinator", "password": PASSWORD})
    timed("CLI  csv", lambda: cli("csv"))
    timed("CLI  xlsx", lambda: cli("xlsx"))
    timed(
        "HTTP /staff/reports/cases.csv", lambda: len(client.get("/staff/reports/cases.csv").content)
    )
    timed(
        "HTTP /staff/reports/cases.xlsx",
        lambda: len(client.get("/staff/reports/cases.xlsx").content),
    )


if __name__ == "__main__":
    main()
