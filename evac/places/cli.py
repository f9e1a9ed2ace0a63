"""``evac import places``: load assembly points, seaports, border crossings, railway
stations and airports' reach from a CSV file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from evac.places.importer import ImportReport


def import_places(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8, with or without BOM)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON object")
    ] = False,
) -> None:
    """Import places from a CSV file with one place per row.

    The header names exactly these columns: code, kind, name, country,
    latitude, longitude, reach_km. kind is airport, assembly_point, seaport,
    border_crossing or rail_station. An airport row gives its IATA code (its
    name, country and coordinates may be empty); any other place a code of 4 to
    12 letters, digits and '-' (KRT-1, PZU-PORT). An empty reach_km means the
    default (EVAC_MAX_AIRPORT_DISTANCE_KM for airports, EVAC_LOCAL_REACH_KM for
    the others).

    A code already recorded is updated from its row. Each bad row is reported
    with its line number and reasons; the good rows are imported. Exit status:
    0 when every row was imported, 1 when some were rejected, 2 when the file
    cannot be read or its header is wrong.
    """
    from sqlmodel import Session

    from evac.csvfiles import ImportFileError, decode_csv
    from evac.db import get_engine
    from evac.places.importer import import_places_csv

    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ImportFileError(f"Cannot read {file}: {error.strerror}.") from None
    with Session(get_engine(), expire_on_commit=False) as session:
        report = import_places_csv(
            session, io.StringIO(decode_csv(raw), newline=""), dry_run=dry_run
        )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    if report.rejected:
        raise typer.Exit(1)


def _print_report(report: ImportReport) -> None:
    for error in report.errors:
        typer.echo(f"line {error.line}: {error.reason}")
    verb = "would add" if report.dry_run else "added"
    changed = "would update" if report.dry_run else "updated"
    summary = (
        f"{verb} {report.created} places, {changed} {report.updated}, "
        f"{report.unchanged} unchanged; rejected {report.rejected} rows"
    )
    if report.rejected:
        summary += " (listed above; fix them and import those rows again)"
    typer.echo(summary)
    if report.dry_run:
        typer.echo("dry run: nothing was written")
