"""every account has a display name; names, not addresses, in the labels registry

Revision ID: 0010
Revises: 0009

Accounts without a display name get one derived from the part of their address before the
@ (« jeanne.dupont » → « Jeanne Dupont »), flagged `display_name_derived` so that their
owner is invited to choose theirs. Labels, which copied their approvers' names (an address
when the account had no name), are rewritten with the names.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

USERS = sa.table("users", sa.column("id", sa.Integer), sa.column("email", sa.String),
                 sa.column("display_name", sa.String),
                 sa.column("display_name_derived", sa.Boolean))
LABELS = sa.table("labels", sa.column("id", sa.Integer), sa.column("approvers", sa.JSON))


def derived_name(email: str) -> str:
    # The same rule as kb.accounts.names.derive_display_name, frozen here with the migration.
    words = [w for w in re.split(r"[._\-+]+", email.split("@", 1)[0]) if w]
    return " ".join(w[:1].upper() + w[1:] for w in words)[:100] or "Membre"


def upgrade() -> None:
    # A plain ADD COLUMN: a batch copy of `users` would break the tables referring to it.
    op.add_column("users", sa.Column("display_name_derived", sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    bind = op.get_bind()
    names: dict[str, str] = {}
    for user_id, email, name in bind.execute(sa.select(USERS.c.id, USERS.c.email,
                                                       USERS.c.display_name)).all():
        if not (name or "").strip():
            name = derived_name(email)
            bind.execute(USERS.update().where(USERS.c.id == user_id).values(
                display_name=name, display_name_derived=True))
        names[email.lower()] = name
    for label_id, approvers in bind.execute(sa.select(LABELS.c.id, LABELS.c.approvers)).all():
        renamed = [names.get(str(a).lower(), a) for a in approvers or []]
        if renamed != approvers:
            bind.execute(LABELS.update().where(LABELS.c.id == label_id).values(
                approvers=renamed))


def downgrade() -> None:
    op.drop_column("users", "display_name_derived")
