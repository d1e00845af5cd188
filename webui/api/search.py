"""The JSON search API, so that the alliance's website can embed the search.

`GET /api/search?q=…&page=…&par_page=…&tri=…&type=…&statut=…&theme=…&territoire=…&auteur=…
&annee=…&exact=1` returns results (with HTML-escaped snippets), facets and suggestions;
`GET /api/search/suggestions?q=…` completes the word being typed. Both answer as the
request's reader (see `webui.api.blueprint`): a call from another site without a token sees
public documents only. `webui.api.openapi` describes them.
"""

from __future__ import annotations

from flask import Response, jsonify, request, url_for

from kb.models import KIND_LABELS
from kb.search.results import SearchPage
from kb.search.suggest import suggest
from webui.api.blueprint import bp
from webui.common.context import current_reader, instance
from webui.search.params import SearchParams

MAX_PER_PAGE = 50
MAX_SUGGEST_QUERY = 200


def page_json(page: SearchPage) -> dict[str, object]:
    return {
        "query": page.query,
        "searched": page.searched,
        "only_common_words": page.only_common_words,
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
        "per_page": page.per_page,
        "sort": page.sort,
        "filters": page.filters,
        "results": [{
            "id": hit.document.id,
            "title": hit.document.title,
            "kind": hit.document.kind,
            "kind_label": KIND_LABELS.get(hit.document.kind, hit.document.kind),
            "date": hit.document.date.isoformat() if hit.document.date else None,
            "territory": hit.document.territory,
            "authors": list(hit.document.authors),
            "score": round(hit.score, 4),
            "snippet": str(hit.snippet),
            "url": url_for("documents.show", doc_id=hit.document.id, _external=True),
        } for hit in page.hits],
        "facets": [{
            "name": facet.name,
            "label": facet.label,
            "values": [{"value": v.value, "label": v.label, "count": v.count,
                        "selected": v.selected, "depth": v.depth} for v in facet.values],
        } for facet in page.facets],
        "chips": [{"name": c.name, "label": c.label, "query": c.query, "filters": c.filters}
                  for c in page.chips],
        "notes": page.notes,
        "compounds": {"typed": page.compounds, "total": page.with_compounds},
    }


@bp.get("/search")
def search() -> Response:
    params = SearchParams.read(request.args)
    per_page = min(max(request.args.get("par_page", 10, type=int) or 10, 1), MAX_PER_PAGE)
    page = params.run(per_page)
    body = page_json(page)
    spelling = page.spelling
    body["suggestions"] = {
        "spelling": {"query": spelling.query, "total": spelling.total,
                     "applied": spelling.applied} if spelling else None,
        "completions": [s.query for s in suggest(instance(), current_reader(), params.query, 5)]
        if params.query and not params.query[-1:].isspace() else [],
    }
    return jsonify(body)


@bp.get("/search/suggestions")
def suggestions() -> Response:
    text = request.args.get("q", "")[:MAX_SUGGEST_QUERY]
    found = suggest(instance(), current_reader(), text, 8)
    return jsonify({"query": text, "suggestions": [
        {"query": s.query, "word": s.word, "count": s.count} for s in found]})
