"""The module-level application for ``uvicorn evac.web.asgi:app`` and its workers."""

from evac.logging_config import configure_logging
from evac.web.app import create_app

configure_logging()
app = create_app()
