"""No page a visitor can open shows an account's email address; members see names only.

A populated instance (documents, a validated doctrine text with an objection set aside, a
label, a public catalogue, a published experience sheet, the taxonomy) is crawled from its
public entry points, following every link, form and API answer; DOCX, ODT and ZIP bodies
are opened and searched too."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections import Counter, deque
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from kb.accounts.users import reader_for
from kb.catalogues.catalogue import create_catalogue
from kb.catalogues.items import add_item
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import User
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.states import publish, record_approval, submit_for_review
from kb.sheets.writing import create_sheet
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tag_review import set_tag_decision
from kb.visibility import Reader
from kb.workflow.criteria import criterion_keys
from kb.workflow.dossiers import act, decide, propose_document
from kb.workflow.labels import create_initiative, propose_label, set_criteria
from kb.workflow.positions import answer_objection, set_aside_objection, take_position
from tests.conftest import CORPUS, ROLE_EMAILS, Auth

DOCUMENTS = {
    "charte.md": "---\ntitre: Charte des communs\ntype: texte-fondateur\nvisibilite: public\n"
                 "auteurs: [Association de promotion]\nthemes: [communs]\n---\n# Charte des "
                 "communs\n\nLes communs territoriaux sont une ressource partagée.\n",
    "note.md": "---\ntitre: Note interne sur la gouvernance\nvisibilite: membres\n---\n"
               "# Note interne\n\nLa gouvernance partagée des communs demande du temps.\n",
}
CONCEPT = "https://kb.fabriquedestransitions.fr/taxonomie/c/communaute-apprenante"
EMAIL = re.compile(rb"[\w.+-]+@[\w-]+\.[\w.-]+")


def reader(ctx: KbContext, role: str) -> Reader:
    with ctx.sessions() as session:
        user = session.query(User).filter_by(email=ROLE_EMAILS[role]).one()
        return reader_for(user)


def populate(ctx: KbContext, folder: Path) -> dict[str, str]:
    """Every kind of page that names people, through the services."""
    folder.mkdir()
    for name, body in DOCUMENTS.items():
        (folder / name).write_text(body, encoding="utf-8")
    report = ingest_paths(ctx, [folder])
    ids = {o.source_key: str(o.document_id) for o in report.outcomes}
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    set_tag_decision(ctx, reader(ctx, "collectif"), ids["charte.md"], CONCEPT, "accepted")
    dossier = propose_document(ctx, reader(ctx, "allie"), ids["charte.md"], "Notre socle.")
    act(ctx, reader(ctx, "collectif"), dossier.id, "ouvrir-debat")
    objection = take_position(ctx, reader(ctx, "collectif"), dossier.id, "objection", "Flou.")
    answer_objection(ctx, reader(ctx, "allie"), dossier.id, objection.id, "Précisé.")
    set_aside_objection(ctx, reader(ctx, "admin"), dossier.id, objection.id, "Hors sujet.")
    take_position(ctx, reader(ctx, "collectif"), dossier.id, "objection", "Toujours flou.")
    take_position(ctx, reader(ctx, "collectif"), dossier.id, "consentement")
    decide(ctx, reader(ctx, "admin"), dossier.id, "valider", "Consentement.", None)
    admin = reader(ctx, "admin")
    initiative = create_initiative(ctx, admin, "Tiers-lieu de Tulle", "Un lieu partagé.",
                                   "Tulle", "Association La Cour")
    label = propose_label(ctx, admin, initiative.id, "egide", "Exemplaire.")
    act(ctx, admin, label.id, "ouvrir-debat")
    set_criteria(ctx, admin, label.id, criterion_keys("egide"))
    take_position(ctx, reader(ctx, "collectif"), label.id, "consentement")
    decide(ctx, admin, label.id, "valider", "Label accordé.", None)
    trainer = reader(ctx, "formateur")
    catalogue = create_catalogue(ctx, trainer, {"title": "Parcours communs",
                                                "sharing": "public"})
    add_item(ctx, trainer, catalogue.id, ids["charte.md"], note="À lire d'abord.")
    midwife = reader(ctx, "maieuticien")
    narrator = reader(ctx, "allie")
    sheet = create_sheet(ctx, midwife, SheetContent(
        title="La ressourcerie de Calvi",
        authors=[Author("Jean Santoni"), Author("Maïa Lucien", "maïeuticienne")],
        narrative="Nous avons ouvert une ressourcerie.", context="Une intercommunalité."),
        SheetSettings("public", [], narrator.user_id)).sheet
    submit_for_review(ctx, midwife, sheet.id, sheet.version)
    record_approval(ctx, narrator, sheet.id, sheet.version, "", None)
    publish(ctx, midwife, sheet.id, sheet.version)
    return {"catalogue": catalogue.id, "dossier": dossier.id, **ids}


def bodies(data: bytes) -> bytes:
    """The bytes to search: the member files of a ZIP container (DOCX, ODT, ZIP) too."""
    if data[:2] != b"PK":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"\n".join(archive.read(name) for name in archive.namelist())


def links(path: str, data: bytes) -> list[str]:
    found = [m.decode() for m in re.findall(rb'(?:href|src|action)="([^"#]+)"', data)]
    if data[:1] in (b"{", b"["):
        found += re.findall(r'"url": ?"([^"]+)"', data.decode())
    kept = []
    for link in found:
        parts = urlsplit(link.replace("&amp;", "&"))
        if parts.netloc not in ("", "localhost") or parts.path.startswith("/static/"):
            continue
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        kept.append(target if target.startswith("/") else path.rsplit("/", 1)[0] + "/" + target)
    return kept


def crawl(client: FlaskClient, seeds: list[str], limit: int = 400) -> dict[str, bytes]:
    """GET every page reachable from `seeds` on this site; returns what each one served.
    Facet links combine without end: 30 result pages per search path are enough."""
    seen: dict[str, bytes] = {}
    searches: Counter[str] = Counter()
    queue = deque(seeds)
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or "deconnexion" in path:
            continue
        route = urlsplit(path).path
        if route in ("/recherche", "/api/search"):
            searches[route] += 1
            if searches[route] > 30:
                continue
        response = client.get(path)
        seen[path] = bodies(response.get_data())
        if response.status_code in (301, 302, 303):
            queue.append(response.headers["Location"])
        elif response.status_code == 200:
            queue.extend(links(path, response.get_data()))
    return seen


def seeds(ids: dict[str, str]) -> list[str]:
    return ["/", "/fondamentaux", "/fondamentaux.zip", "/fondamentaux.docx", "/labels",
            "/taxonomie/", "/catalogues/", f"/catalogues/{ids['catalogue']}",
            "/recherche?q=communs", "/recherche?q=ressourcerie", "/recherche?q=auteur:santoni",
            "/api/search?q=communs", "/api/search?q=ressourcerie",
            "/api/search/suggestions?q=comm", f"/documents/{ids['charte.md']}",
            f"/documents/{ids['note.md']}", f"/dossiers/{ids['dossier']}", "/connexion"]


def test_no_page_a_visitor_opens_shows_an_address(app: Flask, client: FlaskClient,
                                                   accounts: dict[str, int],
                                                   tmp_path: Path) -> None:
    ids = populate(app.extensions["kb"], tmp_path / "docs")
    pages = crawl(client, seeds(ids))
    assert len(pages) > 40, sorted(pages)
    assert any(b"Parcours communs" in body for body in pages.values())  # the data is there
    assert any(b"Tiers-lieu de Tulle" in body for body in pages.values())
    assert any(path.startswith("/taxonomie/concept") for path in pages)
    leaks = {path: EMAIL.findall(body) for path, body in pages.items() if EMAIL.search(body)}
    assert leaks == {}


def test_members_see_names_not_other_addresses(app: Flask, client: FlaskClient, auth: Auth,
                                               tmp_path: Path) -> None:
    ids = populate(app.extensions["kb"], tmp_path / "docs")
    auth.login("allie")
    pages = crawl(client, [*seeds(ids), f"/dossiers/{ids['dossier']}/historique.csv",
                           f"/dossiers/{ids['dossier']}/historique.json", "/dossiers",
                           "/dossiers/a-traiter", "/compte"])
    assert f"/dossiers/{ids['dossier']}" in pages and b"Hors sujet." in pages[
        f"/dossiers/{ids['dossier']}"]
    leaks = {path: found for path, body in pages.items()
             if (found := [e for e in EMAIL.findall(body)
                           if not (path == "/compte" and e == ROLE_EMAILS["allie"].encode())])}
    assert leaks == {}
    history = json.loads(pages[f"/dossiers/{ids['dossier']}/historique.json"])
    assert {e["auteur"] for e in history["evenements"]} == {"Allie", "Collectif", "Admin"}
