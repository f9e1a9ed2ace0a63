"""`evac demo` brings a working demo up on SQLite and says how to log in."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

EVAC = str(Path(sys.executable).with_name("evac"))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _read_until(process: subprocess.Popen[str], pattern: str, timeout: float) -> str:
    seen = ""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        line = process.stdout.readline()  # type: ignore[union-attr]
        if not line and process.poll() is not None:
            break
        seen += line
        if re.search(pattern, seen):
            return seen
    raise AssertionError(f"never printed {pattern!r}; got:\n{seen}")


def _wait_for_health(url: str, timeout: float) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        try:
            return httpx.get(f"{url}/healthz", timeout=30)
        except httpx.TransportError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_demo_upgrades_seeds_prints_login_and_serves(tmp_path: Path) -> None:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("EVAC_")}
    process = subprocess.Popen(
        [EVAC, "demo", "--port", str(port), "--people", "200"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        output = _read_until(process, r"login\s+officer / \S+", timeout=120)
        url = f"http://127.0.0.1:{port}"
        assert url in output
        assert re.search(r"login\s+admin / \S+", output)
        assert (tmp_path / "evac.sqlite3").exists()
        assert (tmp_path / "evac-demo.json").stat().st_mode & 0o077 == 0
        assert _wait_for_health(url, timeout=60).status_code == 200
        assert "evac" in httpx.get(url, timeout=60).text
    finally:
        process.terminate()
        process.wait(timeout=30)
