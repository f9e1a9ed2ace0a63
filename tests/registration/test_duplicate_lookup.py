"""The duplicate lookup on every registration searches indexes, never every person."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from evac.registration.duplicates import find_known


def _lookup_plan(session: Session, people: list[dict[str, Any]]) -> str:
    """The database's plan for the statement ``find_known`` sends for ``people``."""
    seen: list[tuple[str, Any]] = []
    engine = session.get_bind()

    def capture(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, parameters))

    sa.event.listen(engine, "before_cursor_execute", capture)
    try:
        find_known(session, people)
    finally:
        sa.event.remove(engine, "before_cursor_execute", capture)
    statement, parameters = seen[-1]
    connection = session.connection()
    if engine.dialect.name == "sqlite":
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return "\n".join(str(row[-1]) for row in rows)
    # PostgreSQL prefers a scan of a small table: forbid it to see whether an index serves.
    connection.exec_driver_sql("SET LOCAL enable_seqscan = off")
    rows = connection.exec_driver_sql("EXPLAIN " + statement, parameters)
    return "\n".join(str(row[0]) for row in rows)


def _person(name_key: str, born: date, number: str, kind: str = "P") -> dict[str, Any]:
    return {
        "name_key": name_key,
        "date_of_birth": born,
        "document_number_key": number,
        "document_country": "TR",
        "document_type": kind,
    }


def test_a_registration_looks_up_names_and_documents_through_indexes(session: Session) -> None:
    people = [
        _person("ayse yilmaz", date(1984, 5, 12), "U1234567"),
        _person("can yilmaz", date(2016, 9, 3), "U7654321"),
        _person("zhang wei", date(1990, 1, 1), "", kind="N"),
    ]
    plan = _lookup_plan(session, people)
    assert "ix_person_name_key_date_of_birth" in plan
    assert "ix_person_document" in plan or "uq_person_active_document" in plan
    assert "SCAN person" not in plan and "Seq Scan" not in plan
