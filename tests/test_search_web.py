"""The results page: facets and chips, sorting, pagination, spelling help, escaping, and the
« Documents similaires » panel, through the Flask test client."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.context import KbContext
from kb.ingestion.batches import ingest_paths


@pytest.fixture
def site(app: Flask, client: FlaskClient, tmp_path: Path) -> FlaskClient:
    folder = tmp_path / "docs"
    (folder / "fiches").mkdir(parents=True)
    (folder / "outils").mkdir()
    for number in range(12):
        sub = "fiches" if number % 3 else "outils"
        (folder / sub / f"haie-{number:02d}.md").write_text(
            f"---\ntitre: Haies et bocage {number}\nvisibilite: public\n"
            f"date: {2012 + number}-01-01\nterritoire: {'Manche' if number % 2 else 'Orne'}\n"
            f"---\nLes haies du bocage, note {number}.\n", encoding="utf-8")
    (folder / "piege.txt").write_text(
        "Titre : Le bocage <script>alert(1)</script>\n\nLe bocage <script>alert(2)</script> "
        "et les <b>haies</b>.\n", encoding="utf-8")
    (folder / "piege.txt.meta.yaml").write_text("visibilite: public\n", encoding="utf-8")
    ctx: KbContext = app.extensions["kb"]
    assert not ingest_paths(ctx, [folder]).failed
    return client


def page(client: FlaskClient, query: str = "", **params: object) -> str:
    response = client.get("/recherche", query_string={"q": query, **params})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def titles(text: str) -> list[str]:
    return [html.unescape(t) for t in re.findall(
        r'<h2><a href="/documents/[^"]+">([^<]+)</a>', text)]


def test_facets_link_to_filtered_results_and_chips_remove_them(site: FlaskClient) -> None:
    text = page(site, "haies")
    assert "13 documents" in text
    link = re.search(r'href="([^"]*type=outil[^"]*)"', text)
    assert link, "no facet link for the tools"
    filtered = site.get(html.unescape(link.group(1))).get_data(as_text=True)
    assert "4 documents" in filtered and 'aria-current="true"' in filtered
    chip = re.search(r'<a class="chip" href="([^"]+)"', filtered)
    assert chip and "type=outil" not in html.unescape(chip.group(1))
    assert "13 documents" in site.get(html.unescape(chip.group(1))).get_data(as_text=True)


def test_sort_by_date_and_pages(site: FlaskClient) -> None:
    newest = titles(page(site, "haies bocage", tri="date"))
    assert newest[:2] == ["Haies et bocage 11", "Haies et bocage 10"]
    first, second = page(site, "haies"), page(site, "haies", page=2)
    assert "Page 1 sur 2" in first and len(titles(first)) == 10 and len(titles(second)) == 3
    assert not set(titles(first)) & set(titles(second))


def test_typed_filters_become_removable_chips(site: FlaskClient) -> None:
    text = page(site, "haies territoire:orne annee:2012-2016")
    assert "3 documents" in text
    chips = re.findall(r'<a class="chip" href="([^"]+)"', text)
    assert len(chips) == 2
    assert "annee%3A2012-2016" in chips[0] and "territoire" not in chips[0]


def test_long_facets_fold_their_tail_unless_a_value_in_it_is_chosen(
        site: FlaskClient) -> None:
    text = page(site, "haies")
    years = text[text.index("facet-annee"):]
    years = years[:years.index("</section>")]
    assert years.count('<li class="depth-0') == 12
    shown, folded = years.split('<details class="facet-more">')
    assert shown.count("<li") == 8 and "4 de plus" in folded
    oldest = html.unescape(re.findall(r'href="([^"]*annee=[^"]*)"', folded)[-1])
    chosen = site.get(oldest).get_data(as_text=True)
    assert '<details class="facet-more" open>' in chosen


def test_a_query_of_common_words_only_says_so(site: FlaskClient) -> None:
    text = page(site, "le la les")
    assert "Aucun résultat" in text and "trop courants pour être cherchés seuls" in text
    assert "trop courants" not in page(site, "le zzzqqq")


def test_spelling_help(site: FlaskClient) -> None:
    applied = page(site, "bocgae")
    assert "Résultats pour « <strong>bocage</strong> »" in applied and "exact=1" in applied
    assert "13 documents" in applied
    exact = page(site, "bocgae", exact=1)
    assert "Aucun résultat pour" in exact and "Résultats pour" not in exact


def test_snippets_and_titles_are_escaped(site: FlaskClient) -> None:
    text = page(site, "alert bocage")
    assert titles(text)[0] == "Le bocage <script>alert(1)</script>"
    assert "<script>alert" not in text and "&lt;script&gt;alert" in text
    assert "&lt;b&gt;" in text and '<mark class="hl">' in text


def test_similar_documents_panel(site: FlaskClient) -> None:
    link = re.search(r'href="(/documents/[^"]+)">Haies et bocage 3<', page(site, "haies"))
    assert link
    text = site.get(link.group(1)).get_data(as_text=True)
    assert "Documents similaires" in text
    similar = re.findall(r'<li><a href="/documents/[^"]+">([^<]+)</a>',
                         text[text.index("Documents similaires"):])
    assert similar and "Haies et bocage 3" not in similar


def test_suggestions_script_is_served_and_no_inline_script(site: FlaskClient) -> None:
    text = page(site, "haies")
    assert '<script src="/static/search-suggest.js" defer></script>' in text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
    response = site.get("/static/search-suggest.js")
    assert response.status_code == 200
    response.close()
