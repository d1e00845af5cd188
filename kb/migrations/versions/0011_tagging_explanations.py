"""tagging: why each automatic tag was suggested, and which scoring each analysis had

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_tags") as batch:
        batch.add_column(sa.Column("explanation", sa.JSON(), nullable=False,
                                   server_default="{}"))
    with op.batch_alter_table("document_analyses") as batch:
        batch.add_column(sa.Column("scoring_stamp", sa.String(length=64), nullable=False,
                                   server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("document_analyses") as batch:
        batch.drop_column("scoring_stamp")
    with op.batch_alter_table("document_tags") as batch:
        batch.drop_column("explanation")
