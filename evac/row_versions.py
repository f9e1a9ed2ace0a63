"""Optimistic concurrency: a change claims the row's next ``row_version``.

The claim is one conditional ``UPDATE … WHERE id = :id AND row_version = :seen``:
a page (or API client) that read an older version gets a conflict, never a
silent overwrite, and two writers racing for the same version cannot both win.
Cases, flights and the lifecycle's status changes all claim through here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

import sqlalchemy as sa
from sqlmodel import Session

from evac.db import utcnow


class Versioned(Protocol):
    id: int | None
    row_version: int


def claim_next_version(
    session: Session,
    row: Versioned,
    expected_version: int | None,
    stale: Callable[[], Exception],
    *,
    also_where: tuple[sa.ColumnElement[bool], ...] = (),
    **values: Any,
) -> int:
    """Claim ``row``'s next version (and set ``values`` in the same UPDATE), or roll
    back and raise ``stale()`` if the row changed since ``expected_version`` (by
    default the version loaded) or no longer matches ``also_where``.

    Returns the version that was claimed from; ``row`` is refreshed.
    """
    model = type(row)
    version = row.row_version if expected_version is None else expected_version
    result = session.execute(
        sa.update(model)
        .where(model.id == row.id, model.row_version == version, *also_where)  # type: ignore[arg-type]
        .values(row_version=version + 1, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        raise stale()
    session.refresh(row, ["row_version", "updated_at", *values])
    return version
