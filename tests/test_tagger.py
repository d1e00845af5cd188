"""Label matching and scoring on real French sentences (no database): literal labels are
found, schemes match side by side, concepts sharing a label share its evidence."""

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
    label_suggestions,
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
    ConceptLabels("urn:dreal", ("DREAL",)),
    ConceptLabels("urn:num", ("numérique",)),
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


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # each case is a literal occurrence the matcher once missed
        ("Les tiers\u2011lieux ouvrent.", {"urn:tl"}),  # non-breaking hyphen
        ("Les tiers\u2010lieux ouvrent.", {"urn:tl"}),  # Unicode hyphen
        ("Le numé\u00adrique avance.", {"urn:num"}),  # soft hyphen from a PDF
        ("La Dreal instruit le dossier.", {"urn:dreal"}),  # acronym written like a name
        ("Un projet alimentaire\nterritorial est signé.", {"urn:pat"}),  # wrapped line
        ("L'économie sociale\net solidaire.", {"urn:ess"}),
        # still apart: a paragraph break, a new line that starts a sentence, a first name
        ("Le projet alimentaire\n\nterritorial", set()),
        ("Projet alimentaire\nTerritorial", set()),
        ("Pat et Paul arrivent.", set()),
    ],
)
def test_every_literal_label_is_found(nlp: Any, index: LabelIndex, sentence: str,
                                      expected: set[str]) -> None:
    (document,) = analyse(nlp, sentence)
    assert set(find_evidence(document, index)) == expected


def scheme_index(nlp: Any, concepts: list[ConceptLabels]) -> LabelIndex:
    return LabelIndex.build(concepts, lambda texts: tokenise_labels(texts, "fr", nlp))


def test_two_schemes_sharing_labels_both_get_their_concepts(nlp: Any) -> None:
    index = scheme_index(nlp, [
        ConceptLabels("urn:a:pat", ("projet alimentaire territorial",), "urn:a"),
        ConceptLabels("urn:a:cc", ("circuits courts",), "urn:a"),
        ConceptLabels("urn:b:pat", ("projets alimentaires territoriaux", "PAT"), "urn:b"),
        ConceptLabels("urn:b:alim", ("alimentation", "alimentaire"), "urn:b"),
        ConceptLabels("urn:b:cc", ("circuit court",), "urn:b"),
    ])
    (document,) = analyse(nlp, "Le projet alimentaire territorial développe les circuits "
                               "courts. Le PAT réunit les producteurs.")
    evidence = find_evidence(document, index)
    assert set(evidence) == {"urn:a:pat", "urn:a:cc", "urn:b:pat", "urn:b:cc"}
    # within scheme b the longest label wins: « alimentaire » inside the PAT is not counted
    assert evidence["urn:b:pat"].zones["body"] == 2 and evidence["urn:a:pat"].zones["body"] == 1
    assert not any(item.shared_with for item in evidence.values())


def test_concepts_of_one_scheme_sharing_a_label_split_its_evidence(nlp: Any) -> None:
    index = scheme_index(nlp, [
        ConceptLabels("urn:eau-potable", ("eau potable", "eau"), "urn:s"),
        ConceptLabels("urn:eau-milieu", ("milieux aquatiques", "eau"), "urn:s"),
    ])
    (ambiguous,) = analyse(nlp, "L'eau est au coeur du projet. L'eau revient.")
    evidence = find_evidence(ambiguous, index)
    assert set(evidence) == {"urn:eau-potable", "urn:eau-milieu"}
    for uri, other in (("urn:eau-potable", "urn:eau-milieu"), ("urn:eau-milieu",
                                                                "urn:eau-potable")):
        assert evidence[uri].zones["body"] == 1.0  # two mentions, half each
        assert evidence[uri].shared_with == {other} and not evidence[uri].disambiguated
    # the rest of the document says which one is meant: all the evidence goes to it
    (settled,) = analyse(nlp, "L'eau est au coeur du projet. La qualité de l'eau potable "
                              "s'améliore.")
    evidence = find_evidence(settled, index)
    assert set(evidence) == {"urn:eau-potable"}
    assert evidence["urn:eau-potable"].zones["body"] == 2
    assert evidence["urn:eau-potable"].disambiguated
    suggestion = label_suggestions(evidence, {}, 1)[0]
    assert suggestion.shared_with == ["urn:eau-milieu"] and suggestion.disambiguated
