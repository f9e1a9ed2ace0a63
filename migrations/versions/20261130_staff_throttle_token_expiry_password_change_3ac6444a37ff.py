"""Staff accounts: sign-in throttle per account and address, API token expiry,
and a flag for one-time passwords set by an administrator.

login_attempt becomes one row per (username, ip) with a failure count and a
lock-out; its old rows (one per failure, kept forever) are throttle state
only and are dropped. Existing API tokens, which never expired, now expire
90 days after this upgrade.

Revision ID: 3ac6444a37ff
Revises: 6293673b7b4b
Create Date: 2026-11-30 11:41:05.354902+00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision: str = "3ac6444a37ff"
down_revision: str | None = "6293673b7b4b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

EXISTING_TOKENS_LIFETIME = timedelta(days=90)


def _existing_tokens_expiry() -> datetime:
    expiry = datetime.now(UTC) + EXISTING_TOKENS_LIFETIME
    # SQLite keeps naive UTC, as evac.db.UTCDateTime does.
    return expiry.replace(tzinfo=None) if op.get_bind().dialect.name == "sqlite" else expiry


def upgrade() -> None:
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    api_token = sa.table("api_token", sa.column("expires_at", sa.DateTime(timezone=True)))
    op.execute(api_token.update().values(expires_at=_existing_tokens_expiry()))
    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.alter_column(
            "expires_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )

    op.execute(sa.table("login_attempt").delete())
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failures", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True))
        batch_op.drop_index("ix_login_attempt_username_attempted_at")
        batch_op.create_unique_constraint("uq_login_attempt_username_ip", ["username", "ip"])

    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "must_change_password", sa.Boolean(), server_default=sa.false(), nullable=False
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_user", schema=None) as batch_op:
        batch_op.drop_column("must_change_password")

    op.execute(sa.table("login_attempt").delete())
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_constraint("uq_login_attempt_username_ip", type_="unique")
        batch_op.create_index(
            "ix_login_attempt_username_attempted_at", ["username", "attempted_at"], unique=False
        )
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failures")

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
