"""``evac geo``: the offline place data."""

from __future__ import annotations

import time

import typer

app = typer.Typer(help="Offline place data.", no_args_is_help=True)


@app.command("index")
def index(
    rebuild: bool = typer.Option(False, "--rebuild", help="Build it even if it is up to date."),
) -> None:
    """Build the city index that the web workers map (once per installation).

    Without it, the first worker to need a city builds it while the others wait.
    """
    from evac.geo.city_index import index_path, open_city_index
    from evac.geo.gazetteer import DEFAULT_MIN_POPULATION
    from evac.settings import get_settings

    directory = get_settings().cache_dir
    started = time.perf_counter()
    cities = len(open_city_index(directory, DEFAULT_MIN_POPULATION, rebuild=rebuild))
    path = index_path(directory, DEFAULT_MIN_POPULATION)
    typer.echo(
        f"city index {path}: {cities:,} cities, {path.stat().st_size / 2**20:.0f} MB, "
        f"ready in {time.perf_counter() - started:.1f} s"
    )
