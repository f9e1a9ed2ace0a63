"""Passport names: each person's name in Latin capitals as in the passport's MRZ.

Existing people get the ICAO Doc 9303 suggestion of their typed names where
one can be spelled (``Şahin`` → ``SAHIN``); a name in another script is left
NULL: an officer types it from the passport before the person can be put on a
border file (docs/passport-names.md).

Revision ID: 5b1f0c9e7a42
Revises: 706d6b921667
Create Date: 2026-11-30 12:00:00.000000+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from evac.registration.passport_names import suggest_passport_name

revision: str = "5b1f0c9e7a42"
down_revision: str | None = "706d6b921667"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "passport_surname", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column(
                "passport_given_names",
                sqlmodel.sql.sqltypes.AutoString(length=100),
                nullable=True,
            )
        )
    _suggest_for_existing_people()


def _suggest_for_existing_people() -> None:
    person = sa.table(
        "person",
        sa.column("id", sa.Integer),
        sa.column("given_name", sa.String),
        sa.column("family_name", sa.String),
        sa.column("passport_surname", sa.String),
        sa.column("passport_given_names", sa.String),
    )
    connection = op.get_bind()
    last_id = 0
    while True:
        rows = connection.execute(
            sa.select(person.c.id, person.c.given_name, person.c.family_name)
            .where(person.c.id > last_id)
            .order_by(person.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        last_id = rows[-1].id
        updates = [
            {
                "person_id": row.id,
                "surname": suggest_passport_name(row.family_name),
                "given": suggest_passport_name(row.given_name),
            }
            for row in rows
        ]
        connection.execute(
            person.update()
            .where(person.c.id == sa.bindparam("person_id"))
            .values(
                passport_surname=sa.bindparam("surname"), passport_given_names=sa.bindparam("given")
            ),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("passport_given_names")
        batch_op.drop_column("passport_surname")
