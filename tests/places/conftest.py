"""Missions, staff and places for the place tests: Berlin covers Germany, Paris
France; ``center`` is a coordinator and ``root`` an administrator."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.places.models import Place
from evac.places.schemas import parse_place
from evac.places.service import create_place
from tests.flights.conftest import api_token, missions

__all__ = ["api_token", "make_place", "missions", "place_fields"]


def place_fields(**overrides: Any) -> dict[str, Any]:
    """A valid seaport in Port Sudan, as raw form values."""
    fields: dict[str, Any] = {
        "code": "PZU-PORT",
        "kind": "seaport",
        "name": "Port Sudan, South Quay",
        "country": "SD",
        "latitude": "19.6158",
        "longitude": "37.2164",
        "reach_km": "",
    }
    return {**fields, **overrides}


def make_place(session: Session, **overrides: Any) -> Place:
    return create_place(session, parse_place(place_fields(**overrides)), actor=SYSTEM)
