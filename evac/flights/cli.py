"""``evac import flights`` and ``evac import legs``: load flights, ambulance planes
and the other legs of a journey from a CSV file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from evac.flights.importer import CsvLayout, ImportReport


def import_flights(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8, with or without BOM)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON object")
    ] = False,
) -> None:
    """Import flights from a CSV file with one flight per row.

    The header names exactly these columns: flight_number, kind,
    departure_airport, destination_airport, departure_time, seats, stretchers;
    a meeting_point column may follow. departure_time is ISO 8601 with its UTC
    offset, like 2026-03-21T14:30+01:00 or 2026-03-21T13:30Z.

    Each bad row is reported with its line number and reason; the good rows are
    imported. Exit status, as for registrations: 0 when every row was imported,
    1 when some were rejected, 2 when the file cannot be read or its header is
    wrong.
    """
    from evac.flights.importer import FLIGHTS

    _run(file, dry_run=dry_run, as_json=as_json, layout=FLIGHTS)


def import_legs(
    file: Annotated[Path, typer.Argument(help="CSV file (UTF-8, with or without BOM)")],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check and report; write nothing")
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the report as one JSON object")
    ] = False,
) -> None:
    """Import legs (flights, ambulance flights, buses, ships, trains) from a CSV file.

    The header names exactly these columns: number, mode, from, to,
    departure_time, arrival_time, seats, stretchers; a meeting_point column may
    follow. mode is flight, ambulance_flight, bus, ship or train; from and to
    are an airport's IATA code or a recorded place's code (a flight goes from
    an airport to an airport). Times are ISO 8601 with their UTC offset, like
    2026-03-21T14:30+01:00; arrival_time may be empty.

    Each bad row is reported with its line number and reasons; the good rows
    are imported. Exit status: 0 when every row was imported, 1 when some were
    rejected, 2 when the file cannot be read or its header is wrong.
    """
    from evac.flights.importer import LEGS

    _run(file, dry_run=dry_run, as_json=as_json, layout=LEGS)


def _run(file: Path, *, dry_run: bool, as_json: bool, layout: CsvLayout) -> None:
    from sqlmodel import Session

    from evac.csvfiles import ImportFileError, decode_csv
    from evac.db import get_engine
    from evac.flights.importer import import_flights_csv

    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ImportFileError(f"Cannot read {file}: {error.strerror}.") from None
    with Session(get_engine(), expire_on_commit=False) as session:
        lines = io.StringIO(decode_csv(raw), newline="")
        report = import_flights_csv(session, lines, dry_run=dry_run, layout=layout)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report, layout)
    if report.rejected:
        raise typer.Exit(1)


def _print_report(report: ImportReport, layout: CsvLayout) -> None:
    for error in report.errors:
        typer.echo(f"line {error.line}: {error.reason}")
    verb = "would import" if report.dry_run else "imported"
    what = "flights" if layout.header[0] == "flight_number" else "legs"
    summary = f"{verb} {report.imported} {what}; rejected {report.rejected} rows"
    if report.rejected:
        summary += " (listed above; fix them and import those rows again)"
    typer.echo(summary)
    if report.dry_run:
        typer.echo("dry run: nothing was written")
