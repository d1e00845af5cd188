"""`kb eval search` on an instance: qrels documents matched to stored documents, and each
query searched as a given reader (the operator sees every document)."""

from __future__ import annotations

from sqlalchemy import select

from kb.context import KbContext
from kb.models import Document
from kb.search.evaluation import DEPTH, EvalReport, evaluate
from kb.search.results import search_documents
from kb.visibility import Reader


def qrels_names(ctx: KbContext, judged: set[str]) -> dict[str, str]:
    """Source key -> the qrels' name for it: the key itself, the `<id>` of a key ending in
    `#<id>` (JSON Lines records), or the document's external `id`. Documents the qrels do
    not mention are named in the style the judged ones use, for the run file."""
    rows: list[tuple[str, list[str]]] = []
    with ctx.sessions() as session:
        for source_key, extra in session.execute(select(Document.source_key, Document.extra)):
            external = str(extra.get("id", "")) if isinstance(extra, dict) else ""
            suffix = source_key.rsplit("#", 1)[1] if "#" in source_key else ""
            rows.append((source_key, [source_key, suffix, external]))
    styles = [next((i for i, c in enumerate(cands) if c and c in judged), None)
              for _key, cands in rows]
    used = [style for style in styles if style is not None]
    default = max(set(used), key=used.count) if used else 0
    names = {}
    for (source_key, candidates), style in zip(rows, styles, strict=True):
        chosen = candidates[style if style is not None else default]
        names[source_key] = chosen or source_key
    return names


def evaluate_instance(ctx: KbContext, reader: Reader, queries: list[tuple[str, str]],
                      qrels: dict[str, dict[str, int]]) -> EvalReport:
    judged = {doc for docs in qrels.values() for doc in docs}
    names = qrels_names(ctx, judged)
    found = set(names.values()) & judged

    def rank(text: str) -> list[tuple[str, float]]:
        page = search_documents(ctx, reader, text, per_page=DEPTH, with_facets=False,
                                with_snippets=False)
        return [(names.get(h.document.source_key, h.document.source_key), h.score)
                for h in page.hits]

    return evaluate(queries, qrels, rank, known=lambda doc: doc in found)
