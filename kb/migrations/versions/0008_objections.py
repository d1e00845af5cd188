"""objections set aside by the collective, with who and why

Revision ID: 0008
Revises: 0007

An answer no longer lifts an objection (only its author withdraws it, or the collective
sets it aside explicitly): objections answered before this migration are open again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier_positions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("set_aside_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("set_aside_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("set_aside_reason", sa.Text(), nullable=True))
        batch_op.create_foreign_key("fk_dossier_positions_set_aside_by_id_users", "users",
                                    ["set_aside_by_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("dossier_positions", schema=None) as batch_op:
        batch_op.drop_constraint("fk_dossier_positions_set_aside_by_id_users",
                                 type_="foreignkey")
        batch_op.drop_column("set_aside_reason")
        batch_op.drop_column("set_aside_at")
        batch_op.drop_column("set_aside_by_id")
