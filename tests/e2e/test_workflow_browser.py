"""The whole doctrine path in a browser: propose, debate with a reservation and an objection,
answer the objection, decide, then see the badge and find the text with `statut:doctrine`."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.accounts.users import create_user
from kb.ingestion.batches import ingest_paths
from tests.conftest import PASSWORD
from tests.e2e.conftest import screenshot, sign_in, sign_out

pytestmark = pytest.mark.browser
SECOND = "collectif2@exemple.fr"
NOTE = """---
titre: Les communs territoriaux
themes: [communs]
visibilite: public
---
# Les communs territoriaux

Les communs territoriaux rassemblent habitants, élus et entreprises autour d'une ressource.
"""


def sign_in_as(page, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/connexion")
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/")


def test_doctrine_path(page, live_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = live_app
    ctx = app.extensions["kb"]
    create_user(ctx, SECOND, PASSWORD, "collectif", display_name="Camille")
    (tmp_path / "communs.md").write_text(NOTE, encoding="utf-8")
    doc_id = ingest_paths(ctx, [tmp_path / "communs.md"]).outcomes[0].document_id

    sign_in(page, "allie")
    page.goto(f"/documents/{doc_id}")
    page.get_by_role("link", name="Proposer comme doctrine").click()
    page.get_by_label("Pourquoi ce texte").fill("Il fonde notre approche des communs.")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    page.get_by_text("Dossier ouvert").wait_for()
    dossier_url = page.url
    sign_out(page)

    sign_in(page, "collectif")
    page.get_by_role("link", name="À traiter").click()
    page.get_by_role("link", name="Les communs territoriaux").click()
    page.get_by_role("button", name="Ouvrir le débat").click()
    page.get_by_label("Réserve (avec un commentaire)").check()
    page.get_by_label("Commentaire (obligatoire pour une réserve ou une objection)").fill(
        "Préciser la place des entreprises.")
    page.get_by_role("button", name="Enregistrer ma position").click()
    page.get_by_text("Consensus avec réserves").wait_for()
    sign_out(page)

    sign_in_as(page, SECOND)
    page.goto(dossier_url)
    page.get_by_label("Objection (avec sa raison)").check()
    page.get_by_label("Commentaire (obligatoire pour une réserve ou une objection)").fill(
        "Le texte oublie les communs numériques.")
    page.get_by_role("button", name="Enregistrer ma position").click()
    page.get_by_text("Dissensus : 1 objection(s) ouverte(s)").wait_for()
    screenshot(page, "workflow-dissensus")
    sign_out(page)

    sign_in(page, "allie")
    page.goto(dossier_url)
    page.get_by_label("Réponse à l'objection").fill(
        "La section 2 traite désormais des communs numériques.")
    page.get_by_role("button", name="Répondre à l'objection de Camille").click()
    page.get_by_text("l'objection est levée").wait_for()
    sign_out(page)

    sign_in(page, "admin")
    page.goto(dossier_url)
    page.get_by_text("La règle permet de valider").wait_for()
    page.get_by_label("Valider", exact=True).check()
    page.get_by_label("Motifs de la décision").fill("Objection levée, consentement du collectif.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    assert page.locator(".dossier-state").first.inner_text() == "validé"
    screenshot(page, "workflow-decision")

    page.goto(f"/documents/{doc_id}")
    badge = page.locator(".doctrine-badge").first
    assert badge.inner_text() == "Doctrine validée"
    screenshot(page, "workflow-badge")
    badge.get_by_role("link").click()
    page.wait_for_url(dossier_url)

    page.get_by_label("Rechercher dans la base").fill("statut:doctrine")
    page.get_by_label("Rechercher dans la base").press("Enter")
    page.wait_for_url("**/recherche?**")
    results = page.locator(".results")
    results.get_by_role("link", name="Les communs territoriaux").wait_for()
    screenshot(page, "workflow-search-filter")
