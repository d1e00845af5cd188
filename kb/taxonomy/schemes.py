"""Which concept schemes the automatic tagger uses.

Public surface: `set_scheme_tagging(ctx, reader, scheme_uri, on)` -> whether it changed. The
switch changes the taxonomy stamp, so the next `kb tag` re-tags every document: suggestions
of a scheme switched off disappear, decisions people took on its concepts stay.
"""

from __future__ import annotations

from sqlalchemy import select

from kb.context import KbContext
from kb.errors import Forbidden, NotFound
from kb.models import ConceptScheme
from kb.taxonomy.editing import can_edit_taxonomy
from kb.visibility import Reader


def set_scheme_tagging(ctx: KbContext, reader: Reader, scheme_uri: str, on: bool) -> bool:
    """Use the scheme for automatic tagging, or stop; True when that changed something."""
    if not can_edit_taxonomy(reader):
        raise Forbidden("Votre rôle ne permet pas de modifier le thésaurus.")
    with ctx.sessions.begin() as session:
        scheme = session.scalar(select(ConceptScheme).where(ConceptScheme.uri == scheme_uri))
        if scheme is None:
            known = ", ".join(session.scalars(select(ConceptScheme.uri)
                                              .order_by(ConceptScheme.id))) or "aucun"
            raise NotFound(f"schéma « {scheme_uri} » introuvable (schémas : {known})")
        if scheme.tagging == on:
            return False
        scheme.tagging = on
    return True
