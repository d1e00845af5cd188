"""In a real browser: a maïeuticienne files a sheet (with theme suggestions while she types),
records the narrator's approval and publishes it; a trainer finds it, adds it to a catalogue
and exports the catalogue as DOCX."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from kb.ingestion.batches import ingest_paths
from tests.e2e.conftest import go_to_space, screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser
NARRATIVE = ("Nous avons ouvert une ressourcerie solidaire dans une ancienne caserne. "
             "Elle relève de l'économie sociale et solidaire et emploie six personnes "
             "en insertion.")


def seed_themes(live_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "ess.md").write_text(
        "---\ntitre: Note sur l'ESS\nvisibilite: public\nthemes: [économie sociale et "
        "solidaire, réemploi]\n---\nUne note.\n", encoding="utf-8")
    assert not ingest_paths(live_app[0].extensions["kb"], [folder]).failed


def file_sheet(page) -> None:  # type: ignore[no-untyped-def]
    go_to_space(page, "Mes fiches d'expérience")
    page.get_by_role("link", name="Nouvelle fiche d'expérience").click()
    page.get_by_label("Titre de la fiche").fill("La ressourcerie de la caserne")
    page.get_by_label("Territoire", exact=True).fill("Communauté de communes de Calvi-Balagne")
    page.get_by_label("Date de l'expérience").fill("2022-05-01")
    page.get_by_label("Personne qui raconte : nom").fill("Jean Santoni")
    page.get_by_label("Personne qui raconte : rôle (facultatif)").fill("élu au développement")
    assert page.get_by_label("Personne n° 2 : rôle (facultatif)").input_value() == \
        "maïeuticien·ne"  # the writer, listed beforehand
    page.get_by_label("Contexte", exact=True).fill("Une intercommunalité rurale de Corse.")
    page.get_by_label("Acteurs", exact=True).fill("- la communauté de communes\n- Tri Balagne")
    page.get_by_label("Récit", exact=True).fill(NARRATIVE)
    page.get_by_label("Enseignements", exact=True).fill("Commencer petit, avec les habitants.")
    page.get_by_label("Visibilité une fois publiée").select_option("public")
    # Suggestions arrive in the background after a pause in typing; the author confirms one.
    page.get_by_label("Difficultés", exact=True).fill("Trouver un local adapté.")
    suggestion = page.get_by_role("button", name="+ économie sociale et solidaire")
    suggestion.wait_for()
    screenshot(page, "fiche-01-suggestions")
    suggestion.click()
    themes = page.get_by_label("Thèmes (un par ligne)").input_value()
    assert "économie sociale et solidaire" in themes
    page.get_by_role("button", name="Enregistrer le brouillon").click()
    page.get_by_text("Brouillon enregistré.").wait_for()


def review_and_publish(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="voir la fiche, son état et ses versions").click()
    page.get_by_role("button", name="Envoyer en relecture").click()
    page.get_by_text("La fiche est en relecture").wait_for()
    assert page.get_by_label("Nom de la personne qui raconte l'expérience").input_value() == \
        "Jean Santoni"
    page.get_by_label("Comment l'accord a été donné").fill("relue avec lui au téléphone")
    page.get_by_role("button", name="Consigner l'accord du narrateur").click()
    page.get_by_text("Accord du narrateur consigné.").wait_for()
    screenshot(page, "fiche-02-accord")
    page.get_by_role("button", name="Publier la fiche").click()
    page.get_by_text("Fiche publiée").wait_for()
    screenshot(page, "fiche-03-publiee")


def compose_catalogue(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("link", name="Catalogues", exact=True).click()
    page.get_by_role("link", name="Nouveau catalogue").click()
    page.get_by_label("Titre du catalogue").fill("Formation réemploi et ESS")
    page.get_by_label("Public visé").fill("Élu·es et agent·es des intercommunalités")
    page.get_by_label("Durée").fill("Une journée")
    page.get_by_label("Partage").select_option("membres")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", level=1, name="Formation réemploi et ESS").wait_for()


def test_sheet_filed_published_found_and_catalogued(page, live_app, tmp_path: Path
                                                   ) -> None:  # type: ignore[no-untyped-def]
    seed_themes(live_app, tmp_path)
    page.goto("/")
    sign_in(page, "maieuticien")
    file_sheet(page)
    review_and_publish(page)
    sign_out(page)

    sign_in(page, "formateur")
    compose_catalogue(page)
    page.get_by_label("Rechercher dans la base").fill("ressourcerie caserne")
    page.get_by_label("Rechercher dans la base").press("Enter")
    result = page.locator(".result h2 a").first
    assert result.inner_text() == "La ressourcerie de la caserne"
    result.click()
    page.get_by_role("heading", level=1, name="La ressourcerie de la caserne").wait_for()
    assert "Fiche d'expérience" in page.locator(".kind").first.inner_text()
    page.get_by_label("Note (facultative)").fill("Un exemple d'insertion par le réemploi.")
    screenshot(page, "catalogue-01-ajout")
    page.get_by_role("button", name="Ajouter au catalogue").click()
    page.get_by_text("ajouté à « Formation réemploi et ESS »").wait_for()
    assert page.locator(".catalogue-item h3").inner_text() == "La ressourcerie de la caserne"
    screenshot(page, "catalogue-02-catalogue")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Exporter en DOCX").click()
    download = download_info.value
    assert download.suggested_filename == "catalogue-formation-reemploi-et-ess.docx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    paragraphs = [p.text for p in docx.Document(io.BytesIO(saved.read_bytes())).paragraphs]
    assert paragraphs[0] == "Formation réemploi et ESS"
    assert "La ressourcerie de la caserne" in paragraphs
    assert "Un exemple d'insertion par le réemploi." in paragraphs
    assert any(p.startswith("Fiche d'expérience — Jean Santoni") for p in paragraphs)
