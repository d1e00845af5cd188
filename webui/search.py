"""Search pages: the home page with its search box and the results page."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from kb.search_service import search_documents
from webui.context import current_reader, kb

bp = Blueprint("search", __name__)
PER_PAGE = 10


@bp.get("/")
def home() -> str:
    return render_template("home.html")


@bp.get("/recherche")
def results() -> str:
    query = request.args.get("q", "")[:500]
    page = request.args.get("page", 1, type=int) or 1
    result = search_documents(kb(), current_reader(), query, page=page, per_page=PER_PAGE)
    return render_template("search.html", result=result, query=query)
