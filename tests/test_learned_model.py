"""The learned tagger's pure parts (no database): neighbour votes and their calibration."""

from __future__ import annotations

import numpy as np
import pytest

from indexer.tagging.ensemble import MIN_TRAINING_DOCUMENTS, LearnedTagger
from indexer.tagging.neighbours import NeighbourModel, TrainingDocument, document_terms
from indexer.tagging.suggestion import Suggestion

TRAINS = ["Le train régional relie la gare du bourg à la ville chaque heure.",
          "La ligne ferroviaire rouvre : trains et gares reprennent du service.",
          "Les horaires du train régional s'adaptent aux lycéens de la gare."]
FIELDS = ["Les agriculteurs sèment le blé et récoltent l'orge dans les champs.",
          "Les champs de blé et les prairies de l'exploitation agricole.",
          "La récolte de l'orge commence dans les champs des agriculteurs."]


def documents() -> list[TrainingDocument]:
    found = [TrainingDocument(f"t{n}", text, frozenset({"urn:rail"}))
             for n, text in enumerate(TRAINS)]
    found += [TrainingDocument(f"f{n}", text, frozenset({"urn:agri"}),
                               frozenset({"urn:rail"}) if n == 0 else frozenset())
              for n, text in enumerate(FIELDS)]
    return found


def test_terms_are_the_search_stems() -> None:
    assert document_terms("Les élu·e·s des tiers-lieux") == document_terms("élus tiers lieux")
    assert "les" not in document_terms("les trains")


def test_votes_come_from_similar_documents_only() -> None:
    model = NeighbourModel.train(documents(), min_examples=1)
    assert model is not None and model.concepts == ["urn:agri", "urn:rail"]
    (train, field, elsewhere) = model.votes(
        ["new1", "new2", "new3"],
        ["Un train part de la gare toutes les heures.",
         "Le blé pousse dans les champs des agriculteurs.",
         "Une chorale chante des cantiques à la cathédrale."])
    assert set(train) == {"urn:rail"} and train["urn:rail"].share == 1.0
    assert train["urn:rail"].neighbours[0].startswith("t")
    assert 0 < train["urn:rail"].similarity <= 1 and train["urn:rail"].support == 3
    assert set(field) == {"urn:agri"}  # the rejection of rail on f0 counts against it
    assert elsewhere == {}  # nothing similar: the model says nothing


def test_training_votes_leave_each_document_out() -> None:
    model = NeighbourModel.train(documents(), min_examples=1)
    assert model is not None
    first = model.training_votes()[0]
    assert "t0" not in first["urn:rail"].neighbours and first["urn:rail"].support == 2
    # a training document asked for by its key is not its own neighbour either
    assert model.votes(["t0"], ["ignored"])[0]["urn:rail"].neighbours == \
        first["urn:rail"].neighbours


def test_model_round_trips_through_plain_arrays() -> None:
    model = NeighbourModel.train(documents(), min_examples=1)
    assert model is not None
    again = NeighbourModel.from_arrays({k: np.asarray(v) for k, v in model.arrays().items()})
    text = ["Le train de la gare."]
    assert again.votes(["x"], text)[0].keys() == model.votes(["x"], text)[0].keys()
    assert again.concepts == model.concepts and (again.idf == model.idf).all()


def test_a_concept_needs_its_minimum_of_examples() -> None:
    assert NeighbourModel.train(documents(), min_examples=4) is None


def many_documents(count: int) -> tuple[list[TrainingDocument], dict[str, dict[str, float]]]:
    docs = [TrainingDocument(f"d{n}", (TRAINS if n % 2 else FIELDS)[n % 3] + f" Note {n}.",
                             frozenset({"urn:rail" if n % 2 else "urn:agri"}))
            for n in range(count)]
    # label matching finds a wrong concept in every document, and the right one in some
    scores = {d.key: {"urn:wrong": 0.7, **({next(iter(d.accepted)): 0.65} if n % 3 == 0
                                           else {})} for n, d in enumerate(docs)}
    return docs, scores


def test_calibrated_confidences_and_their_threshold() -> None:
    docs, scores = many_documents(24)
    tagger = LearnedTagger.train(docs, scores, {})
    assert tagger is not None
    label = Suggestion("urn:wrong", 0.7, "faux", [], {}, label_confidence=0.7)
    votes = tagger.model.votes(["new"], ["Le train régional part de la gare."])[0]
    ranked, threshold = tagger.suggest([label], votes, {}, 0.6)
    assert [s.uri for s in ranked][0] == "urn:rail" and 0 < threshold < 1
    assert all(0 <= s.confidence <= 1 for s in ranked)
    rail = ranked[0]
    assert rail.model is not None and rail.model.support > 0 and rail.label == ""
    wrong = next(s for s in ranked if s.uri == "urn:wrong")
    assert wrong.confidence < threshold <= rail.confidence  # never accepted: not suggested
    # nothing similar: label matching's own ranking and threshold
    assert tagger.suggest([label], {}, {}, 0.6) == ([label], 0.6)


def test_no_learned_tagger_before_enough_decisions() -> None:
    docs, scores = many_documents(MIN_TRAINING_DOCUMENTS - 1)
    assert LearnedTagger.train(docs, scores, {}) is None


@pytest.mark.parametrize("count", [MIN_TRAINING_DOCUMENTS, 30])
def test_persisted_tagger_suggests_the_same(count: int) -> None:
    docs, scores = many_documents(count)
    tagger = LearnedTagger.train(docs, scores, {})
    assert tagger is not None
    again = LearnedTagger.from_arrays({k: np.asarray(v) for k, v in tagger.arrays().items()})
    votes = tagger.model.votes(["n"], ["Les champs de blé."])[0]
    assert again.suggest([], votes, {}, 0.6) == tagger.suggest([], votes, {}, 0.6)
