"""state tuples enforced by CHECK constraints

Revision ID: 0015
Revises: 0014

The values are written here as they were when the constraints were added: a later change of
a model's tuple comes with its own migration.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

VISIBILITIES = ("public", "membres", "restreint")
SHEET_STATES = ("brouillon", "en-relecture", "publiee")
CHECKS: dict[str, dict[str, tuple[str, ...]]] = {
    "users": {"role": ("allie", "maieuticien", "formateur", "collectif", "admin")},
    "documents": {
        "kind": ("texte-fondateur", "fiche-experience", "proposition", "outil", "autre"),
        "visibility": VISIBILITIES,
        "doctrine_status": ("aucun", "propose", "en-debat", "doctrine", "non-retenu",
                            "a-reviser"),
    },
    "catalogues": {"sharing": ("prive", "membres", "public")},
    "sheets": {"state": SHEET_STATES, "visibility": VISIBILITIES},
    "sheet_revisions": {
        "kind": ("enregistrement", "conflit", "import", "restauration", "etat"),
        "state": SHEET_STATES,
    },
    "concept_relations": {"kind": ("broader", "related")},
    "document_tags": {"state": ("suggested", "accepted", "rejected"),
                      "origin": ("auto", "human")},
    "candidate_concepts": {"status": ("open", "promoted", "dismissed")},
    "dossiers": {
        "kind": ("doctrine", "egide", "fabrique-locale"),
        "state": ("propose", "en-debat", "modifications-demandees", "valide", "non-retenu",
                  "retire", "a-reviser"),
    },
    "dossier_positions": {"stance": ("consentement", "reserve", "objection")},
    "labels": {"kind": ("egide", "fabrique-locale")},
    "people": {"visibility": ("public", "membres", "association")},
    "person_mentions": {"state": ("lie", "a-verifier", "efface")},
    "tagging_status": {"state": ("en-attente", "en-cours", "fait", "echec")},
}


def upgrade() -> None:
    # On SQLite each table is rebuilt (batch mode), with foreign keys off (kb/migrations/env.py).
    for table, columns in CHECKS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, values in columns.items():
                listed = ", ".join(f"'{value}'" for value in values)
                batch_op.create_check_constraint(
                    batch_op.f(f"ck_{table}_{column}_allowed"), f"{column} IN ({listed})")


def downgrade() -> None:
    for table, columns in reversed(CHECKS.items()):
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_constraint(batch_op.f(f"ck_{table}_{column}_allowed"),
                                         type_="check")
