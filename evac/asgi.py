"""The module-level application for ``uvicorn evac.asgi:app`` and its workers."""

import sys

from evac.app import create_app
from evac.logging_config import configure_logging

# A thread back from the database waits for the GIL until the running thread
# lets it go, by default after up to 5 ms. A registration makes about nine
# round trips, so under a surge it spent most of its time waiting there: at
# 1 ms the p99 of 300 registrations per second fell from 305 to 49 ms
# (docs/benchmarks.md, "Registration surge").
SWITCH_INTERVAL_SECONDS = 0.001

sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
configure_logging()
app = create_app()
