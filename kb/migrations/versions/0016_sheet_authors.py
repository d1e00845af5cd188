"""the people of a sheet: a list of authors, each a name and an optional role

Revision ID: 0016
Revises: 0015

The single « narrateur·rice » and « maïeuticien·ne » fields become the first entries of the
list (« Josiane Vidal, élue à l'agriculture » gives the name and the role); revisions keep
their older content, which `SheetContent.from_dict` still reads.
"""

from __future__ import annotations

import json
import re

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

SHEETS = sa.table("sheets", sa.column("id", sa.String), sa.column("narrator", sa.String),
                  sa.column("maieuticien", sa.String), sa.column("authors", sa.JSON))
DEFAULT_ROLES = (("narrator", "narrateur·rice"), ("maieuticien", "maïeuticien·ne"))


def _author(text: str, default_role: str) -> dict[str, str]:
    # As kb.sheets.content.Author.parse(..., legacy=True), frozen here with the migration.
    text = " ".join(text.split())
    parts = re.split(r"\s+[—–-]\s+", text, maxsplit=1)
    if len(parts) == 1:
        parts = text.split(", ", 1)
    return {"name": parts[0], "role": parts[1] if len(parts) > 1 else default_role}


def upgrade() -> None:
    # Plain ADD and DROP COLUMN (SQLite 3.35+): a batch copy of `sheets` would break the
    # revisions that refer to it.
    op.add_column("sheets", sa.Column("authors", sa.JSON(), nullable=False,
                                      server_default=sa.text("'[]'")))
    bind = op.get_bind()
    rows = bind.execute(sa.select(SHEETS.c.id, SHEETS.c.narrator, SHEETS.c.maieuticien)).all()
    for sheet_id, narrator, maieuticien in rows:
        values = {"narrator": narrator, "maieuticien": maieuticien}
        authors = [_author(values[name], role) for name, role in DEFAULT_ROLES
                   if (values[name] or "").strip()]
        bind.execute(SHEETS.update().where(SHEETS.c.id == sheet_id).values(authors=authors))
    op.drop_column("sheets", "narrator")
    op.drop_column("sheets", "maieuticien")


def downgrade() -> None:
    op.add_column("sheets", sa.Column("narrator", sa.String(200), nullable=False,
                                      server_default=""))
    op.add_column("sheets", sa.Column("maieuticien", sa.String(200), nullable=False,
                                      server_default=""))
    bind = op.get_bind()
    for sheet_id, authors in bind.execute(sa.select(SHEETS.c.id, SHEETS.c.authors)).all():
        names = [a.get("name", "") for a in (json.loads(authors) if isinstance(authors, str)
                                              else authors or [])]
        bind.execute(SHEETS.update().where(SHEETS.c.id == sheet_id).values(
            narrator=names[0] if names else "", maieuticien=names[1] if len(names) > 1 else ""))
    op.drop_column("sheets", "authors")
