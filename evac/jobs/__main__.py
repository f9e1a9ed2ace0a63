"""``python -m evac.jobs JOB_ID MODULE:FUNCTION``: run one stored job, as the web server
starts it (see ``runner.start_in_process``); the database comes from ``EVAC_DATABASE_URL``."""

from __future__ import annotations

import sys

from evac.jobs.runner import find_work, run_job
from evac.logging_config import configure_logging


def main(arguments: list[str]) -> int:
    if len(arguments) != 2 or not arguments[0].isdigit():
        print(__doc__, file=sys.stderr)
        return 2
    configure_logging()
    run_job(int(arguments[0]), find_work(arguments[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
