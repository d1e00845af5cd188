"""The visibility rule on every channel: results, counts, snippets, pages, originals."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Document
from kb.search.results import search_documents
from kb.visibility import Reader, can_read, reader_tokens

SECRET_WORD = "zygomorphe"


@pytest.fixture
def instance(tmp_path: Path, app) -> KbContext:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "public.md").write_text(
        "---\ntitre: Note publique\nvisibilite: public\n---\nLa haie bocagère.\n",
        encoding="utf-8")
    (folder / "membres.md").write_text(
        f"---\ntitre: Note interne\nvisibilite: membres\n---\nLa haie {SECRET_WORD}.\n",
        encoding="utf-8")
    (folder / "collectif.md").write_text(
        f"---\ntitre: Débat du collectif\nvisibilite: restreint\ngroupes: [collectif]\n---\n"
        f"La haie {SECRET_WORD} en débat.\n", encoding="utf-8")
    (folder / "sans.md").write_text("Sans visibilité déclarée : haie.\n", encoding="utf-8")
    ctx: KbContext = app.extensions["kb"]
    assert not ingest_paths(ctx, [folder]).failed
    return ctx


def titles(ctx: KbContext, reader: Reader, query: str) -> set[str]:
    return {h.document.title for h in search_documents(ctx, reader, query).hits}


def test_rule() -> None:
    member = Reader(user_id=1, roles=frozenset({"allie"}))
    qualified = Reader(user_id=2, roles=frozenset({"collectif"}))
    assert can_read(Reader.anonymous(), "public", [])
    assert not can_read(Reader.anonymous(), "membres", [])
    assert can_read(member, "membres", [])
    assert not can_read(member, "restreint", ["collectif"])
    assert can_read(qualified, "restreint", ["collectif"])
    assert can_read(Reader(user_id=3, roles=frozenset({"admin"})), "restreint", ["x"])
    assert reader_tokens(Reader.anonymous()) == {"public"}


def test_default_visibility_is_members(instance: KbContext) -> None:
    with instance.sessions() as session:
        document = session.scalar(select(Document).where(Document.source_key == "sans.md"))
        assert document is not None and document.visibility == "membres"


def test_results_and_counts(instance: KbContext) -> None:
    anonymous = search_documents(instance, Reader.anonymous(), "haie")
    assert {h.document.title for h in anonymous.hits} == {"Note publique"}
    assert anonymous.total == 1
    assert search_documents(instance, Reader.anonymous(), SECRET_WORD).total == 0
    member = Reader(user_id=1, roles=frozenset({"allie"}))
    assert titles(instance, member, SECRET_WORD) == {"Note interne"}
    qualified = Reader(user_id=2, roles=frozenset({"collectif"}))
    assert titles(instance, qualified, SECRET_WORD) == {"Note interne", "Débat du collectif"}


def test_snippets_never_show_hidden_text(instance: KbContext) -> None:
    query = f"haie {SECRET_WORD}"
    # A member's snippets do show the word: the same search would show it to anyone if the
    # rule let a hidden document through.
    member = search_documents(instance, Reader(user_id=1, roles=frozenset({"allie"})), query)
    assert any(SECRET_WORD in str(h.snippet) for h in member.hits)
    page = search_documents(instance, Reader.anonymous(), query)
    assert [h.document.title for h in page.hits] == ["Note publique"]
    assert all(SECRET_WORD not in str(h.snippet) for h in page.hits)


def test_web_hides_pages_and_originals(instance: KbContext, client: FlaskClient) -> None:
    html = client.get(f"/recherche?q={SECRET_WORD}").get_data(as_text=True)
    assert "Aucun résultat" in html and "Note interne" not in html
    with instance.sessions() as session:
        hidden = session.scalar(select(Document).where(Document.source_key == "membres.md"))
        assert hidden is not None
    for path in (f"/documents/{hidden.id}", f"/documents/{hidden.id}/original"):
        response = client.get(path)
        assert response.status_code == 404
        assert SECRET_WORD not in response.get_data(as_text=True)


def test_stale_index_entry_never_shows(instance: KbContext) -> None:
    from kb.indexing.sync import check_index

    with instance.sessions.begin() as session:
        document = session.scalar(select(Document).where(Document.source_key == "public.md"))
        assert document is not None
        stale_id = document.id
        session.delete(document)
    assert stale_id in instance.index.indexed_ids()
    assert "Note publique" not in titles(instance, Reader.operator(), "haie bocagère")
    assert check_index(instance)["stale"] == [stale_id]
    check_index(instance, repair=True)
    assert stale_id not in instance.index.indexed_ids()
