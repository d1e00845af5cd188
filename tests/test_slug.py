"""The one slug rule, and the names and URIs made with it."""

from __future__ import annotations

import pytest

from kb.context import KbContext
from kb.models import ConceptScheme
from kb.slug import slug
from kb.taxonomy.editing import create_concept
from kb.visibility import Reader


@pytest.mark.parametrize(("text", "expected"), [
    ("Cœur … l'œuvre", "coeur-l-oeuvre"),
    ("Économie sociale & solidaire — Æther", "economie-sociale-solidaire-aether"),
    ("  Tiers-lieux : « ça » marche !  ", "tiers-lieux-ca-marche"),
    ("Fiche n°3 (2024)", "fiche-n3-2024"),
])
def test_french_titles_become_ascii_words(text: str, expected: str) -> None:
    assert slug(text, "x") == expected


def test_long_titles_are_cut_without_a_trailing_hyphen() -> None:
    cut = slug("Cœur de l'œuvre des tiers-lieux", "x", limit=12)
    assert cut == "coeur-de-l-o"
    assert slug("aaaa bbbb", "x", limit=5) == "aaaa"


@pytest.mark.parametrize("text", ["", "…", " « » — ! "])
def test_nothing_left_gives_the_fallback(text: str) -> None:
    assert slug(text, "sans-titre") == "sans-titre"


def test_a_new_concept_uri_uses_the_slug_and_stays_unique(ctx: KbContext) -> None:
    with ctx.sessions.begin() as session:
        session.add(ConceptScheme(uri="https://exemple.fr/t/", title="Thésaurus"))
    operator = Reader.operator()
    first = create_concept(ctx, operator, "Cœur … l'œuvre", scheme_uri="https://exemple.fr/t/")
    second = create_concept(ctx, operator, "Cœur, l'Œuvre", scheme_uri="https://exemple.fr/t/")
    assert first == "https://exemple.fr/t/coeur-l-oeuvre"
    assert second == "https://exemple.fr/t/coeur-l-oeuvre-2"
