"""``evac import``: bulk loading from CSV files."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from evac.flights.cli import import_flights, import_legs
from evac.places.cli import import_places

if TYPE_CHECKING:
    from evac.registration.importer import ImportReport

app = typer.Typer(help="Import data from CSV files.", no_args_is_help=True)

EXIT_SOME_REJECTED = 1


@app.command("registrations")
def registrations(
    file: Path = typer.Argument(..., help="CSV file (UTF-8, with or without BOM)"),
    dry_run: bool = typer.Option(False, "--dry-run", help="Check and report; write nothing"),
    as_json: bool = typer.Option(False, "--json", help="Print the report as one JSON object"),
) -> None:
    """Import households from a CSV file with one row per person.

    The header must name exactly these columns: household_ref, given_name,
    family_name, date_of_birth, sex, nationality, document_type,
    document_number, document_country, document_expiry, phone, email, country,
    city, latitude, longitude, needs_stretcher, needs_wheelchair,
    needs_oxygen, medical_urgency, pregnant, registered_at.

    Rows with the same household_ref form one household; its contact and
    location come from its first row, and its city is located when latitude
    and longitude are empty. Yes/no columns take true/false, yes/no, 1/0 or
    evet/hayır. A household with any bad row is not imported; every bad row is
    listed with its line number.

    Exit status: 0 when every household was imported, 1 when some were
    rejected (the others are imported), 2 when the file cannot be read.
    """
    from sqlmodel import Session

    from evac.csvfiles import ImportFileError, decode_csv
    from evac.db import get_engine, utcnow
    from evac.registration.importer import import_registrations
    from evac.registration.places import geocode_for_registration
    from evac.settings import get_settings

    try:
        raw = file.read_bytes()
    except OSError as error:
        raise ImportFileError(f"Cannot read {file}: {error.strerror}.") from None
    settings = get_settings()
    with Session(get_engine(), expire_on_commit=False) as session:
        report = import_registrations(
            session,
            io.StringIO(decode_csv(raw), newline=""),
            dry_run=dry_run,
            today=utcnow().date(),
            home_country=settings.home_country,
            geocode=geocode_for_registration,
            language=settings.default_language,
        )
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        _print_report(report)
    if report.households_rejected:
        raise typer.Exit(EXIT_SOME_REJECTED)


def _print_report(report: ImportReport) -> None:
    for error in report.errors:
        household = f" (household {error.household_ref})" if error.household_ref else ""
        typer.echo(f"line {error.line}{household}: {error.reason}")
    verb = "would import" if report.dry_run else "imported"
    typer.echo(
        f"{verb} {report.households_imported} households ({report.people_imported} people); "
        f"rejected {report.households_rejected} households ({report.people_rejected} people)"
    )
    if report.households_not_located:
        typer.echo(
            f"{report.households_not_located} households have no coordinates: "
            "their city is not in the gazetteer"
        )
    if report.dry_run:
        typer.echo("dry run: nothing was written")


app.command("flights")(import_flights)
app.command("legs")(import_legs)
app.command("places")(import_places)
