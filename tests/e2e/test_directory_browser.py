"""The directory of allies in a real browser: an ally recognises herself in the profile the
documents made, the association accepts, she completes it and consents for the members, sees
her evidence; a member finds her by theme and territory, and by a question. Screenshots of
the directory, a profile, an organisation, « Mon profil d'allié·e » and the review page at
390 and 1280 px; none of them scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask

from kb.accounts.users import create_user
from kb.ingestion.batches import ingest_paths
from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS, PASSWORD
from tests.e2e.conftest import go_to_space, screenshot, sign_in, sign_in_as, sign_out

pytestmark = pytest.mark.browser
WIDTHS = (390, 1280)
ALLY = "lucie.martin@exemple.fr"
SHEETS = {
    "cantine-auch.md": ("Cantines d'Auch : 60 % de produits locaux en deux ans",
                        "Auch (32)", "2024-05-02"),
    "marche-paysan-gers.md": ("Un marché paysan pour les collèges du Gers",
                              "Département du Gers", "2023-03-10"),
}


def _sheets(folder: Path) -> Path:
    """Two public sheets on food in the Gers that Lucie Martin narrated."""
    folder.mkdir()
    for name, (title, territory, date) in SHEETS.items():
        (folder / name).write_text(
            f'---\ntitre: "{title}"\ntype: fiche-experience\nauteurs:\n  - Lucie Martin\n'
            f'  - Paul Durand\ndate: {date}\nterritoire: "{territory}"\nthemes:\n'
            f'  - alimentation\n  - agriculture\nvisibilite: public\n'
            f'narrateur: "Lucie Martin, cheffe de cuisine"\nmaieuticien: "Paul Durand"\n---\n\n'
            f"# {title}\n\n## Contexte\n\nLa cuisine centrale sert des repas aux écoles ; "
            "l'alimentation durable et les circuits courts y entrent avec les producteurs "
            "locaux.\n", encoding="utf-8")
    # A tool signed with her initials, in a territory the shipped list cannot place.
    (folder / "outil-armagnac.md").write_text(
        '---\ntitre: "Atelier menus de saison"\ntype: outil\nauteurs:\n  - L. Martin\n'
        'date: 2022-10-01\nterritoire: "Pays d\'Armagnac"\nvisibilite: public\n---\n\n'
        "# Atelier menus de saison\n\nUn atelier pour composer des menus de saison.\n",
        encoding="utf-8")
    return folder



def _shots(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Screenshots at each width; the page never scrolls sideways."""
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth"
                                 " - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_ally_is_found_by_theme_and_territory(page, live_app, tmp_path: Path
                                                 ) -> None:  # type: ignore[no-untyped-def]
    app: Flask = live_app[0]
    ctx = app.extensions["kb"]
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    assert not ingest_paths(ctx, [_sheets(tmp_path / "fiches")]).failed
    create_user(ctx, ALLY, PASSWORD, "allie", display_name="Lucie Martin")

    # The ally recognises herself in the profile the documents made.
    sign_in_as(page, ALLY)
    go_to_space(page, "Mon profil d'allié·e")
    page.get_by_role("heading", name="Est-ce vous ?").wait_for()
    _shots(page, "40-annuaire-mon-profil-debut")
    page.get_by_role("button", name="C'est moi").click()
    page.get_by_text("Demande envoyée").wait_for()
    sign_out(page)

    # The association accepts the claim and says the initials are hers.
    sign_in(page, "admin")
    go_to_space(page, "Annuaire : à vérifier")
    page.get_by_text("Le compte Lucie Martin se reconnaît dans").wait_for()
    assert "« Pays d'Armagnac » (1 document)" in page.locator("main").inner_text()
    _shots(page, "41-annuaire-a-verifier")
    page.get_by_role("button", name="Accepter").click()
    page.get_by_text("Demande acceptée").wait_for()
    page.get_by_role("button", name="Oui, la même personne").click()
    page.get_by_text("Nom rattaché au profil.").wait_for()
    sign_out(page)

    # She completes her profile, consents for the members, and sees her evidence.
    sign_in_as(page, ALLY)
    go_to_space(page, "Mon profil d'allié·e")
    page.get_by_role("heading", name="Mon profil d'allié·e").wait_for()
    page.get_by_label("Fonction, métier").fill("Cheffe de cuisine centrale")
    page.get_by_label("Organisation", exact=True).fill("Cantines du Gers")
    page.get_by_label("Territoires d'action (un par ligne)").fill("Auch (32)")
    page.get_by_label("Compétences déclarées (une par ligne)").fill("alimentation")
    page.get_by_label("Qui voit mon profil").select_option("membres")
    page.get_by_label("J'accepte que mon profil figure").check()
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_text("Profil enregistré.").wait_for()
    evidence = page.locator(".evidence-list li").all_inner_texts()
    assert len(evidence) == 3 and any("Atelier menus de saison" in item for item in evidence)
    _shots(page, "42-annuaire-mon-profil")
    sign_out(page)

    # A visitor does not see her: she consented for the members only.
    page.goto("/annuaire/")
    assert page.locator(".person-result").count() == 0

    # A member finds her by theme and territory, with the reasons.
    sign_in(page, "formateur")
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Annuaire").click()
    page.get_by_label("Thème").select_option(label="alimentation")
    page.get_by_label("Territoire").select_option(label="Gers (32)")
    page.get_by_role("button", name="Chercher", exact=True).click()
    first = page.locator(".person-result").first
    assert first.locator("h2").inner_text() == "Lucie Martin"
    assert ("2 fiches d'expérience publiées sur « alimentation », dans le département "
            "Gers (32)") in first.locator(".reasons").inner_text()
    _shots(page, "43-annuaire-recherche")

    # On a phone the people come first: the facets are folded above them, saying how many
    # filters are on.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    facets = page.locator(".facets-disclosure")
    assert facets.get_attribute("open") is None
    assert "2 filtres actifs" in facets.locator("> summary").inner_text()
    assert not facets.locator(".facets").is_visible()
    summary = facets.locator("> summary").bounding_box()
    first_y = page.locator(".person-result").first.bounding_box()["y"]
    assert summary["y"] + summary["height"] < first_y < summary["y"] + summary["height"] + 80
    screenshot(page, "43-annuaire-recherche-plie-390")
    page.set_viewport_size({"width": 1280, "height": 900})

    # And by a question, which says what it understood.
    page.get_by_label("Thème").select_option("")
    page.get_by_label("Territoire").select_option("")
    page.get_by_label("Recherche", exact=True).fill(
        "qui a accompagné une démarche d'alimentation durable dans le Gers ?")
    page.get_by_role("button", name="Chercher", exact=True).click()
    assert page.locator(".person-result h2").first.inner_text() == "Lucie Martin"
    assert "thème « alimentation »" in page.locator(".understood").inner_text()

    first.get_by_role("link", name="Lucie Martin").click()
    page.get_by_role("heading", level=1, name="Lucie Martin").wait_for()
    assert page.locator("table.evidence tbody tr").count() == 3
    assert "@" not in page.locator("main").inner_text()
    _shots(page, "44-annuaire-profil")
    page.get_by_role("link", name="Cantines du Gers").click()
    page.get_by_role("heading", level=1, name="Cantines du Gers").wait_for()
    assert page.locator(".members li").count() == 1
    _shots(page, "45-annuaire-organisation")
