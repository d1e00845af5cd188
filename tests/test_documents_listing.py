"""Short lists of documents: the latest of some kinds, only those the reader may read."""

from __future__ import annotations

from pathlib import Path

from kb.context import KbContext
from kb.documents.listing import latest_documents
from kb.ingestion.batches import ingest_paths
from kb.visibility import Reader

MEMBER = Reader(user_id=1, roles=frozenset({"allie"}))
QUALIFIED = Reader(user_id=2, roles=frozenset({"collectif"}))


def _ingest(ctx: KbContext, folder: Path, name: str, kind: str, visibility: str) -> None:
    groups = "groupes: [collectif]\n" if visibility == "restreint" else ""
    folder.joinpath(f"{name}.md").write_text(
        f"---\ntitre: {name}\ntype: {kind}\nvisibilite: {visibility}\n{groups}---\nTexte.\n",
        encoding="utf-8")
    assert not ingest_paths(ctx, [folder / f"{name}.md"]).failed


def test_latest_documents_newest_first_among_readable_ones(ctx: KbContext,
                                                          tmp_path: Path) -> None:
    for name, kind, visibility in (
            ("f1", "fiche-experience", "public"), ("outil", "outil", "public"),
            ("f2", "fiche-experience", "membres"), ("f3", "fiche-experience", "restreint"),
            ("f4", "fiche-experience", "public")):
        _ingest(ctx, tmp_path, name, kind, visibility)

    def titles(reader: Reader, limit: int = 5) -> list[str]:
        return [d.title for d in latest_documents(ctx, reader, ["fiche-experience"], limit)]

    assert titles(Reader.anonymous()) == ["f4", "f1"]
    assert titles(MEMBER) == ["f4", "f2", "f1"]
    assert titles(QUALIFIED) == ["f4", "f3", "f2", "f1"]
    assert titles(QUALIFIED, limit=2) == ["f4", "f3"]
    assert [d.title for d in latest_documents(ctx, MEMBER, ["outil", "fiche-experience"],
                                              2)] == ["f4", "f2"]
