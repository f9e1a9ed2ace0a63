"""``evac users``: staff accounts."""

from __future__ import annotations

import sys

import typer
from sqlmodel import Session

from evac.audit.service import SYSTEM
from evac.db import get_engine
from evac.staff.models import Role
from evac.staff.service import create_staff_user

app = typer.Typer(help="Staff accounts.", no_args_is_help=True)


def _read_password() -> str:
    """From the terminal (asked twice) or from one line of standard input."""
    if sys.stdin.isatty():
        return typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@app.command("create")
def create(
    username: str,
    role: Role = typer.Option(..., "--role", help="officer, coordinator or admin"),
    mission: list[str] = typer.Option([], "--mission", help="Mission code; repeat for several"),
    full_name: str | None = typer.Option(None, "--full-name"),
) -> None:
    """Create a staff account. The password is read from a prompt or stdin, never argv."""
    password = _read_password()
    with Session(get_engine()) as session:
        user = create_staff_user(
            session,
            username=username,
            password=password,
            role=role,
            mission_codes=mission,
            full_name=full_name,
            actor=SYSTEM,
        )
        session.commit()
        typer.echo(f"created {user.role} {user.username}")
