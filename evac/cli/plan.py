"""``evac plan``: run the planner from the command line."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from evac.planning.service import PlanPreview

HELD_BACK_LABELS = {
    "not_verified": "waiting for verification",
    "no_travel_document": "without a travel document",
    "possible_duplicate": "possible duplicates",
}


def plan_command(
    country: str | None = typer.Option(None, "--country", help="ISO code; all countries if absent"),
    commit: bool = typer.Option(False, "--commit", help="Save the plan (otherwise only preview)"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
) -> None:
    """Seat households on flights; say who is left out, why, and what planes are missing."""
    from sqlmodel import Session

    from evac.audit.service import PLANNER
    from evac.db import get_engine, read_session
    from evac.geo.countries import is_country_code
    from evac.planning.report import plan_report
    from evac.planning.service import commit_plan, preview_plan

    if country and not is_country_code(country.upper()):
        raise typer.BadParameter(f"{country!r} is not an ISO 3166 alpha-2 country code")
    started = time.perf_counter()
    if commit:
        with Session(get_engine(), expire_on_commit=False) as session:
            preview = commit_plan(session, actor=PLANNER, country=country)
    else:
        with read_session() as session:
            preview = preview_plan(session, country)
    elapsed = time.perf_counter() - started
    report = plan_report(preview)
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    _print_summary(preview, report, "committed" if commit else "preview", elapsed)


def _print_summary(preview: PlanPreview, report: dict[str, Any], verb: str, elapsed: float) -> None:
    from evac.planning.report import reasons_count

    typer.echo(
        f"{verb}: {report['assigned_people']} people seated, "
        f"{report['unassigned_people']} left out, {len(preview.moves)} households moved "
        f"({elapsed:.1f} s)"
    )
    for reason, people in sorted(reasons_count(preview).items()):
        typer.echo(f"  left out, {reason}: {people} people")
    for reason, label in HELD_BACK_LABELS.items():
        if preview.held_back.get(reason):
            typer.echo(f"  held back, {label}: {preview.held_back[reason]} households")
    for line in _needs(report):
        typer.echo(f"  {line}")


def _needs(report: dict[str, Any]) -> list[str]:
    """What more is needed, one line each: planes per country, or vehicles per leg."""
    if report.get("planner") == "journeys":
        return [
            f"{r['leg_number']}: {r['vehicles']} more {r['mode']} of {r['seats_per_vehicle']} "
            f"seats from {r['from']} to {r['to']}, for {r['people']} people"
            for r in report["recommendations"]
            if r["kind"] == "extra_vehicles"
        ] + [
            f"{r['country']}: {r['people']} people with no route within reach"
            for r in report["recommendations"]
            if r["kind"] == "stranded"
        ]
    return [
        f"{c['country']}: {c['extra_regular_flights']} more regular, "
        f"{c['extra_ambulance_flights']} more ambulance, from {c['suggested_airport']}"
        for c in report["countries"]
        if c["extra_regular_flights"] or c["extra_ambulance_flights"]
    ]
