"""Streaming CSV responses: rows are written in batches, never all in memory."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

BATCH = 2000


def stream_rows(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for count, row in enumerate(rows, start=1):
        writer.writerow(row)
        if count % BATCH == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
