"""Search pages: the home page with its search box, the results page with facets, chips,
sorting and pagination, and the « Documents similaires » panel of document pages."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Blueprint, render_template, request, url_for

from kb.catalogues.catalogue import can_compose
from kb.catalogues.lists import add_choices
from kb.models import Document
from kb.search.similar import similar_documents
from kb.visibility import Reader
from webui.common.context import current_reader, instance
from webui.common.panels import home_sections
from webui.search.params import SearchParams

bp = Blueprint("search", __name__)
PER_PAGE = 10
SORT_LABELS = {"pertinence": "Pertinence", "date": "Date (récents d'abord)"}


def search_url(query: str, filters: Mapping[str, list[str]], **extra: object) -> str:
    """The results page for a query and filters; `extra` adds `page`, `tri` or `exact`."""
    params: list[tuple[str, object]] = [("q", query)]
    params += [(name, value) for name, values in filters.items() for value in values]
    params += [(key, value) for key, value in extra.items() if value not in (None, "")]
    return url_for("search.results") + "?" + urlencode(params)


def toggled(filters: Mapping[str, list[str]], name: str, value: str) -> dict[str, list[str]]:
    """The filters with one facet value added, or removed if it was there."""
    changed = {n: list(vs) for n, vs in filters.items()}
    values = changed.setdefault(name, [])
    if value in values:
        values.remove(value)
    else:
        values.append(value)
    return {n: vs for n, vs in changed.items() if vs}


@bp.get("/")
def home() -> str:
    return render_template("home.html", sections=home_sections(current_reader()))


@bp.get("/recherche")
def results() -> str:
    result = SearchParams.read(request.args).run(PER_PAGE)
    reader = current_reader()
    # Trainers add results to their catalogues from here, without leaving the page.
    choices = add_choices(instance(), reader, [hit.document.id for hit in result.hits]) \
        if can_compose(reader) and result.hits else None
    return render_template("search.html", result=result, query=result.query,
                           search_url=search_url, toggled=toggled, sort_labels=SORT_LABELS,
                           catalogue_choices=choices)


def similar_panel(document: Document, reader: Reader) -> dict[str, object] | None:
    """Context of the « Documents similaires » panel; hidden when there is none."""
    found = similar_documents(instance(), reader, document.id)
    return {"similar": found} if found else None

