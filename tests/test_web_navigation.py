"""The menus by role (primary menu, « Mon espace »), the current page marked, the sign-in
redirect that says why, and French form messages."""

from __future__ import annotations

import html as html_module
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm

from tests.conftest import Auth, csrf_token
from webui.common.forms import Form
from webui.common.navigation import PRIMARY, register_nav

PRIMARY_LABELS = ["Rechercher", "Thèmes", "Fondamentaux", "Fiches", "Catalogues", "Annuaire"]
SPACE_LABELS = {
    "allie": ["Déposer des documents", "Dossiers de validation", "Mon profil d'allié·e",
              "Mon compte"],
    "maieuticien": ["Déposer des documents", "Mes fiches d'expérience",
                    "Dossiers de validation", "Mon profil d'allié·e", "Mon compte"],
    "formateur": ["Déposer des documents", "Dossiers de validation", "Nouveau catalogue",
                  "Mon profil d'allié·e", "Mon compte"],
    "collectif": ["Déposer des documents", "Dossiers à traiter", "Dossiers de validation",
                  "Concepts candidats", "Mon profil d'allié·e", "Mon compte"],
    "admin": ["Déposer des documents", "Mes fiches d'expérience", "Dossiers à traiter",
              "Dossiers de validation", "Nouveau catalogue", "Concepts candidats",
              "Annuaire : à vérifier", "Comptes", "Mon profil d'allié·e", "Mon compte"],
}


def menu_labels(html: str, name: str) -> list[str]:
    block = html.split(f'aria-label="{name}"', 1)[1].split("</nav>", 1)[0]
    return [html_module.unescape(label) for label in re.findall(r"<a [^>]*>([^<]+)</a>", block)]


def current_links(html: str) -> list[str]:
    return [html_module.unescape(label) for label in
            re.findall(r'<a href="[^"]*" aria-current="page">([^<]+)</a>', html)]


def test_visitors_see_the_primary_menu_and_a_sign_in_link(client: FlaskClient) -> None:
    html = client.get("/fondamentaux").get_data(as_text=True)
    assert menu_labels(html, "Menu principal") == PRIMARY_LABELS
    assert "Mon espace" not in html
    assert 'href="/connexion?suivant=/fondamentaux">Se connecter' in html
    assert current_links(html) == ["Fondamentaux"]


@pytest.mark.parametrize("role", list(SPACE_LABELS))
def test_each_role_finds_its_work_under_mon_espace(client: FlaskClient, auth: Auth,
                                                    role: str) -> None:
    auth.login(role)
    html = client.get("/").get_data(as_text=True)
    assert menu_labels(html, "Menu principal") == PRIMARY_LABELS
    assert menu_labels(html, "Mon espace") == SPACE_LABELS[role]
    assert "Se déconnecter" in html


@pytest.mark.parametrize(("path", "current"), [
    ("/recherche?q=eau", ["Rechercher"]),
    ("/recherche?q=eau&type=fiche-experience", ["Fiches"]),
    ("/taxonomie/", ["Thèmes"]),
    ("/catalogues/", ["Catalogues"]),
    ("/annuaire/", ["Annuaire"]),
    ("/", []),
])
def test_the_current_page_is_marked_once(client: FlaskClient, path: str,
                                         current: list[str]) -> None:
    assert current_links(client.get(path).get_data(as_text=True)) == current


def test_a_concept_page_is_under_themes_and_a_draft_under_my_sheets(
        client: FlaskClient, auth: Auth) -> None:
    html = client.get("/taxonomie/concept?uri=urn:absent").get_data(as_text=True)
    assert current_links(html) == ["Thèmes"]
    auth.login("maieuticien")
    html = client.get("/fiches/nouvelle").get_data(as_text=True)
    assert current_links(html) == ["Mes fiches d'expérience"]


def test_a_feature_adds_its_own_entries(app: Flask, client: FlaskClient, auth: Auth) -> None:
    register_nav(app, "labels.index", "Labels", order=45, menu=PRIMARY)
    register_nav(app, "fundamentals.index", "Mon profil", {"formateur"}, order=85)
    html = client.get("/labels").get_data(as_text=True)
    assert menu_labels(html, "Menu principal") == [*PRIMARY_LABELS[:4], "Labels",
                                                   *PRIMARY_LABELS[4:]]
    assert current_links(html) == ["Labels"]
    auth.login("allie")
    assert "Mon profil" not in menu_labels(client.get("/").get_data(as_text=True),
                                           "Mon espace")
    auth.logout()
    auth.login("formateur")
    assert menu_labels(client.get("/").get_data(as_text=True), "Mon espace")[-2:] == [
        "Mon profil", "Mon compte"]


@pytest.mark.parametrize("path", ["/dossiers", "/fiches/nouvelle", "/admin/utilisateurs",
                                  "/compte"])
def test_a_members_page_sends_visitors_to_sign_in_and_says_why(client: FlaskClient,
                                                               path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/connexion?suivant={path}"
    html = html_module.unescape(client.get(response.headers["Location"]).get_data(as_text=True))
    assert "Cette page est réservée aux membres de l'alliance" in html


def test_form_validation_messages_are_in_french(client: FlaskClient, auth: Auth) -> None:
    auth.login("allie")
    response = client.post("/compte", data={
        "csrf_token": csrf_token(client, "/compte"), "current": "", "new": "court",
        "confirm": "court"})
    html = response.get_data(as_text=True)
    assert "Le champ doit contenir au moins 10 caractères." in html
    assert "Ce champ est requis." in html
    assert "This field" not in html and "Field must" not in html


def test_every_form_of_the_site_speaks_french() -> None:
    import webui.app  # noqa: F401  (imports every form module)

    def subclasses(cls: type) -> list[type]:
        return [cls, *(s for sub in cls.__subclasses__() for s in subclasses(sub))]

    ours = [c for c in subclasses(FlaskForm) if c.__module__.startswith("webui.")]
    assert len(ours) > 10
    assert [c.__name__ for c in ours if not issubclass(c, Form)] == []
