"""Households registered twice: flagged for officers, never revealed to the registrant.

A travel document belongs to one active case (the unique index
``uq_person_active_document``). Refusing a registration because a document is
held already would tell anyone who types a passport number whether it is
registered. So a registration that gives such a document is accepted and
answered like any other: the member is stored inactive (the other case keeps
the document, and the index is satisfied), the new case is flagged as a possible
duplicate of the other one, which officers see on its page, and the other
case's contact is told by message that someone registered with their document.
An officer then merges the cases, or closes the wrong one and reactivates the
right one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from evac.notifications.service import enqueue_document_reused
from evac.registration.models import DocumentType, Person

DocumentKey = tuple[str, str, str]
NAME_MATCH, DOCUMENT_MATCH = "name", "document"
DOCUMENT_PARTS = ("held_number", "held_country", "held_type")


@dataclass(frozen=True)
class Known:
    """What the database knows already of a new case's people."""

    held_by: dict[int, int]
    """Member position -> the active case holding that member's travel document."""
    same_person_in: int | None
    """The earliest active case with someone of the same name and birth date."""

    @property
    def duplicate_of(self) -> int | None:
        """The case to flag: a held document is the surer sign, then name and birth date."""
        if self.held_by:
            return min(self.held_by.values())
        return self.same_person_in

    @property
    def holders(self) -> list[int]:
        return sorted(set(self.held_by.values()))


def document_of(person: Mapping[str, Any]) -> DocumentKey:
    """A person's document as the unique index sees it (see ``person_values``)."""
    return (person["document_number_key"], person["document_country"], person["document_type"])


@lru_cache(maxsize=64)
def _known_query(names: int, documents: int) -> sa.CompoundSelect:
    """The statement for so many people and documents, built once.

    On the registration path, building and keying a statement cost more than
    running it. Each person is its own ``AND`` of equalities, joined by ``OR``:
    both databases then search their indexes (SQLite scanned every person for a
    row-value ``IN`` list or a ``min()``); the earliest case is picked here.
    """
    columns = (Person.document_number_key, Person.document_country, Person.document_type)
    blank = [sa.cast(sa.null(), sa.String) for _ in columns]
    by_name = sa.select(sa.literal(NAME_MATCH), Person.registration_id, *blank).where(
        Person.is_active,
        sa.or_(
            *(
                sa.and_(
                    Person.name_key == sa.bindparam(f"name_{i}"),
                    Person.date_of_birth == sa.bindparam(f"born_{i}"),
                )
                for i in range(names)
            )
        ),
    )
    if not documents:
        return sa.union_all(by_name)
    # The partial unique index's own condition, so that SQLite can search it.
    by_document = sa.select(sa.literal(DOCUMENT_MATCH), Person.registration_id, *columns).where(
        Person.is_active,
        Person.document_type != DocumentType.none,
        sa.or_(
            *(
                sa.and_(
                    *(
                        column == sa.bindparam(f"{part}_{i}")
                        for column, part in zip(columns, DOCUMENT_PARTS, strict=True)
                    )
                )
                for i in range(documents)
            )
        ),
    )
    return sa.union_all(by_name, by_document)


def find_known(session: Session, people: Sequence[Mapping[str, Any]]) -> Known:
    """One statement on the registration path: who holds these documents, and the
    earliest case with one of these people by name and birth date."""
    # A person without a travel document holds none (and shares its empty number).
    documents = [
        document_of(person) if person["document_type"] != DocumentType.none else None
        for person in people
    ]
    wanted = [document for document in documents if document is not None]
    parameters: dict[str, Any] = {}
    for i, person in enumerate(people):
        parameters[f"name_{i}"] = person["name_key"]
        parameters[f"born_{i}"] = person["date_of_birth"]
    for i, document in enumerate(wanted):
        parameters.update(
            (f"{part}_{i}", value) for part, value in zip(DOCUMENT_PARTS, document, strict=True)
        )
    query = _known_query(len(people), len(wanted))
    rows = session.connection().execute(query, parameters).all()
    holder = {
        (number, country, kind): case_id
        for match, case_id, number, country, kind in rows
        if match == DOCUMENT_MATCH
    }
    same_person = min((row[1] for row in rows if row[0] == NAME_MATCH), default=None)
    held_by = {
        position: holder[document]
        for position, document in enumerate(documents)
        if document is not None and document in holder
    }
    return Known(held_by=held_by, same_person_in=same_person)


def set_aside_held_documents(
    people: Iterable[dict[str, Any]], known: Known
) -> list[dict[str, Any]]:
    """The people as stored: those whose document another case holds, inactive."""
    return [
        {**person, "is_active": person["is_active"] and position not in known.held_by}
        for position, person in enumerate(people)
    ]


def tell_holders(session: Session, known: Known, *, today: date) -> None:
    """Queue the 'someone registered with your document' message to each holding case."""
    if known.holders:
        enqueue_document_reused(session, known.holders, day=today)
