"""``evac export``: manifests and reports for airlines, authorities and the ministry."""

from __future__ import annotations

import csv
import sys

import typer
from sqlmodel import Session

from evac.db import get_engine
from evac.flights.manifest import MANIFEST_COLUMNS, flights_by_number, manifest_csv_rows
from evac.settings import get_settings

app = typer.Typer(help="Export manifests and reports.", no_args_is_help=True)


@app.command("manifests")
def export_manifests(
    flight: str | None = typer.Option(None, "--flight", help="Flight number; all if absent"),
    fmt: str = typer.Option("csv", "--format", help="csv"),
) -> None:
    """Write one row per passenger to standard output."""
    if fmt != "csv":
        raise typer.BadParameter(f"unsupported format {fmt!r}; use csv")
    with Session(get_engine()) as session:
        flights = flights_by_number(session, flight)
        if flight and not flights:
            raise typer.BadParameter(f"no flight {flight!r}")
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(MANIFEST_COLUMNS)
        writer.writerows(manifest_csv_rows(session, flights, get_settings().home_country))
