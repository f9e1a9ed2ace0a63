"""`evac --help` and every `evac X --help` start at once: they import no heavy library.

Deterministic, not timed: a fresh interpreter builds the help of every command,
then says which of the slow imports (the database layer, the web app, WeasyPrint,
numpy...) it loaded. Each command imports those only when it runs.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

SLOW_TO_IMPORT = (
    "alembic",
    "evac.db",
    "evac.web",
    "fastapi",
    "geopy",
    "httpx",
    "jinja2",
    "numpy",
    "openpyxl",
    "pydantic",
    "sqlalchemy",
    "sqlmodel",
    "uvicorn",
    "weasyprint",
)

EVERY_HELP = textwrap.dedent(
    """
    import contextlib, io, json, sys
    import typer.main
    from evac.cli.main import app

    def help_text(command, context):
        printed = io.StringIO()  # typer draws its help with rich, straight to stdout
        with contextlib.redirect_stdout(printed):
            returned = command.get_help(context)
        return (returned or "") + printed.getvalue()

    def helps(command, context):
        yield " ".join(context.command_path.split()[1:]), help_text(command, context)
        for name in command.list_commands(context) if hasattr(command, "commands") else ():
            sub = command.get_command(context, name)
            yield from helps(sub, sub.context_class(sub, info_name=name, parent=context))

    root = typer.main.get_command(app)
    texts = dict(helps(root, root.context_class(root, info_name="evac")))
    loaded = sorted({name.split(".")[0] if not name.startswith("evac.") else
                     ".".join(name.split(".")[:2]) for name in sys.modules})
    print(json.dumps({"helps": texts, "loaded": loaded}))
    """
)


def _help_of_every_command() -> tuple[dict[str, str], set[str]]:
    result = subprocess.run(
        [sys.executable, "-c", EVERY_HELP], capture_output=True, text=True, check=True, timeout=120
    )
    answer = json.loads(result.stdout)
    return answer["helps"], set(answer["loaded"])


def test_every_command_shows_its_help_without_importing_slow_libraries() -> None:
    helps, loaded = _help_of_every_command()
    assert {"", "db backup", "users create", "plan", "worker", "export manifests"} <= set(helps)
    assert "--role" in helps["users create"] and "--commit" in helps["plan"]
    assert loaded.isdisjoint(SLOW_TO_IMPORT), sorted(loaded & set(SLOW_TO_IMPORT))
