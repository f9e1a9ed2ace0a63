"""``evac users``: staff accounts."""

from __future__ import annotations

import sys

import typer

from evac.staff.roles import Role

# Who acts when a token is made at the server's command line, in the audit log.
COMMAND_LINE = "cli"

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
    from sqlmodel import Session

    from evac.audit.service import SYSTEM
    from evac.db import get_engine
    from evac.staff.service import create_staff_user

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


@app.command("token")
def token(
    username: str,
    name: str = typer.Option("command line", "--name", help="What the token is for"),
    expires_days: int | None = typer.Option(
        None, "--expires-days", min=1, help="At most 365; default: EVAC_API_TOKEN_DAYS"
    ),
) -> None:
    """Print a new personal API token for USERNAME, for scripts and monitoring (audited)."""
    from sqlmodel import Session, select

    from evac.db import get_engine
    from evac.errors import InvalidInput, NotFound
    from evac.staff.models import StaffUser
    from evac.staff.tokens import create_api_token

    with Session(get_engine()) as session:
        user = session.exec(
            select(StaffUser).where(StaffUser.username == username.strip().lower())
        ).first()
        if user is None:
            raise NotFound(f"No staff account is named {username!r}.")
        if not user.is_active:
            raise InvalidInput(f"The account {user.username!r} is deactivated.")
        api_token, raw = create_api_token(
            session,
            user_id=user.id,  # type: ignore[arg-type]
            name=name,
            actor=COMMAND_LINE,
            days=expires_days,
        )
        typer.echo(raw)
        typer.echo(f"expires {api_token.expires_at:%Y-%m-%d %H:%M} UTC", err=True)
