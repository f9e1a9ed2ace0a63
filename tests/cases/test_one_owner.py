"""Case and seat statuses are written by evac/lifecycle alone."""

from __future__ import annotations

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "evac"
# Creating a registration sets its first status; the demo seeds synthetic data.
ALLOWED = {PACKAGE / "registration" / "service.py", *(PACKAGE / "demo").glob("*.py")}
WRITES = re.compile(
    r"(\b(case|registration|seat|assignment|duplicate|kept)\.status\s*=[^=])"
    r"|(status\s*=\s*(CaseStatus|AssignmentStatus)\.)"
    r"|(\"status\"\s*:\s*(CaseStatus|AssignmentStatus)\.)"
    r"|(values\(\s*status\s*=)"
)


def test_no_module_outside_the_lifecycle_writes_a_case_or_seat_status() -> None:
    offenders = [
        f"{path.relative_to(PACKAGE.parent)}:{number}: {line.strip()}"
        for path in PACKAGE.rglob("*.py")
        if "lifecycle" not in path.parts and path not in ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if WRITES.search(line)
    ]
    assert offenders == []
