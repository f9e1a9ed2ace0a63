"""Two missions and their staff: Berlin covers Germany, Paris covers France."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from evac.staff.models import Role
from tests.factories import make_mission, make_staff


@pytest.fixture
def missions(session: Session) -> None:
    make_mission(session, "TR-EMB-BERLIN", ["DE"])
    make_mission(session, "TR-EMB-PARIS", ["FR", "MC"])
    make_staff(session, "berlin", Role.officer, ["TR-EMB-BERLIN"])
    make_staff(session, "paris", Role.officer, ["TR-EMB-PARIS"])
    make_staff(session, "center", Role.coordinator)
    make_staff(session, "root", Role.admin)
