"""case flags for filtering

Revision ID: 73b83ede9576
Revises: 9aa13d74a301
Create Date: 2026-11-24 15:29:39.694075+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "73b83ede9576"
down_revision: str | None = "9aa13d74a301"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("people_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("has_citizen", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(
            sa.Column("has_medical_need", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("priority_tier", sa.Integer(), nullable=False, server_default="3")
        )
    # Existing cases: what plain SQL can derive. Tiers and citizenship are
    # refreshed by the application on the next change to each case.
    op.execute(
        "UPDATE registration SET people_count = "
        "(SELECT count(*) FROM person WHERE person.registration_id = registration.id), "
        "has_medical_need = EXISTS (SELECT 1 FROM person WHERE "
        "person.registration_id = registration.id AND (person.needs_stretcher "
        "OR person.needs_wheelchair OR person.needs_oxygen OR person.medical_urgency <> 'none'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_column("priority_tier")
        batch_op.drop_column("has_medical_need")
        batch_op.drop_column("has_citizen")
        batch_op.drop_column("people_count")
