"""The search parameters of a request, read once for the results page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from indexer.search.facets import FACET_FIELDS
from kb.search.results import SearchPage, search_documents
from webui.common.context import current_reader, instance

MAX_QUERY = 500
MAX_PAGE = 10_000


@dataclass
class SearchParams:
    """Search parameters of a request: query, page, sort, facet filters, exact wording."""

    query: str
    page: int
    sort: str
    filters: dict[str, list[str]]
    correct: bool

    @classmethod
    def read(cls, args: MultiDict[str, str]) -> SearchParams:
        page = args.get("page", 1, type=int) or 1
        filters = {name: args.getlist(name) for name in FACET_FIELDS if args.getlist(name)}
        return cls(args.get("q", "")[:MAX_QUERY], min(max(page, 1), MAX_PAGE),
                   args.get("tri", "pertinence"), filters, args.get("exact") != "1")

    def run(self, per_page: int) -> SearchPage:
        return search_documents(instance(), current_reader(), self.query, page=self.page,
                                per_page=per_page, filters=self.filters, sort=self.sort,
                                correct=self.correct)
