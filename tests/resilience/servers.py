"""Real processes for the crash tests: evac served by ``evac serve --workers 2``, and a
private PostgreSQL cluster that a test may crash and restart without disturbing the
shared server the rest of the suite runs on."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import httpx

EVAC = Path(sys.executable).with_name("evac")
# A generous deadline for a busy CI machine; a server that is ready answers long before.
STARTUP_LIMIT_S = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """``evac serve --workers 2`` in a process group of its own, on ``database_url``.

    ``args`` are more options for ``evac serve``; ``settings`` more EVAC_ variables.
    """

    def __init__(
        self, database_url: str, log: Path, *, args: tuple[str, ...] = (), **settings: str
    ) -> None:
        self.database_url = database_url
        self.log = log
        self.args = args
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> str:
        port = free_port()
        env = {
            **os.environ,
            "EVAC_DATABASE_URL": self.database_url,
            "EVAC_REGISTRATION_RATE_PER_IP": "0",
            "EVAC_LOG_LEVEL": "warning",
            **self.settings,
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [str(EVAC), "serve", "--workers", "2", "--port", str(port), *self.args],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.url = f"http://127.0.0.1:{port}"
        self._wait_until_healthy()
        return self.url

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + STARTUP_LIMIT_S
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"evac serve exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"evac serve did not answer: {self.log.read_text()[-2000:]}")

    def kill(self) -> None:
        """SIGKILL to the supervisor and every worker at once, as a crash would."""
        if self.process is None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.process = None


@contextmanager
def app_server(
    database_url: str, log: Path, *, args: tuple[str, ...] = (), **settings: str
) -> Iterator[AppServer]:
    server = AppServer(database_url, log, args=args, **settings)
    try:
        yield server
    finally:
        server.kill()


def _postgres_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda path: int(Path(path).parts[-3]),
    )
    if not found:
        raise RuntimeError("PostgreSQL's initdb is not installed (apt-get install postgresql)")
    return Path(found[-1]).parent


class PrivateCluster:
    """A throwaway PostgreSQL cluster listening only on a unix socket in its own directory.

    Run as the ``postgres`` OS user when the tests run as root (initdb refuses
    root), as the current user otherwise.
    """

    def __init__(self) -> None:
        self.bin = _postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="evac-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "sock"
        self.log = self.root / "postgres.log"
        self.port = 5432  # only names the socket file, inside our own directory
        self.as_postgres = os.getuid() == 0
        self.socket_dir.mkdir()
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_postgres else []
        subprocess.run(
            [*prefix, *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=60,
            start_new_session=True,
        )

    def _pg_ctl(self, action: str, *options: str) -> None:
        server_options = f"-c listen_addresses='' -k {self.socket_dir} -p {self.port}"
        self._run(
            str(self.bin / "pg_ctl"),
            action,
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "30",
            "-o",
            server_options,
            *options,
        )

    def init_and_start(self) -> None:
        self._run(
            str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-N"
        )
        self._pg_ctl("start")

    def restart_immediately(self) -> None:
        """Stop without a checkpoint (every backend killed, recovery at start), then start."""
        self._pg_ctl("restart", "-m", "immediate")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._pg_ctl("stop", "-m", "immediate")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.socket_dir}&port={self.port}"

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    cluster = PrivateCluster()
    try:
        cluster.init_and_start()
        yield cluster
    finally:
        cluster.remove()
