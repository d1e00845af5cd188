"""Declared competences typed as words, linked to the taxonomy's concepts when a label fits."""

from __future__ import annotations

from sqlalchemy import select

from kb.context import KbContext
from kb.models import Concept
from kb.people.names import fold


def concept_for_label(ctx: KbContext, text: str) -> str | None:
    """The URI of the concept whose preferred or alternative label is `text` (accents and
    case aside), or None."""
    wanted = fold(text)
    if not wanted:
        return None
    with ctx.sessions() as session:
        for uri, pref, alts in session.execute(select(
                Concept.uri, Concept.pref_label, Concept.alt_labels)
                .where(Concept.deprecated.is_(False))):
            if fold(pref) == wanted or any(fold(label) == wanted for label, _ in alts):
                return uri  # type: ignore[no-any-return]
    return None
