"""The main path in a real browser: sign in, upload, find without accents, open, sign out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from flask import Flask

from kb.ingestion.batches import ingest_paths
from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS
from tests.e2e.conftest import go_to_space, screenshot, sign_in, sign_out
from tests.filemakers import make_docx


def test_upload_find_review_tags_and_sign_out(page, live_app, tmp_path: Path
                                              ) -> None:  # type: ignore[no-untyped-def]
    """The issue's path, as a documentalist of the qualified collective."""
    app: Flask = live_app[0]
    import_skos(app.extensions["kb"], CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    docx_path = make_docx(
        tmp_path / "ressourcerie.docx", "Une ressourcerie à Écully",
        ["La ressourcerie réemploie les objets déposés à la déchèterie.",
         "Le réemploi et l'économie circulaire créent des emplois d'insertion ; "
         "la ressourcerie forme au réemploi et à la réparation."],
        author="Claire Fontaine", created=dt.datetime(2024, 3, 1))
    page.goto("/")
    screenshot(page, "01-accueil")
    sign_in(page, "collectif")
    go_to_space(page, "Déposer des documents")
    page.get_by_label("Fichiers").set_input_files(str(docx_path))
    page.get_by_label("Visibilité").select_option("membres")
    page.get_by_role("button", name="Déposer").click()
    page.get_by_text("1 ajouté(s)").wait_for()
    screenshot(page, "02-depot")

    page.get_by_label("Rechercher dans la base").fill("reemploi dechetterie ecully")
    page.get_by_label("Rechercher dans la base").press("Enter")
    first = page.locator(".result h2 a").first
    assert first.inner_text() == "Une ressourcerie à Écully"
    assert page.locator(".result mark").count() >= 1
    screenshot(page, "03-resultats")
    first.click()
    page.get_by_role("heading", level=1, name="Une ressourcerie à Écully").wait_for()
    assert "Claire Fontaine" in page.locator(".metadata").inner_text()

    # Themes are suggested in the background after the upload; wait for them.
    accept = page.locator(".tag-suggested button", has_text="Accepter").first
    for _ in range(240):  # a minute at most
        if accept.count():
            break
        page.wait_for_timeout(250)
        page.reload()
    label = page.locator(".tag-suggested a").first.inner_text()
    accept.click()
    page.locator(".tag-accepted a", has_text=label).wait_for()
    assert "acceptée" in page.locator(".tag-accepted").first.inner_text()
    screenshot(page, "04-document-themes")

    sign_out(page)
    page.goto("/recherche?q=ressourcerie")
    assert page.locator(".result").count() == 0
    assert "Aucun résultat" in page.locator(".count").inner_text()
    page.goto("/taxonomie/")
    screenshot(page, "05-themes")


def test_keyboard_only_search(page, live_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "note.md").write_text("---\ntitre: Économie circulaire\nvisibilite: public\n---\n"
                                    "Le réemploi des matériaux.\n", encoding="utf-8")
    ingest_paths(live_app[0].extensions["kb"], [folder])
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "q-main"
    page.keyboard.type("economie circulaire")
    page.keyboard.press("Enter")
    page.wait_for_url("**/recherche?q=*")
    assert page.locator(".result h2 a").first.inner_text() == "Économie circulaire"
