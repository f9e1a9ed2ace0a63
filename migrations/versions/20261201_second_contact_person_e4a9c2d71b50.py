"""A household's second contact person (name and phone), asked for on the form:
someone the mission can call when the registrant cannot be reached.

Revision ID: e4a9c2d71b50
Revises: e4a7c2d91b35
Create Date: 2026-12-01 03:15:00+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "e4a9c2d71b50"
down_revision: str | None = "e4a7c2d91b35"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(sa.Column("second_contact_name", sa.String(200), nullable=True))
        batch_op.add_column(sa.Column("second_contact_phone", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("second_contact_phone")
        batch_op.drop_column("second_contact_name")
