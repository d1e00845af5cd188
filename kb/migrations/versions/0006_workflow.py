"""doctrine dossiers, positions and events

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The history is append-only: even a mistaken UPDATE or DELETE in SQL is refused.
FROZEN_EVENTS = ("UPDATE", "DELETE")


def _is_sqlite() -> bool:
    # SQLite's own triggers; PostgreSQL gets a trigger function in migration 0014.
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    op.create_table(
        "initiatives",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("territory", sa.String(length=300), nullable=False),
        sa.Column("carrier", sa.String(length=300), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "dossiers",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("initiative_id", sa.String(length=32), nullable=True),
        sa.Column("subject_title", sa.String(length=500), nullable=False),
        sa.Column("state", sa.String(length=32), nullable=False),
        sa.Column("open_key", sa.String(length=80), nullable=True),
        sa.Column("proposer_id", sa.Integer(), nullable=False),
        sa.Column("motivation", sa.Text(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("decided_revision", sa.Integer(), nullable=True),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiatives.id"]),
        sa.ForeignKeyConstraint(["proposer_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("open_key"),
    )
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossiers_document_id"), ["document_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_initiative_id"), ["initiative_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dossiers_state"), ["state"], unique=False)
    op.create_table(
        "dossier_positions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("stance", sa.String(length=16), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["answered_by_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dossier_id", "user_id"),
    )
    op.create_table(
        "dossier_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_name", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_state", sa.String(length=32), nullable=True),
        sa.Column("to_state", sa.String(length=32), nullable=True),
        sa.Column("revision_number", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dossier_events_dossier_id"), ["dossier_id"], unique=False)
    for statement in FROZEN_EVENTS if _is_sqlite() else ():
        op.execute(
            f"CREATE TRIGGER dossier_events_no_{statement.lower()} BEFORE {statement} "
            "ON dossier_events BEGIN "
            "SELECT RAISE(ABORT, 'historique en ajout seul : modification interdite'); END"
        )
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dossier_id", sa.String(length=32), nullable=False),
        sa.Column("initiative_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("granted_at", sa.DateTime(), nullable=False),
        sa.Column("approvers", sa.JSON(), nullable=False),
        sa.Column("renewal_date", sa.Date(), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawal_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossiers.id"]),
        sa.ForeignKeyConstraint(["initiative_id"], ["initiatives.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_labels_dossier_id"), ["dossier_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_labels_initiative_id"), ["initiative_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("labels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_labels_initiative_id"))
        batch_op.drop_index(batch_op.f("ix_labels_dossier_id"))
    op.drop_table("labels")
    for statement in FROZEN_EVENTS if _is_sqlite() else ():
        op.execute(f"DROP TRIGGER IF EXISTS dossier_events_no_{statement.lower()}")
    with op.batch_alter_table("dossier_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossier_events_dossier_id"))
    op.drop_table("dossier_events")
    op.drop_table("dossier_positions")
    with op.batch_alter_table("dossiers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dossiers_state"))
        batch_op.drop_index(batch_op.f("ix_dossiers_initiative_id"))
        batch_op.drop_index(batch_op.f("ix_dossiers_document_id"))
    op.drop_table("dossiers")
    op.drop_table("initiatives")
