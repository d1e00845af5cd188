"""The French NLP pipeline on real sentences: normalisation, chunks, language, analysis."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.nlp.documents import SourceText, analyse_documents
from indexer.nlp.match_keys import surfaces
from indexer.nlp.pipeline import NLP_COMPONENTS, chunks, detect_language, load_nlp, normalise

ENGLISH = (
    "The learning community brings together towns, allies and local stakeholders who learn "
    "together by comparing their experiences. Each year the network publishes a report on "
    "the transition of rural areas and the funding of shared engineering."
)


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()  # cached: loaded once per test session


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("les allié.e.s de la Fabrique", "les alliés de la Fabrique"),
        ("des élu·e·s locaux", "des élus locaux"),
        ("les citoyen-ne-s du quartier", "les citoyens du quartier"),
        ("80 000 habitant·es et 14 salarié·es", "80 000 habitants et 14 salariés"),
        ("les acteur·rice·s et facilitateurs/trices", "les acteurs et facilitateurs"),
        ("une élue ou un·e élu·e", "une élue ou un élu"),
        ("l’économie d’usage", "l'économie d'usage"),
        ("le ﬁnancement des ﬂux", "le financement des flux"),
        ("l'A.D.E.M.E. finance", "l'ADEME finance"),
        ("la mise en récit(s)", "la mise en récit"),
        # Hyphens that are not inclusive writing are left alone.
        ("Saint-Amand-Montrond, fais-le, Meurthe-et-Moselle", None),
    ],
)
def test_normalise_french_writing(raw: str, expected: str | None) -> None:
    assert normalise(raw) == (raw if expected is None else expected)


def test_chunks_stay_under_the_limit_and_lose_nothing() -> None:
    text = "\n".join(f"Paragraphe {i} " + "mot " * (i % 300) for i in range(2000))
    text += "\n" + "x" * 50_000  # one paragraph longer than the limit
    pieces = chunks(text, limit=5_000)
    assert all(len(p) <= 5_000 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")


def test_language_is_detected_and_short_texts_are_undecided() -> None:
    french = ("Le Pays du Lunévillois s'étire de Lunéville aux contreforts des Vosges ; "
              "les entreprises y coopèrent avec la collectivité pour vendre l'usage plutôt "
              "que le produit, et les élus suivent une formation à la conduite du changement.")
    assert detect_language(french) == "fr"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("CRTE 2021") is None


def test_pipeline_has_only_the_components_tagging_needs(nlp: Any) -> None:
    assert set(nlp.pipe_names) == set(NLP_COMPONENTS)
    assert "parser" not in nlp.component_names


def test_analysis_of_french_and_english_documents(nlp: Any) -> None:
    long_body = "\n".join(
        ["Les communautés apprenantes réunissent des élu·e·s et des allié.e.s."] * 800)
    sources = [
        SourceText("fr", "Fabriques locales des transitions",
                   "La Région Grand Est et l'ADEME financent la transition écologique du "
                   "Pays du Lunévillois.\n" + long_body,
                   headings=["Contexte"], metadata=["Fiche d'expérience"]),
        SourceText("en", "Learning communities", ENGLISH * 3),
    ]
    french, english = list(analyse_documents(sources, nlp, batch_size=8))
    assert (french.key, french.language) == ("fr", "fr")
    assert {u.zone for u in french.units} == {"title", "heading", "meta", "body"}
    assert sum(1 for u in french.units if u.zone == "body") >= 2  # long text in chunks
    body = french.units[-1]
    words = surfaces(body.tokens)
    assert "élus" in words and "alliés" in words  # inclusive writing normalised
    communities = next(t for t in body.tokens if t is not None and t.surface == "communautés")
    assert "communaute" in communities.keys  # singular key beside the surface
    assert "Région Grand Est" in french.entities.get("lieux", {})
    assert "ADEME" in french.entities.get("organisations", {})
    assert "transition ecologique" in french.phrases
    assert english.language == "en"
    assert english.units and not english.phrases  # not forced through French rules
