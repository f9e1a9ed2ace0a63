"""The ``evac`` command.

It must start at once: ``evac --help`` and every ``evac X --help`` import typer
and nothing of the database layer, the web app, WeasyPrint or numpy. Each
command imports what it needs when it runs (tests/foundation/test_cli_startup.py
checks it).
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, cast

import typer

from evac.cli import db as db_commands
from evac.cli import demo as demo_commands
from evac.cli import export as export_commands
from evac.cli import geo as geo_commands
from evac.cli import imports as import_commands
from evac.cli import retention as retention_commands
from evac.cli import users as users_commands
from evac.cli.plan import plan_command
from evac.cli.worker import worker_command

if TYPE_CHECKING:
    from sqlalchemy.exc import OperationalError

    from evac.errors import EvacError

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
    except Exception as error:
        reason, status = _failure(error)
        typer.echo(f"evac: {reason}", err=True)
        sys.exit(status)


def _failure(error: Exception) -> tuple[str, int]:
    """The one-line reason and the exit status for an error that ended a command."""
    if _raised_from(error, "evac.errors", "EvacError"):
        return cast("EvacError", error).render(lambda text: text), 2
    if _raised_from(error, "evac.settings", "ConfigurationError"):
        return str(error), 2
    if _raised_from(error, "sqlalchemy.exc", "OperationalError"):
        first_line = str(cast("OperationalError", error).orig).splitlines()[0]
        return f"database error: {first_line}", 3
    # a click usage error or anything unexpected
    message = error.format_message() if hasattr(error, "format_message") else repr(error)
    return message, getattr(error, "exit_code", 1) or 1


def _raised_from(error: Exception, module: str, name: str) -> bool:
    """Whether ``error`` is a ``module.name``, without importing ``module``: an error
    of a module that was never imported cannot have been raised, and importing it to
    check would slow down every mistyped option."""
    loaded = sys.modules.get(module)
    return loaded is not None and isinstance(error, getattr(loaded, name))
