"""initial schema

Revision ID: 2bae2e780faa
Revises:
Create Date: 2026-11-24 15:20:35.216133+00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "2bae2e780faa"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("subject_type", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("subject_id", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index(
            "ix_audit_event_subject", ["subject_type", "subject_id", "occurred_at"], unique=False
        )

    op.create_table(
        "flight",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flight_number", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("departure_airport", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
        sa.Column(
            "destination_airport", sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False
        ),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("departure_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("departure_date", sa.Date(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("stretchers", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("meeting_point", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("seats >= 0", name=op.f("ck_flight_seats_not_negative")),
        sa.CheckConstraint("stretchers >= 0", name=op.f("ck_flight_stretchers_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flight")),
        sa.UniqueConstraint(
            "flight_number", "departure_date", name=op.f("uq_flight_flight_number_departure_date")
        ),
    )
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.create_index(
            "ix_flight_country_departure_time", ["country", "departure_time"], unique=False
        )

    op.create_table(
        "mission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mission")),
        sa.UniqueConstraint("code", name=op.f("uq_mission_code")),
    )
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mission_country"), ["country"], unique=False)

    op.create_table(
        "registration",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("external_reference", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("phone", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
        sa.Column("language", sqlmodel.sql.sqltypes.AutoString(length=5), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("city", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=True),
        sa.Column("address", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("access_token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("consent_processing", sa.Boolean(), nullable=False),
        sa.Column("consent_share_with_own_mission", sa.Boolean(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration")),
        sa.UniqueConstraint("reference", name=op.f("uq_registration_reference")),
    )
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.create_index("ix_registration_country_status", ["country", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_registration_external_reference"), ["external_reference"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_registration_phone"), ["phone"], unique=False)
        batch_op.create_index(
            "ix_registration_status_registered_at", ["status", "registered_at"], unique=False
        )

    op.create_table(
        "staff_user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("full_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("role", sa.String(length=12), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        sa.UniqueConstraint("username", name=op.f("uq_staff_user_username")),
    )
    op.create_table(
        "mission_country",
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.Column("country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_mission_country_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mission_id", "country", name=op.f("pk_mission_country")),
    )
    with op.batch_alter_table("mission_country", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mission_country_country"), ["country"], unique=False)

    op.create_table(
        "person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("given_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("family_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("name_key", sqlmodel.sql.sqltypes.AutoString(length=210), nullable=False),
        sa.Column("family_name_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("nationality", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("document_type", sa.String(length=1), nullable=False),
        sa.Column("document_number", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column(
            "document_number_key", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False
        ),
        sa.Column("document_country", sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
        sa.Column("document_expiry", sa.Date(), nullable=True),
        sa.Column("needs_stretcher", sa.Boolean(), nullable=False),
        sa.Column("needs_wheelchair", sa.Boolean(), nullable=False),
        sa.Column("needs_oxygen", sa.Boolean(), nullable=False),
        sa.Column("medical_urgency", sa.String(length=8), nullable=False),
        sa.Column("pregnant", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_person_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_person")),
    )
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.create_index(
            "ix_person_document",
            ["document_number_key", "document_country", "document_type"],
            unique=False,
        )
        batch_op.create_index("ix_person_family_name_key", ["family_name_key"], unique=False)
        batch_op.create_index(
            "ix_person_name_key_date_of_birth", ["name_key", "date_of_birth"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_person_registration_id"), ["registration_id"], unique=False
        )

    op.create_table(
        "staff_mission",
        sa.Column("staff_user_id", sa.Integer(), nullable=False),
        sa.Column("mission_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["mission_id"],
            ["mission.id"],
            name=op.f("fk_staff_mission_mission_id_mission"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["staff_user_id"],
            ["staff_user.id"],
            name=op.f("fk_staff_mission_staff_user_id_staff_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("staff_user_id", "mission_id", name=op.f("pk_staff_mission")),
    )
    op.create_table(
        "assignment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flight_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("registration_id", sa.Integer(), nullable=False),
        sa.Column("uses_stretcher", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["flight_id"], ["flight.id"], name=op.f("fk_assignment_flight_id_flight")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_assignment_person_id_person"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["registration_id"],
            ["registration.id"],
            name=op.f("fk_assignment_registration_id_registration"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assignment")),
    )
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.create_index("ix_assignment_flight_status", ["flight_id", "status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_assignment_registration_id"), ["registration_id"], unique=False
        )
        batch_op.create_index(
            "uq_assignment_active_person",
            ["person_id"],
            unique=True,
            sqlite_where=sa.text("status IN ('assigned','confirmed','checked_in','boarded')"),
            postgresql_where=sa.text("status IN ('assigned','confirmed','checked_in','boarded')"),
        )


def downgrade() -> None:
    with op.batch_alter_table("assignment", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_assignment_active_person",
            sqlite_where=sa.text("status IN ('assigned','confirmed','checked_in','boarded')"),
            postgresql_where=sa.text("status IN ('assigned','confirmed','checked_in','boarded')"),
        )
        batch_op.drop_index(batch_op.f("ix_assignment_registration_id"))
        batch_op.drop_index("ix_assignment_flight_status")

    op.drop_table("assignment")
    op.drop_table("staff_mission")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_registration_id"))
        batch_op.drop_index("ix_person_name_key_date_of_birth")
        batch_op.drop_index("ix_person_family_name_key")
        batch_op.drop_index("ix_person_document")

    op.drop_table("person")
    with op.batch_alter_table("mission_country", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_country_country"))

    op.drop_table("mission_country")
    op.drop_table("staff_user")
    with op.batch_alter_table("registration", schema=None) as batch_op:
        batch_op.drop_index("ix_registration_status_registered_at")
        batch_op.drop_index(batch_op.f("ix_registration_phone"))
        batch_op.drop_index(batch_op.f("ix_registration_external_reference"))
        batch_op.drop_index("ix_registration_country_status")

    op.drop_table("registration")
    with op.batch_alter_table("mission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mission_country"))

    op.drop_table("mission")
    with op.batch_alter_table("flight", schema=None) as batch_op:
        batch_op.drop_index("ix_flight_country_departure_time")

    op.drop_table("flight")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_event_subject")
        batch_op.drop_index("ix_audit_event_occurred_at")

    op.drop_table("audit_event")
