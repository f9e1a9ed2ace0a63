"""``evac seed demo``, ``evac serve`` and ``evac demo``."""

from __future__ import annotations

import json
import os
import secrets
import time
from datetime import date
from pathlib import Path

import typer

from evac.staff.roles import Role

seed_app = typer.Typer(help="Load data.", no_args_is_help=True)

DEMO_STATE_FILE = "evac-demo.json"
DEMO_PEOPLE = 2000
DEMO_ACCOUNTS = (
    ("admin", Role.admin, ()),
    ("coordinator", Role.coordinator, ()),
    ("officer", Role.officer, ("TR-EMB-BERLIN", "TR-CG-FRANKFURT")),
)


@seed_app.command("demo")
def seed_demo_command(
    people: int = typer.Option(DEMO_PEOPLE, "--people", min=0, help="Synthetic people to create"),
    seed: int = typer.Option(2020, "--seed", help="Same seed, same data"),
) -> None:
    """Missions, real airports, demo flights and N synthetic households (deterministic)."""
    from sqlmodel import Session

    from evac.db import get_engine
    from evac.demo.loader import seed_demo
    from evac.settings import get_settings

    started = time.perf_counter()
    with Session(get_engine()) as session:
        summary = seed_demo(
            session,
            people=people,
            seed=seed,
            today=date.today(),  # noqa: DTZ011  (the demo's flights start from the local today)
            home_country=get_settings().home_country,
        )
        session.commit()
    typer.echo(
        f"seeded {summary.missions} missions, {summary.flights} flights, "
        f"{summary.households} households, {summary.people} people "
        f"in {time.perf_counter() - started:.1f} s"
    )


def serve(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    workers: int = typer.Option(1, "--workers", min=1),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        help="Reverse proxies (addresses or networks, comma-separated) whose "
        "X-Forwarded-For is believed; default EVAC_FORWARDED_ALLOW_IPS, empty: none",
    ),
) -> None:
    """Serve the web application (several worker processes with --workers)."""
    import uvicorn

    from evac import migrations
    from evac.db import get_engine
    from evac.settings import get_settings

    if forwarded_allow_ips is not None:
        # Workers are separate processes that build the app from the environment.
        os.environ["EVAC_FORWARDED_ALLOW_IPS"] = forwarded_allow_ips
        get_settings.cache_clear()
    settings = get_settings()
    settings.require_safe_secret()
    if not migrations.is_up_to_date(get_engine()):
        raise typer.BadParameter("the database schema is not up to date: run `evac db upgrade`")
    _prepare_city_index(settings.cache_dir)
    uvicorn.run(
        "evac.asgi:app",
        host=host,
        port=port,
        workers=workers,
        # Off: uvicorn would believe X-Forwarded-For from 127.0.0.1. The app
        # itself honours it from EVAC_FORWARDED_ALLOW_IPS only (evac/app.py).
        proxy_headers=False,
        log_level=os.environ.get("EVAC_LOG_LEVEL", "info").lower(),
    )


def _prepare_city_index(cache_dir: Path) -> None:
    """Build the city index before any worker listens, if this installation has none.

    Otherwise the first registrations of a first start wait for the build
    (about 8 s) and some are refused as overload; a later start only checks it.
    """
    from evac.geo.city_index import open_city_index
    from evac.geo.gazetteer import DEFAULT_MIN_POPULATION

    open_city_index(cache_dir, DEFAULT_MIN_POPULATION)


def _demo_state(path: Path) -> dict[str, str]:
    """The demo's secret and passwords, made once and kept beside the database."""
    if path.exists():
        return json.loads(path.read_text())
    state = {"secret_key": secrets.token_urlsafe(48)}
    state.update({name: secrets.token_urlsafe(12) for name, _role, _m in DEMO_ACCOUNTS})
    path.write_text(json.dumps(state, indent=2))
    path.chmod(0o600)
    return state


def _ensure_demo_accounts(state: dict[str, str]) -> None:
    from sqlmodel import Session, select

    from evac.audit.service import SYSTEM
    from evac.db import get_engine
    from evac.staff.models import StaffUser
    from evac.staff.service import create_staff_user

    with Session(get_engine()) as session:
        for username, role, missions in DEMO_ACCOUNTS:
            exists = session.exec(select(StaffUser).where(StaffUser.username == username)).first()
            if not exists:
                create_staff_user(
                    session,
                    username=username,
                    password=state[username],
                    role=role,
                    mission_codes=missions,
                    actor=SYSTEM,
                )
        session.commit()


def _local_url(host: str, port: int) -> str:
    """Where a browser on this machine reaches a server listening on ``host``."""
    if host in ("0.0.0.0", "::", ""):  # noqa: S104  (listening everywhere, reached locally)
        host = "127.0.0.1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def demo(
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    people: int = typer.Option(DEMO_PEOPLE, "--people", min=0),
) -> None:
    """Upgrade, seed if empty, create demo accounts, print the URL and logins, serve."""
    from sqlmodel import Session, func, select

    from evac import migrations
    from evac.db import get_engine
    from evac.registration.models import Registration
    from evac.settings import Mode, get_settings

    state = _demo_state(Path.cwd() / DEMO_STATE_FILE)
    url = _local_url(host, port)
    os.environ["EVAC_MODE"] = Mode.demo.value
    os.environ.setdefault("EVAC_SECRET_KEY", state["secret_key"])
    os.environ.setdefault("EVAC_PUBLIC_URL", url)
    get_settings.cache_clear()
    engine = get_engine()
    migrations.upgrade(engine)
    with Session(engine) as session:
        empty = not session.exec(select(func.count()).select_from(Registration)).one()
    if empty:
        seed_demo_command(people=people, seed=2020)
    _ensure_demo_accounts(state)
    typer.echo(f"\nevac demo on {get_settings().database_url}\n")
    typer.echo(f"  open       {url}")
    typer.echo(f"  register   {url}/register")
    typer.echo(f"  staff      {url}/staff/login")
    for username, role, _missions in DEMO_ACCOUNTS:
        typer.echo(f"  login      {username} / {state[username]}   ({role})")
    typer.echo(f"  (logins are kept in {DEMO_STATE_FILE})\n")
    serve(host=host, port=port, workers=1, forwarded_allow_ips=None)
