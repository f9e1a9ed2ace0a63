"""The ``evac`` command."""

from __future__ import annotations

import sys

import typer
from sqlalchemy.exc import OperationalError

from evac.cli import db as db_commands
from evac.cli import demo as demo_commands
from evac.cli import export as export_commands
from evac.cli import geo as geo_commands
from evac.cli import imports as import_commands
from evac.cli import retention as retention_commands
from evac.cli import users as users_commands
from evac.cli.plan import plan_command
from evac.errors import EvacError
from evac.notifications.worker import worker_command
from evac.settings import ConfigurationError

app = typer.Typer(
    name="evac",
    help="Citizen evacuation coordination.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db_commands.app, name="db")
app.add_typer(users_commands.app, name="users")
app.add_typer(demo_commands.seed_app, name="seed")
app.add_typer(import_commands.app, name="import")
app.add_typer(export_commands.app, name="export")
app.add_typer(retention_commands.app, name="retention")
app.add_typer(geo_commands.app, name="geo")
app.command("serve")(demo_commands.serve)
app.command("demo")(demo_commands.demo)
app.command("plan")(plan_command)
app.command("worker")(worker_command)


def main() -> None:
    """Run the CLI; any failure ends with a one-line reason and a non-zero exit."""
    try:
        # Without standalone mode, click returns the code of typer.Exit(n).
        sys.exit(app(standalone_mode=False) or 0)
    except typer.Exit as exit_:
        sys.exit(exit_.exit_code)
    except typer.Abort:
        typer.echo("evac: aborted", err=True)
        sys.exit(1)
    except EvacError as error:
        typer.echo(f"evac: {error.render(lambda text: text)}", err=True)
        sys.exit(2)
    except ConfigurationError as error:
        typer.echo(f"evac: {error}", err=True)
        sys.exit(2)
    except OperationalError as error:
        typer.echo(f"evac: database error: {str(error.orig).splitlines()[0]}", err=True)
        sys.exit(3)
    except Exception as error:  # a click usage error or anything unexpected
        message = error.format_message() if hasattr(error, "format_message") else repr(error)
        typer.echo(f"evac: {message}", err=True)
        sys.exit(getattr(error, "exit_code", 1) or 1)
