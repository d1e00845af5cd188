"""Index maintenance: every database change reaches the index, drift is found and repaired,
versions trigger a rebuild, and searches keep answering during rebuilds and ingests."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import delete, select, update
from whoosh import index as whoosh_index
from whoosh.fields import TEXT, Schema

from indexer.index.store import IndexedDocument
from kb.context import KbContext
from kb.indexing.sync import (
    check_index,
    ensure_index,
    index_pending,
    iter_all_indexed,
    rebuild_index,
)
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document, IndexRemoval
from kb.search.results import search_documents
from kb.search.warmup import keep_search_warm
from kb.visibility import Reader
from tests.threads import repeated_meanwhile

OPERATOR = Reader.operator()


def write_notes(folder: Path, count: int, word: str = "bocage") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{word}-{number:03d}.md").write_text(
            f"---\ntitre: {word.title()} {number}\nvisibilite: public\n---\n"
            f"Le {word} numéro {number}.\n", encoding="utf-8")
    return folder


@pytest.fixture
def filled(ctx: KbContext, tmp_path: Path) -> KbContext:
    assert not ingest_paths(ctx, [write_notes(tmp_path / "notes", 3)]).failed
    return ctx


def total(ctx: KbContext, query: str) -> int:
    return search_documents(ctx, OPERATOR, query).total


def first_id(ctx: KbContext) -> str:
    with ctx.sessions() as session:
        return str(session.scalars(select(Document.id).order_by(Document.title)).first())


def test_an_orm_change_flags_the_document_and_reaches_the_index(filled: KbContext) -> None:
    doc_id = first_id(filled)
    with filled.sessions.begin() as session:
        document = session.get(Document, doc_id)
        assert document is not None and not document.index_pending
        document.title = "Verger conservatoire"
    with filled.sessions() as session:
        assert session.get(Document, doc_id).index_pending  # type: ignore[union-attr]
    assert check_index(filled)["pending"] == [doc_id]
    index_pending(filled)
    assert total(filled, "verger") == 1
    assert check_index(filled) == {k: [] for k in check_index(filled)}


def test_an_orm_delete_is_queued_and_removed_from_the_index(filled: KbContext) -> None:
    doc_id = first_id(filled)
    with filled.sessions.begin() as session:
        session.delete(session.get(Document, doc_id))
    assert check_index(filled)["removals"] == [doc_id]
    assert total(filled, "bocage") == 2  # the stale entry is dropped on reload anyway
    before = filled.index.indexed_ids()
    index_pending(filled)
    assert filled.index.indexed_ids() == before - {doc_id}
    with filled.sessions() as session:
        assert session.scalars(select(IndexRemoval)).all() == []


def test_check_reports_and_repairs_every_kind_of_drift(filled: KbContext) -> None:
    ids = sorted(filled.index.indexed_ids())
    with filled.sessions.begin() as session:
        # Changes made behind the ORM's back: no flag, no queue.
        session.execute(update(Document).where(Document.id == ids[0])
                        .values(title="Titre changé", updated_at=Document.updated_at))
        session.execute(update(Document).where(Document.id == ids[1])
                        .values(updated_at=dt.datetime(2030, 1, 1)))
        session.execute(delete(Document).where(Document.id == ids[2]))
    filled.index.remove_documents([ids[0]])
    drift = check_index(filled)
    assert drift["missing"] == [ids[0]] and drift["stale"] == [ids[2]]
    assert drift["outdated"] == [ids[1]]
    check_index(filled, repair=True)
    assert all(not found for found in check_index(filled).values())
    assert filled.index.indexed_ids() == {ids[0], ids[1]}
    assert total(filled, "titre change") == 1


def test_a_new_analysis_version_rebuilds_at_the_next_start(filled: KbContext) -> None:
    version_file = filled.index.current_link.resolve() / "kb-index.json"
    version_file.write_text(json.dumps({"schema": 1, "analysis": 1}))
    assert filled.index.needs_rebuild()
    assert ensure_index(filled) is True
    assert not filled.index.needs_rebuild() and total(filled, "bocage") == 3
    assert ensure_index(filled) is False


def test_an_index_an_older_release_built_is_rebuilt_without_being_read(
        filled: KbContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Its pickled schema names an analyser whose module has since moved (kb before its
    # packages): Whoosh cannot even open it.
    source = tmp_path / "moved_analysis.py"
    source.write_text("from whoosh.analysis import RegexTokenizer\n\n\n"
                      "class Gone(RegexTokenizer):\n    pass\n")
    spec = importlib.util.spec_from_file_location("moved_analysis", source)
    assert spec is not None and spec.loader is not None
    moved = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "moved_analysis", moved)
    spec.loader.exec_module(moved)
    generation = filled.index.current_link.resolve()
    shutil.rmtree(generation)
    generation.mkdir()
    whoosh_index.create_in(str(generation), Schema(text=TEXT(analyzer=moved.Gone())))
    (generation / "kb-index.json").write_text(json.dumps({"schema": 3, "analysis": 3}))
    monkeypatch.delitem(sys.modules, "moved_analysis")
    assert filled.index.state() is None and not filled.index.exists()
    assert filled.index.needs_rebuild()
    assert ensure_index(filled) is True
    assert total(filled, "bocage") == 3


def test_searches_keep_answering_during_a_rebuild(filled: KbContext, tmp_path: Path) -> None:
    ingest_paths(filled, [write_notes(tmp_path / "more", 40, "verger")])
    with repeated_meanwhile(lambda: total(filled, "bocage verger")) as counts:
        for _ in range(3):
            rebuild_index(filled)
    assert counts and set(counts) == {43}


def ranking(ctx: KbContext, query: str) -> list[tuple[str, float]]:
    page = search_documents(ctx, OPERATOR, query, per_page=100)
    return [(hit.document.id, round(hit.score, 4)) for hit in page.hits]


def test_a_rebuild_in_segments_ranks_like_a_single_segment(filled: KbContext,
                                                           tmp_path: Path) -> None:
    ingest_paths(filled, [write_notes(tmp_path / "more", 40, "verger")])
    filled.index.rebuild(iter_all_indexed(filled), segment_docs=1000)
    assert len(filled.index.snapshot().leaves) == 1
    whole = ranking(filled, "bocage verger 12")
    filled.index.rebuild(iter_all_indexed(filled), segment_docs=7)
    assert len(filled.index.snapshot().leaves) == 7  # 43 documents, 7 per segment
    assert ranking(filled, "bocage verger 12") == whole and len(whole) == 43
    assert total(filled, '"verger numéro 39"') == 1


def test_a_failed_rebuild_leaves_the_index_in_service(filled: KbContext) -> None:
    generations = sorted(p.name for p in filled.index.folder.glob("gen-*"))

    def failing() -> Iterator[IndexedDocument]:
        yield from iter_all_indexed(filled)
        raise OSError("disque plein")

    with pytest.raises(OSError):
        filled.index.rebuild(failing(), segment_docs=1)
    assert sorted(p.name for p in filled.index.folder.glob("gen-*")) == generations
    assert total(filled, "bocage") == 3


def test_the_web_app_searches_while_an_ingest_writes(ctx: KbContext, settings,  # type: ignore[no-untyped-def]
                                                     tmp_path: Path) -> None:
    writer = open_instance(settings)  # another process's view of the same instance
    folder = write_notes(tmp_path / "batch", 60, "prairie")
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            ingest_paths(writer, [folder])
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    thread = threading.Thread(target=ingest)
    thread.start()
    seen = []
    while thread.is_alive():
        seen.append(total(ctx, "prairie"))
    thread.join()
    writer.close()
    assert not errors
    assert seen == sorted(seen)  # results only grow as documents arrive
    assert total(ctx, "prairie") == 60


def test_field_lengths_read_in_one_go_match_whoosh_in_every_segment(
        filled: KbContext, tmp_path: Path) -> None:
    ingest_paths(filled, [write_notes(tmp_path / "more", 20, "verger")])
    filled.index.rebuild(iter_all_indexed(filled), segment_docs=6)
    with filled.sessions.begin() as session:  # a deletion inside a segment
        session.execute(update(Document).where(Document.id == first_id(filled))
                        .values(title="Un titre bien plus long que les autres", index_pending=True))
    index_pending(filled)
    snap = filled.index.snapshot()
    assert len(snap.leaves) > 2
    for field in ("title", "body", "concepts", "authors"):
        lengths, _average = snap.lengths(field)
        expected = [leaf.doc_field_length(docnum, field, 0) or 0
                    for leaf, _base in snap.leaves for docnum in range(leaf.doc_count_all())]
        assert lengths.tolist() == expected, field


def test_a_search_is_answered_while_the_index_warms_and_each_snapshot_warms(
        app: Flask, client: FlaskClient, tmp_path: Path) -> None:
    ctx: KbContext = app.extensions["kb"]
    assert not ingest_paths(ctx, [write_notes(tmp_path / "notes", 30)]).failed
    reports: list[str] = []
    snap = ctx.index.snapshot()
    with snap.lock:  # the warming thread waits for the index while this request is served
        warming = keep_search_warm(ctx, reports.append)
        response = client.get("/recherche", query_string={"q": "bocage"})
        assert response.status_code == 200 and "30 documents" in response.get_data(as_text=True)
        assert warming.is_alive() and reports == []
    warming.join(timeout=60)
    assert len(reports) == 1 and "index de 30 documents" in reports[0]
    assert int(re.search(r"\((\d+) postings\)", reports[0]).group(1)) > 30  # type: ignore[union-attr]
    # A change to the index opens a new snapshot, warmed in its turn.
    assert not ingest_paths(ctx, [write_notes(tmp_path / "more", 2, "verger")]).failed
    assert ctx.index.snapshot() is not snap
    assert ctx.index.warming is not None and ctx.index.warming is not warming
    ctx.index.warming.join(timeout=60)
    assert len(reports) == 2 and "index de 32 documents" in reports[1]
    # A new revision replaces its document in the index: the line counts documents, not the
    # replaced entries the index keeps until its segments merge.
    (tmp_path / "more" / "verger-000.md").write_text(
        "---\ntitre: Verger 0\nvisibilite: public\n---\nLe verger replanté.\n",
        encoding="utf-8")
    assert ingest_paths(ctx, [tmp_path / "more"]).counts["updated"] == 1
    assert ctx.index.snapshot().doc_count == 33  # the replaced entry is still there
    ctx.index.warming.join(timeout=60)
    assert len(reports) == 3 and "index de 32 documents" in reports[2]
