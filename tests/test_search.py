"""The index and its search, without the database: ranking, query syntax, facets, snippets,
suggestions, similar documents, generations and versions."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from whoosh.index import LockError

from indexer.index import store as store_module
from indexer.index.store import IndexedDocument, IndexStore, to_fields
from indexer.search.query import parse
from indexer.search.ranking import terms_for
from indexer.search.searcher import SearchRequest, search
from indexer.search.similar import similar
from indexer.search.snippets import snippet
from indexer.search.suggest import complete_word, correct_word

PUBLIC = frozenset({"public"})
EVERYONE = frozenset({"public", "membres", "restreint"})


def doc(doc_id: str, title: str, body: str, **extra: object) -> IndexedDocument:
    fields: dict[str, object] = {"kind": "fiche-experience", "visibility_tokens": ["public"]}
    fields.update(extra)
    return IndexedDocument(id=doc_id, source_key=f"{doc_id}.md", title=title, body=body,
                           **fields)  # type: ignore[arg-type]


DOCS = [
    doc("titre", "Les tiers-lieux ruraux", "Un document sur autre chose : la forêt.",
        date=dt.date(2019, 5, 1), themes=["tiers-lieux"], territory="Creuse"),
    doc("corps", "Notes diverses", "Dans les tiers-lieux, la forêt et les tiers-lieux encore.",
        kind="outil", date=dt.date(2023, 1, 1), themes=["forêt"], authors=["Claire Fontaine"]),
    doc("econ", "Économie de la fonctionnalité", "L'économie de la fonctionnalité et de la "
        "coopération transforme les collectivités.", kind="texte-fondateur",
        doctrine_status="doctrine", date=dt.date(2021, 3, 1), themes=["économie"]),
    doc("secret", "Note confidentielle", "Le zorglubisme des élu·e·s est confidentiel.",
        visibility_tokens=["restreint", "groupe:collectif"], date=dt.date(2021, 6, 1)),
    doc("ecolo", "Transition écologique", "La transition écologique des territoires <script>x"
        "</script> et l'écologie.", kind="proposition", date=dt.date(2020, 1, 1),
        territory="Tulle", headings=["Mobilité"]),
]


@pytest.fixture
def store(tmp_path: Path) -> IndexStore:
    index = IndexStore(tmp_path / "index")
    index.rebuild(DOCS)
    return index


def run(store: IndexStore, text: str, visible: frozenset[str] = EVERYONE,
        **options: object) -> list[str]:
    result = search(store.snapshot(), SearchRequest(parse(text), visible, **options))  # type: ignore[arg-type]
    return [doc_id for doc_id, _ in result.hits]


def test_title_ranks_above_body(store: IndexStore) -> None:
    assert run(store, "tiers-lieux")[:2] == ["titre", "corps"]


@pytest.mark.parametrize(("typed", "found"), [
    ("economie", "econ"), ("ÉCONOMIES", "econ"), ("ecologique", "ecolo"), ("élus", "secret"),
    ("elu", "secret"), ("tiers lieu", "titre"), ("tierslieux", "titre"), ("Fontaine", "corps"),
    ("creuse", "titre"), ("mobilite", "ecolo")])
def test_variants_find_the_document(store: IndexStore, typed: str, found: str) -> None:
    assert run(store, typed)[0] == found


def test_phrase_exclusion_and_required_word(store: IndexStore) -> None:
    assert run(store, '"économie de la fonctionnalité"') == ["econ"]
    assert run(store, '"fonctionnalité économie"') == []
    assert run(store, "forêt -tiers-lieux") == []
    assert set(run(store, "forêt")) == {"titre", "corps"}
    assert run(store, "économie +collectivités") == ["econ"]


def test_filters_from_the_query_and_from_facets(store: IndexStore) -> None:
    assert run(store, "forêt", filters={"type": ["outil"]}) == ["corps"]
    assert run(store, "forêt", filters={"annee": ["2019", "2023"]}) in (["titre", "corps"],
                                                                       ["corps", "titre"])
    assert run(store, "", filters={"statut": ["doctrine"]}) == ["econ"]


def test_visibility_restricts_results_and_facets(store: IndexStore) -> None:
    assert run(store, "zorglubisme", PUBLIC) == []
    assert run(store, "zorglubisme", EVERYONE) == ["secret"]
    result = search(store.snapshot(), SearchRequest(parse("confidentielle élus transition"),
                                                    PUBLIC))
    assert result.total == 1
    assert all(count == 1 for values in result.facets.values() for _, count in values)


def test_facet_counts_keep_other_values_of_the_chosen_facet(store: IndexStore) -> None:
    snap = store.snapshot()
    result = search(snap, SearchRequest(parse("forêt"), EVERYONE, filters={"type": ["outil"]}))
    assert result.total == 1
    assert dict(result.facets["type"]) == {"outil": 1, "fiche-experience": 1}
    assert dict(result.facets["annee"]) == {"2023": 1}
    assert dict(result.facets["theme"]) == {"forêt": 1}


def test_sort_by_date_and_pagination(store: IndexStore) -> None:
    assert run(store, "", filters={"annee": ["2019", "2020", "2021", "2023"]},
               sort="date") == ["corps", "secret", "econ", "ecolo", "titre"]
    first = run(store, "", filters={"type": ["fiche-experience", "outil"]}, per_page=1)
    second = run(store, "", filters={"type": ["fiche-experience", "outil"]}, per_page=1, page=2)
    assert len(first) == len(second) == 1 and first != second


def test_a_hyphenated_compound_ranks_the_documents_that_write_it_first(
        tmp_path: Path) -> None:
    index = IndexStore(tmp_path / "index")
    filler = [doc(f"autre{n}", f"Fiche {n}", "Une fiche sur la forêt et les haies.")
              for n in range(8)]
    index.rebuild([
        doc("parts", "Réunion", "Un tiers des habitants ouvre un lieu au bourg ancien."),
        doc("whole", "Réunion", "Des habitants ouvrent un tiers-lieu au bourg."),
        *filler,
    ])  # the same length: the joined « tierslieu » counts as a word

    def scores(text: str) -> dict[str, float]:
        return dict(search(index.snapshot(), SearchRequest(parse(text), EVERYONE)).hits)

    two_words = scores("tiers lieux")
    assert two_words["parts"] == pytest.approx(two_words["whole"])
    compound = scores("tiers-lieux")
    assert compound["whole"] > compound["parts"] == pytest.approx(two_words["parts"])


def test_snippet_marks_words_and_escapes_html() -> None:
    text = DOCS[4].body
    html = snippet(text, frozenset({"ecolog"}), frozenset())
    assert "<mark" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert html.count('<mark class="hl">') == 2
    assert snippet("<b>rien</b>", frozenset({"absent"})) == "&lt;b&gt;rien&lt;/b&gt;"


def test_snippet_takes_the_best_passage() -> None:
    text = "Début sans intérêt. " * 40 + "Le bocage et les haies du bocage." + " Fin." * 60
    html = snippet(text, frozenset(t.stemmed for t in terms_for("bocage haies")), chars=120)
    assert html.startswith("…") and "<mark class=\"hl\">haies</mark>" in html


@pytest.mark.parametrize("text", [
    "Note de position : tirer parti du lancement des contrats de relance et de transition "
    "écologique (CRTE), adoptée par le bureau.\nUne deuxième phrase assez longue suit ici. "
    "Puis une troisième phrase, qui parle d'autre chose, sans aucun mot cherché dedans.",
    "Un long préambule qui ne dit rien de la question posée par la personne qui cherche, "
    "puis enfin la transition\nécologique, à la toute fin du texte",
])
def test_a_snippet_never_cuts_a_word(text: str) -> None:
    stems = frozenset(t.stemmed for t in terms_for("transition écologique"))
    words = set(text.split())
    for chars in range(40, 260, 3):  # windows starting and ending everywhere
        html = snippet(text, stems, chars=chars)
        plain = html.replace('<mark class="hl">', "").replace("</mark>", "")
        shown = plain.replace("&#x27;", "'").strip("…").split()
        assert all(word in words for word in shown), (chars, html)


def test_suggestions_and_corrections_count_visible_documents_only(store: IndexStore) -> None:
    snap = store.snapshot()
    everyone, public = snap.visible_mask(EVERYONE), snap.visible_mask(PUBLIC)
    assert [w for w, _ in complete_word(snap, "zorg", everyone)] == ["zorglubisme"]
    assert complete_word(snap, "zorg", public) == []
    assert correct_word(snap, "zorglubism", everyone)[0] == "zorglubisme"  # type: ignore[index]
    assert correct_word(snap, "zorglubism", public) is None
    assert complete_word(snap, "ecolo", public)[0][0].startswith("écolog")


def test_similar_documents(store: IndexStore) -> None:
    snap = store.snapshot()
    found = [d for d, _ in similar(snap, "titre", "tiers-lieux forêt tiers-lieux", [], EVERYONE)]
    assert found[0] == "corps" and "titre" not in found


def test_updates_and_removals_reach_a_fresh_snapshot(store: IndexStore) -> None:
    before = store.snapshot()
    store.update_documents([doc("neuf", "Bocage normand", "Les haies du bocage.")])
    assert run(store, "bocage") == ["neuf"]
    store.remove_documents(["neuf", "titre"])
    assert run(store, "bocage") == [] and "titre" not in run(store, "tiers-lieux")
    assert before.doc_count == len(DOCS)  # an older snapshot still answers
    assert isinstance(before.live, np.ndarray)


def test_rebuild_swaps_generations_and_versions_are_checked(store: IndexStore) -> None:
    old = store.snapshot()
    assert not store.needs_rebuild()
    store.rebuild(DOCS[:2])
    assert run(store, "économie") == []
    assert old.doc_count == len(DOCS)  # searches on the old generation still work
    version_file = store.current_link.resolve() / "kb-index.json"
    version_file.write_text(json.dumps({"schema": 1, "analysis": 1}))
    assert store.needs_rebuild()


def test_a_writer_waits_for_another_writers_lock(store: IndexStore,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    other = IndexStore(store.folder)  # another process's view of the same index
    released = threading.Event()

    def hold_the_lock() -> None:
        with other.writer() as writer:
            writer.update_document(**to_fields(doc("tenu", "Verger tenu", "Un verger.")))
            released.wait(timeout=30)

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    time.sleep(0.2)  # the other writer holds the lock now
    monkeypatch.setattr(store_module, "WRITER_TIMEOUT_S", 0.3)
    with pytest.raises(LockError):
        store.update_documents([doc("attente", "Verger attendu", "Un autre verger.")])
    monkeypatch.setattr(store_module, "WRITER_TIMEOUT_S", 30.0)
    threading.Timer(0.3, released.set).start()
    store.update_documents([doc("attente", "Verger attendu", "Un autre verger.")])
    holder.join(timeout=30)
    assert {"tenu", "attente"} <= set(run(store, "verger"))
