"""Label matching and scoring on real French sentences (no database)."""

from __future__ import annotations

from typing import Any

import pytest

from indexer.nlp.documents import AnalysedDocument, SourceText, analyse_documents, tokenise_labels
from indexer.nlp.pipeline import load_nlp
from indexer.tagging.label_tagger import (
    ConceptLabels,
    Evidence,
    LabelIndex,
    confidence,
    find_evidence,
    score_document,
)

CONCEPTS = [
    ConceptLabels("urn:efc", ("économie de la fonctionnalité et de la coopération", "EFC",
                              "économie de la fonctionnalité", "économie de l'usage")),
    ConceptLabels("urn:ca", ("communauté apprenante", "communautés apprenantes")),
    ConceptLabels("urn:elus", ("élus locaux", "élu·e·s", "élus")),
    ConceptLabels("urn:pat", ("projet alimentaire territorial", "PAT")),
    ConceptLabels("urn:crte", ("contrat de relance et de transition écologique", "CRTE")),
    ConceptLabels("urn:tl", ("tiers-lieux", "tiers-lieu")),
    ConceptLabels("urn:ess", ("économie sociale et solidaire", "ESS")),
    ConceptLabels("urn:eco", ("économie",)),
    ConceptLabels("urn:formation-elus", ("formation des élus",)),
]


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_nlp()


@pytest.fixture(scope="module")
def index(nlp: Any) -> LabelIndex:
    return LabelIndex.build(CONCEPTS, lambda texts: tokenise_labels(texts, "fr", nlp))


def analyse(nlp: Any, *bodies: str, title: str = "Sans titre") -> list[AnalysedDocument]:
    sources = [SourceText(f"d{i}", title, body) for i, body in enumerate(bodies)]
    return list(analyse_documents(sources, nlp))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # elisions and articles
        ("Le club s'initie à l’économie de fonctionnalité.", {"urn:efc"}),
        ("Nous parlons de l'économie d'usage.", {"urn:efc"}),
        # plurals, inflection, the lemmatizer's « apprenanter » fault
        ("Les communautés apprenantes se réunissent.", {"urn:ca"}),
        ("Deux projets alimentaires territoriaux sont lancés.", {"urn:pat"}),
        # inclusive writing and accents
        ("La formation des élu·e·s commence.", {"urn:formation-elus"}),
        ("Les allié.e.s rencontrent les élu.e.s locaux.", {"urn:elus"}),
        ("economie de la fonctionnalite et de la cooperation", {"urn:efc"}),
        # acronyms match in capitals only
        ("Le CRTE et le PAT du territoire.", {"urn:crte", "urn:pat"}),
        ("Il tapote : pat, pat.", set()),
        # compounds with or without a hyphen; longest label wins over « économie »
        ("Deux tiers lieux et un tiers-lieu.", {"urn:tl"}),
        ("L'économie sociale et solidaire (ESS) recrute.", {"urn:ess"}),
    ],
)
def test_labels_are_found_in_lemma_and_surface_space(nlp: Any, index: LabelIndex,
                                                     sentence: str,
                                                     expected: set[str]) -> None:
    (document,) = analyse(nlp, sentence)
    assert set(find_evidence(document, index)) == expected


def test_evidence_keeps_matched_label_zones_and_passages(nlp: Any, index: LabelIndex) -> None:
    body = ("Contexte du territoire.\nLe club EFC réunit treize entreprises du Lunévillois "
            "autour de l'économie de la fonctionnalité, avec le PETR.\nFin.")
    (document,) = analyse(nlp, body, title="Un club d'entreprises en EFC")
    evidence = find_evidence(document, index)["urn:efc"]
    assert evidence.zones["title"] == 1 and evidence.zones["body"] == 2
    assert evidence.best_label == "EFC"
    passage = evidence.passages[0]
    text = str(passage["text"])
    assert text.startswith("Le club EFC") and "\n" not in text
    assert text[int(passage["start"]):int(passage["end"])] == "EFC"


def test_confidence_grows_with_prominence_and_specificity() -> None:
    body_once = Evidence("urn:a", zones={"body": 1})  # type: ignore[arg-type]
    in_title = Evidence("urn:a", zones={"title": 1, "body": 3})  # type: ignore[arg-type]
    assert 0 < confidence(body_once, 1, 50) < confidence(in_title, 1, 50) < 1
    assert confidence(in_title, 45, 50) < confidence(in_title, 2, 50)


def test_score_keeps_the_best_above_the_threshold() -> None:
    evidence = {
        "urn:rare": Evidence("urn:rare", zones={"title": 1, "body": 4}),  # type: ignore[arg-type]
        "urn:everywhere": Evidence("urn:everywhere", zones={"body": 1}),  # type: ignore[arg-type]
    }
    for item in evidence.values():
        item.labels["label"] = 1
    frequencies = {"urn:rare": 1, "urn:everywhere": 100}
    suggestions = score_document(evidence, frequencies, 100)
    assert [s.uri for s in suggestions] == ["urn:rare"]
    assert 0.6 <= suggestions[0].confidence <= 1.0
    assert len(score_document(evidence, frequencies, 100, threshold=0.0, limit=1)) == 1
