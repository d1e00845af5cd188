"""The « before » half of `bench_pages.py`, for commit 8e237c2 (before the web pages were
reworked, issue 14), whose modules were flat (`kb.accounts`, `kb.workflow`, `webui`).

It runs only in a worktree of that commit, beside a copy of `page_timing.py`: it seeds
the same instance as `tests/seed.py` (the shipped corpus tagged with the shipped taxonomy,
one account per role, two validated doctrine texts, a debate, a draft and a published
sheet, a catalogue) through the old services, then times the same pages the same way. A
copy of the instance it seeded, given to `bench_pages.py` on the current code, is migrated
on opening (its index rebuilt): both sides read the
same data. The commands are in the README (« Temps des pages »).
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from sqlalchemy import select

from kb.accounts import create_user, reader_for
from kb.catalogue_items import add_item
from kb.catalogues import create_catalogue
from kb.config import Settings
from kb.context import KbContext
from kb.ingestion import ingest_paths
from kb.models import Document, User
from kb.sheet_content import SheetContent
from kb.sheet_rules import SheetSettings
from kb.sheet_workflow import publish, record_approval, submit_for_review
from kb.sheets import create_sheet
from kb.taxonomy_import import import_skos
from kb.workflow import act, decide, propose_document, take_position
from tests.bench.page_timing import SEEDED_MARK, print_timings
from tests.conftest import CORPUS, PASSWORD, ROLE_EMAILS

DOCTRINE_SOURCES = ("textes-fondateurs/charte-fondatrice.md",
                    "textes-fondateurs/note-doctrine-changement-systemique.md")
DEBATED_SOURCE = "textes-fondateurs/mise-en-recits-transitions-territoriales.md"


def _document_id(ctx: KbContext, source: str) -> str:
    with ctx.sessions() as session:
        return session.scalars(select(Document.id).where(Document.source_key == source)).one()


def _reader(ctx: KbContext, user_id: int):  # type: ignore[no-untyped-def]
    with ctx.sessions() as session:
        return reader_for(session.get(User, user_id))


def _sheet(title: str, narrative: str) -> SheetContent:
    return SheetContent(
        title=title, territory="Communauté de communes de Calvi-Balagne",
        experience_date=dt.date(2022, 5, 1), narrator="Jean Santoni",
        maieuticien="Maieuticien", context="Une intercommunalité rurale.",
        actors="- la communauté de communes", narrative=narrative,
        difficulties="Trouver un local.", lessons="Commencer petit.",
        themes=["économie sociale et solidaire"])


def seed(ctx: KbContext) -> str:
    """What `tests/seed.py` makes, through the old services; returns the public document."""
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    report = ingest_paths(ctx, [CORPUS / "documents"])
    assert not report.failed, report.failed
    users = {role: create_user(ctx, email, PASSWORD, role, display_name=role.title()).id
             for role, email in ROLE_EMAILS.items()}
    readers = {role: _reader(ctx, uid) for role, uid in users.items()}
    doctrine = [_document_id(ctx, source) for source in DOCTRINE_SOURCES]
    for doc_id in doctrine:
        dossier = propose_document(ctx, readers["allie"], doc_id, "Notre position commune.")
        act(ctx, readers["collectif"], dossier.id, "ouvrir-debat")
        take_position(ctx, readers["collectif"], dossier.id, "consentement")
        current = act(ctx, readers["admin"], dossier.id, "commenter", "Prêt pour décision.")
        decide(ctx, readers["admin"], dossier.id, "valider", "Consentement atteint.",
               current.version)
    debated = propose_document(ctx, readers["allie"], _document_id(ctx, DEBATED_SOURCE),
                               "Ce texte dit bien notre manière de raconter les transitions.")
    act(ctx, readers["admin"], debated.id, "ouvrir-debat")
    author = readers["maieuticien"]
    create_sheet(ctx, author, _sheet("Un jardin partagé au collège", "Nous avons semé."),
                 SheetSettings("membres"))
    sheet = create_sheet(ctx, author, _sheet("La ressourcerie de la caserne",
                                             "Une ressourcerie solidaire emploie six personnes."),
                         SheetSettings("public")).sheet
    sheet = submit_for_review(ctx, author, sheet.id, sheet.version)
    sheet = record_approval(ctx, author, sheet.id, sheet.version, "Jean Santoni", None)
    publish(ctx, author, sheet.id, sheet.version)
    catalogue = create_catalogue(ctx, readers["formateur"], {
        "title": "Formation réemploi et ESS", "audience": "Élu·es des intercommunalités",
        "duration": "Une journée", "sharing": "membres"})
    for doc_id in doctrine:
        add_item(ctx, readers["formateur"], catalogue.id, doc_id,
                 note="À lire avant la journée.")
    return _document_id(ctx, "textes-fondateurs/charte-fondatrice.md")


def run(home: Path) -> None:
    from webui import create_app

    mark = home / SEEDED_MARK
    if not mark.exists():
        ctx = KbContext.open(Settings.for_home(home))
        mark.write_text(seed(ctx), encoding="utf-8")
        ctx.close()
    document = mark.read_text(encoding="utf-8").strip()
    app = create_app(Settings.for_home(home))
    print_timings(app, document)
    app.extensions["kb_tasks"].shutdown()
    app.extensions["kb"].close()


if __name__ == "__main__":
    run(Path(sys.argv[1]))
