"""`evac serve` has the city index ready before any worker listens."""

from __future__ import annotations

from pathlib import Path

import pytest
import uvicorn

from evac import migrations
from evac.cli import demo as demo_commands
from evac.geo import city_index
from evac.settings import get_settings


def test_serve_prepares_the_city_index_before_the_workers_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("EVAC_SECRET_KEY", "s" * 48)
    monkeypatch.setenv("EVAC_CACHE_DIR", str(tmp_path))
    get_settings.cache_clear()
    steps: list[str] = []
    monkeypatch.setattr(migrations, "is_up_to_date", lambda engine: True)
    monkeypatch.setattr(
        city_index,
        "open_city_index",
        lambda directory, min_population: steps.append(f"index in {directory}"),
    )
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: steps.append("workers"))
    try:
        demo_commands.serve(host="127.0.0.1", port=8000, workers=2, forwarded_allow_ips=None)
    finally:
        get_settings.cache_clear()
    assert steps == [f"index in {tmp_path}", "workers"]
