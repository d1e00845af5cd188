"""experience sheets and catalogues

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _create_sheets() -> None:
    op.create_table(
        "sheets",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("territory", sa.String(length=300), nullable=False),
        sa.Column("experience_date", sa.Date(), nullable=True),
        sa.Column("narrator", sa.String(length=200), nullable=False),
        sa.Column("maieuticien", sa.String(length=200), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.Column("actors", sa.Text(), nullable=False),
        sa.Column("narrative", sa.Text(), nullable=False),
        sa.Column("difficulties", sa.Text(), nullable=False),
        sa.Column("lessons", sa.Text(), nullable=False),
        sa.Column("themes", sa.JSON(), nullable=False),
        sa.Column("unplaced", sa.JSON(), nullable=False),
        sa.Column("visibility", sa.String(length=16), nullable=False),
        sa.Column("groups", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("narrator_user_id", sa.Integer(), nullable=True),
        sa.Column("approved_version", sa.Integer(), nullable=True),
        sa.Column("approved_by_name", sa.String(length=200), nullable=False),
        sa.Column("approved_on", sa.Date(), nullable=True),
        sa.Column("approval_note", sa.String(length=500), nullable=False),
        sa.Column("approval_recorded_by", sa.Integer(), nullable=True),
        sa.Column("document_id", sa.String(length=32), nullable=True),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["narrator_user_id"], ["users.id"]),
        sa.ForeignKeyConstraint(["approval_recorded_by"], ["users.id"]),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("client_key"),
    )
    op.create_index("ix_sheets_document_id", "sheets", ["document_id"])
    op.create_table(
        "sheet_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sheet_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["sheet_id"], ["sheets.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sheet_id", "number"),
    )


def _create_catalogues() -> None:
    op.create_table(
        "catalogues",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("audience", sa.String(length=300), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("duration", sa.String(length=100), nullable=False),
        sa.Column("sharing", sa.String(length=16), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalogues_owner_id", "catalogues", ["owner_id"])
    op.create_table(
        "catalogue_sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["catalogue_id"], ["catalogues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_catalogue_sections_catalogue_id", "catalogue_sections",
                    ["catalogue_id"])
    op.create_table(
        "catalogue_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalogue_id", sa.String(length=32), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["catalogue_id"], ["catalogues.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["section_id"], ["catalogue_sections.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("catalogue_id", "document_id"),
    )
    op.create_index("ix_catalogue_items_section_id", "catalogue_items", ["section_id"])
    op.create_index("ix_catalogue_items_document_id", "catalogue_items", ["document_id"])


def upgrade() -> None:
    _create_sheets()
    _create_catalogues()


def downgrade() -> None:
    op.drop_index("ix_catalogue_items_document_id", table_name="catalogue_items")
    op.drop_index("ix_catalogue_items_section_id", table_name="catalogue_items")
    op.drop_table("catalogue_items")
    op.drop_index("ix_catalogue_sections_catalogue_id", table_name="catalogue_sections")
    op.drop_table("catalogue_sections")
    op.drop_index("ix_catalogues_owner_id", table_name="catalogues")
    op.drop_table("catalogues")
    op.drop_table("sheet_revisions")
    op.drop_index("ix_sheets_document_id", table_name="sheets")
    op.drop_table("sheets")
