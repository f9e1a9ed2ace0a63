"""A person registered without a travel document: the reason, and an index
that lets several such people (all with an empty number) stay active.

Revision ID: b7d41e2c9a10
Revises: 5b1f0c9e7a42
Create Date: 2026-11-30 14:00:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "b7d41e2c9a10"
down_revision: str | None = "5b1f0c9e7a42"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_person_active_document"
COLUMNS = ["document_number_key", "document_country", "document_type"]


def _recreate_index(where: str) -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(INDEX)
        batch_op.create_index(
            INDEX,
            COLUMNS,
            unique=True,
            sqlite_where=sa.text(where),
            postgresql_where=sa.text(where),
        )


def upgrade() -> None:
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("document_missing_reason", sa.String(20), nullable=True))
        batch_op.add_column(sa.Column("document_missing_note", sa.String(200), nullable=True))
    _recreate_index("is_active AND document_type <> 'N'")


def downgrade() -> None:
    _recreate_index("is_active")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("document_missing_note")
        batch_op.drop_column("document_missing_reason")
