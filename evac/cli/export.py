"""``evac export``: manifests and reports for airlines, authorities and the ministry."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import typer

if TYPE_CHECKING:
    from sqlmodel import Session

    from evac.flights.models import Flight
    from evac.staff.auth import StaffContext

app = typer.Typer(help="Export manifests and reports.", no_args_is_help=True)


@app.command("manifests")
def export_manifests(
    flight: str | None = typer.Option(None, "--flight", help="Flight number; all if absent"),
    fmt: str = typer.Option("csv", "--format", help="csv, pdf or paxlst"),
    out: Path | None = typer.Option(None, "--out", help="File to write; standard output if absent"),
) -> None:
    """Passenger manifests: CSV (one row per passenger), PDF, or UN/EDIFACT PAXLST.

    Without --flight, PAXLST covers every flight and ship (road and rail legs
    have no border file).
    """
    if fmt not in ("csv", "pdf", "paxlst"):
        raise typer.BadParameter(f"unsupported format {fmt!r}; use csv, pdf or paxlst")
    if fmt == "pdf" and out is None:
        raise typer.BadParameter("a PDF needs --out FILE")
    from evac.db import read_session
    from evac.flights.journey_legs import is_convoy
    from evac.flights.manifest import (
        MANIFEST_COLUMNS,
        flights_by_number,
        manifest_csv_rows,
    )
    from evac.settings import get_settings
    from evac.spreadsheet import write_csv

    home = get_settings().home_country
    with read_session() as session:
        flights = flights_by_number(session, flight)
        if flight and not flights:
            raise typer.BadParameter(f"no flight {flight!r}")
        if fmt == "paxlst":
            if not flight:  # every leg that border authorities take a PAXLST for
                flights = [f for f in flights if not is_convoy(f)]
            text = _paxlst_or_exit(session, flights)
            with _output(out) as stream:
                stream.write(text + "\n")
            return
        if fmt == "pdf":
            _write_pdf(session, flights, out)  # type: ignore[arg-type]
            return
        with _output(out) as stream:
            write_csv(stream, MANIFEST_COLUMNS, manifest_csv_rows(session, flights, home))


def _write_pdf(session: Session, flights: list[Flight], out: Path) -> None:
    from evac.db import utcnow
    from evac.flights.documents import manifest_pdf  # WeasyPrint: slow to import
    from evac.flights.manifest import build_manifest
    from evac.settings import get_settings

    home = get_settings().home_country
    manifests = [build_manifest(session, f, home) for f in flights]
    out.write_bytes(manifest_pdf(manifests, utcnow()))


def _paxlst_or_exit(session: Session, flights: list[Flight]) -> str:
    """The PAXLST text, or a one-line reason on standard error and exit status 1."""
    from evac.db import utcnow
    from evac.flights.manifest import build_manifest, paxlst_for
    from evac.flights.paxlst import PaxlstRefused
    from evac.settings import get_settings

    home = get_settings().home_country
    manifests = [build_manifest(session, f, home) for f in flights]
    try:
        return paxlst_for(manifests, generated_at=utcnow())
    except PaxlstRefused as refused:
        typer.echo(f"error: {refused.render(str)}", err=True)
        raise typer.Exit(1) from None


@app.command("cases")
def export_cases(
    fmt: str = typer.Option("csv", "--format", help="csv or xlsx"),
    out: Path | None = typer.Option(None, "--out", help="File to write; standard output for CSV"),
) -> None:
    """Every case, one row per person, as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise typer.BadParameter(f"unsupported format {fmt!r}; use csv or xlsx")
    if fmt == "xlsx" and out is None:
        raise typer.BadParameter("an XLSX file needs --out FILE")
    from evac.cases.export import COLUMNS, case_rows
    from evac.cases.search import CaseQuery
    from evac.column_words import column_headings
    from evac.db import read_session
    from evac.i18n import get_translations
    from evac.settings import get_settings
    from evac.spreadsheet import write_csv, write_xlsx

    settings = get_settings()
    with read_session() as session:
        rows = case_rows(session, every_country(), CaseQuery(), settings.home_country)
        if fmt == "xlsx":
            words = get_translations(settings.default_language).gettext
            written = write_xlsx("cases", column_headings(COLUMNS, words), rows)
            shutil.move(written, out)  # type: ignore[arg-type]
            return
        with _output(out) as stream:
            write_csv(stream, COLUMNS, rows)


@app.command("journeys")
def export_journeys(
    fmt: str = typer.Option("csv", "--format", help="csv"),
    out: Path | None = typer.Option(None, "--out", help="File to write; standard output if absent"),
) -> None:
    """Every seated person's journey: one row per person per leg, as CSV.

    Columns: reference, document_number, leg_number, mode, from, to,
    departure_time, arrival_time (ISO 8601, UTC), stretcher (Y/N).
    """
    if fmt != "csv":
        raise typer.BadParameter(f"unsupported format {fmt!r}; use csv")
    from evac.db import read_session
    from evac.flights.journey_export import JOURNEY_COLUMNS, journey_rows
    from evac.spreadsheet import write_csv

    with read_session() as session, _output(out) as stream:
        write_csv(stream, JOURNEY_COLUMNS, journey_rows(session))


def every_country() -> StaffContext:
    """The command line is run by the system's operators: it sees every country."""
    from evac.staff.auth import StaffContext
    from evac.staff.roles import Role

    return StaffContext(
        user_id=0,
        username="cli",
        role=Role.coordinator,
        mission_ids=(),
        countries=(),
        csrf_token="",
    )


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    if out is None:
        yield sys.stdout
        return
    with out.open("w", encoding="utf-8", newline="") as stream:
        yield stream
