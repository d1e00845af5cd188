"""The whole doctrine path in a browser: propose, debate with a reservation and an objection,
answer the objection, its author withdraws it, decide, then see the badge and find the text
with `statut:doctrine`. Then three members: one objects, another answers, the objection
stays until the collective sets it aside, and the history shows who did what."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb.accounts.users import create_user
from kb.ingestion.batches import ingest_paths
from tests.conftest import PASSWORD
from tests.e2e.conftest import go_to_space, screenshot, sign_in, sign_in_as, sign_out

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


def propose_note(page, ctx, folder: Path) -> str:  # type: ignore[no-untyped-def]
    """Ingest the note, then propose it as doctrine as the member signed in; its id."""
    (folder / "communs.md").write_text(NOTE, encoding="utf-8")
    doc_id = ingest_paths(ctx, [folder / "communs.md"]).outcomes[0].document_id
    page.goto(f"/documents/{doc_id}")
    page.get_by_role("link", name="Proposer comme doctrine").click()
    page.get_by_label("Pourquoi ce texte").fill("Il fonde notre approche des communs.")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    return doc_id


def take_position(page, stance: str, comment: str = "") -> None:  # type: ignore[no-untyped-def]
    """Tick a stance on the dossier page and send it, with its comment if any."""
    page.get_by_label(stance, exact=True).check()
    if comment:
        page.get_by_label("Commentaire (obligatoire pour une réserve ou une objection)").fill(
            comment)
    page.get_by_role("button", name="Enregistrer ma position").click()


def test_doctrine_path(page, live_app, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    app, _ = live_app
    ctx = app.extensions["kb"]
    create_user(ctx, SECOND, PASSWORD, "collectif", display_name="Camille")

    sign_in(page, "allie")
    doc_id = propose_note(page, ctx, tmp_path)
    page.get_by_text("Dossier ouvert").wait_for()
    dossier_url = page.url
    sign_out(page)

    sign_in(page, "collectif")
    go_to_space(page, "Dossiers à traiter")
    page.get_by_role("link", name="Les communs territoriaux").click()
    page.get_by_role("button", name="Ouvrir le débat").click()
    take_position(page, "Réserve (avec un commentaire)", "Préciser la place des entreprises.")
    page.get_by_text("Consensus avec réserves").wait_for()
    sign_out(page)

    sign_in_as(page, SECOND)
    page.goto(dossier_url)
    take_position(page, "Objection (avec sa raison)", "Le texte oublie les communs numériques.")
    page.get_by_text("Dissensus : 1 objection(s) ouverte(s)").wait_for()
    screenshot(page, "workflow-dissensus")
    sign_out(page)

    sign_in(page, "allie")
    page.goto(dossier_url)
    page.get_by_label("Réponse à l'objection").fill(
        "La section 2 traite désormais des communs numériques.")
    page.get_by_role("button", name="Répondre à l'objection de Camille").click()
    page.get_by_text("L'objection reste ouverte").wait_for()
    sign_out(page)

    sign_in_as(page, SECOND)
    page.goto(dossier_url)
    withdraw = page.locator(".withdraw-form")
    withdraw.get_by_label("Consentement").check()
    withdraw.get_by_role("button", name="Retirer mon objection").click()
    page.get_by_text("Objection retirée.").wait_for()
    sign_out(page)

    sign_in(page, "admin")
    page.goto(dossier_url)
    page.get_by_text("La règle permet de valider").wait_for()
    page.get_by_label("Valider", exact=True).check()
    page.get_by_label("Motifs de la décision").fill("Objection retirée, consentement du collectif.")
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


MEMBERS = {"aline@exemple.fr": "Aline Objecte", "bruno@exemple.fr": "Bruno Répond",
           "chloe@exemple.fr": "Chloé Écarte"}


def test_three_members_objection_stays_until_set_aside(  # type: ignore[no-untyped-def]
        page, live_app, tmp_path: Path) -> None:
    app, _ = live_app
    ctx = app.extensions["kb"]
    for email, name in MEMBERS.items():
        create_user(ctx, email, PASSWORD, "collectif", display_name=name)
    sign_in(page, "collectif")
    propose_note(page, ctx, tmp_path)
    page.get_by_role("button", name="Ouvrir le débat").click()
    take_position(page, "Consentement")
    dossier_url = page.url
    sign_out(page)

    sign_in_as(page, "aline@exemple.fr")  # A objects
    page.goto(dossier_url)
    take_position(page, "Objection (avec sa raison)", "Le texte oublie les communs numériques.")
    page.get_by_text("Dissensus : 1 objection(s) ouverte(s)").wait_for()
    sign_out(page)

    sign_in_as(page, "bruno@exemple.fr")  # B answers; the objection stays open
    page.goto(dossier_url)
    assert page.get_by_role("button", name="Retirer mon objection").count() == 0
    page.get_by_label("Réponse à l'objection").fill("La section 2 en parlera.")
    page.get_by_role("button", name="Répondre à l'objection de Aline Objecte").click()
    page.get_by_text("L'objection reste ouverte").wait_for()
    page.get_by_text("Dissensus : 1 objection(s) ouverte(s)").wait_for()
    page.get_by_role("button", name="Enregistrer ma position").wait_for()
    take_position(page, "Consentement")
    page.get_by_text("Validation pas encore possible").wait_for()  # quorum met, objection open
    screenshot(page, "workflow-objection-answered")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "workflow-objection-answered-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_out(page)

    sign_in(page, "admin")
    page.goto(dossier_url)
    page.get_by_text("1 objection(s) encore ouverte(s)").wait_for()
    sign_out(page)

    sign_in_as(page, "chloe@exemple.fr")  # C sets it aside for the collective, saying why
    page.goto(dossier_url)
    page.get_by_text("Écarter cette objection au nom du collectif").click()
    page.get_by_label("Pourquoi le collectif écarte cette objection").fill(
        "Les communs numériques feront l'objet d'un texte à part.")
    page.get_by_role("button", name="Écarter l'objection de Aline Objecte").click()
    page.get_by_text("Objection écartée : la raison du collectif est consignée").wait_for()
    page.get_by_text("La règle permet de valider la version 1").wait_for()
    sign_out(page)

    sign_in(page, "admin")
    page.goto(dossier_url)
    page.get_by_label("Valider", exact=True).check()
    page.get_by_label("Motifs de la décision").fill("Consentement, une objection écartée.")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.get_by_text("Décision enregistrée").wait_for()
    history = page.locator("ol.history")
    expected = [("Aline Objecte", "Prise de position : objection"),
                ("Bruno Répond", "Réponse à une objection : objection de Aline Objecte"),
                ("Chloé Écarte", "Objection écartée par le collectif : objection de Aline"),
                ("Admin", "Décision : validé")]
    text = history.inner_text()
    for who, what in expected:
        assert f"{who} — {what}" in text, text
    assert "Raison : Les communs numériques feront l'objet d'un texte à part." in text
    assert ("objection de Aline Objecte (« Le texte oublie les communs numériques. »), écartée "
            "par Chloé Écarte : Les communs numériques feront l'objet") in text
    assert "@" not in page.locator("main").inner_text()
    screenshot(page, "workflow-objection-set-aside")
    page.set_viewport_size({"width": 390, "height": 844})
    # The dossier itself never scrolls sideways (the site menu is being reworked apart).
    assert page.evaluate("document.querySelector('main').scrollWidth <= window.innerWidth")
    screenshot(page, "workflow-objection-set-aside-390")
