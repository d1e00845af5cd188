"""append-only dossier history on PostgreSQL

Revision ID: 0014
Revises: 0013

Migration 0006 froze `dossier_events` with SQLite triggers only; PostgreSQL gets a trigger
function of its own here, which also refuses TRUNCATE (SQLite has none).
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

FUNCTION = "kb_frozen_history"
MESSAGE = "historique en ajout seul : modification interdite"


def _is_postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def upgrade() -> None:
    if not _is_postgresql():
        return
    op.execute(
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'restrict_violation'; END $$"
    )
    op.execute(
        "CREATE TRIGGER dossier_events_frozen BEFORE UPDATE OR DELETE ON dossier_events "
        f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()"
    )
    op.execute(
        "CREATE TRIGGER dossier_events_no_truncate BEFORE TRUNCATE ON dossier_events "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"
    )


def downgrade() -> None:
    if not _is_postgresql():
        return
    op.execute("DROP TRIGGER IF EXISTS dossier_events_no_truncate ON dossier_events")
    op.execute("DROP TRIGGER IF EXISTS dossier_events_frozen ON dossier_events")
    op.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")
