"""A lived-in instance for browser tests and page benchmarks: the shipped corpus and
taxonomy, one account per role, two validated doctrine texts, a debate awaiting the
collective's positions, a draft and a published experience sheet, a trainer's catalogue.

Everything goes through the real services (ingestion, tagging, workflow, sheets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select

from kb.accounts.users import create_user, reader_for
from kb.catalogues.catalogue import create_catalogue
from kb.catalogues.items import add_item
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Document, User
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.states import publish, record_approval, submit_for_review
from kb.sheets.writing import create_sheet
from kb.taxonomy.skos_import import import_skos
from kb.workflow.dossiers import act, decide, propose_document
from kb.workflow.positions import take_position
from tests.conftest import CORPUS, PASSWORD, ROLE_EMAILS

DOCTRINE_SOURCES = ("textes-fondateurs/charte-fondatrice.md",
                    "textes-fondateurs/note-doctrine-changement-systemique.md")
DEBATED_SOURCE = "textes-fondateurs/mise-en-recits-transitions-territoriales.md"


@dataclass
class Seeded:
    """Ids of what the seed made, for tests to open."""

    users: dict[str, int] = field(default_factory=dict)
    doctrine_ids: list[str] = field(default_factory=list)
    debate_dossier: str = ""
    draft_sheet: str = ""
    published_sheet_document: str = ""
    catalogue: str = ""
    public_document: str = ""


def _document_id(ctx: KbContext, source: str) -> str:
    with ctx.sessions() as session:
        found = session.scalar(select(Document.id).where(Document.source_key == source))
    assert found, source
    return found


def _sheet(title: str, narrative: str) -> SheetContent:
    return SheetContent(
        title=title, territory="Communauté de communes de Calvi-Balagne",
        experience_date=dt.date(2022, 5, 1),
        authors=[Author("Jean Santoni"), Author("Maieuticien", "maïeuticien·ne")],
        context="Une intercommunalité rurale.", actors="- la communauté de communes",
        narrative=narrative, difficulties="Trouver un local.", lessons="Commencer petit.",
        themes=["économie sociale et solidaire"])


def seed_sheets(ctx: KbContext, seeded: Seeded) -> None:
    author = reader_for(_user(ctx, seeded.users["maieuticien"]))
    draft = create_sheet(ctx, author, _sheet("Un jardin partagé au collège", "Nous avons semé."),
                         SheetSettings("membres"))
    seeded.draft_sheet = draft.sheet.id
    sheet = create_sheet(ctx, author, _sheet("La ressourcerie de la caserne",
                                             "Une ressourcerie solidaire emploie six personnes."),
                         SheetSettings("public")).sheet
    sheet = submit_for_review(ctx, author, sheet.id, sheet.version)
    sheet = record_approval(ctx, author, sheet.id, sheet.version, "Jean Santoni", None)
    seeded.published_sheet_document = publish(ctx, author, sheet.id, sheet.version).document_id


def seed_workflow(ctx: KbContext, seeded: Seeded) -> None:
    readers = {role: reader_for(_user(ctx, uid)) for role, uid in seeded.users.items()}
    for source in DOCTRINE_SOURCES:
        doc_id = _document_id(ctx, source)
        dossier = propose_document(ctx, readers["allie"], doc_id, "Notre position commune.")
        act(ctx, readers["collectif"], dossier.id, "ouvrir-debat")
        take_position(ctx, readers["collectif"], dossier.id, "consentement")
        current = act(ctx, readers["admin"], dossier.id, "commenter", "Prêt pour décision.")
        decide(ctx, readers["admin"], dossier.id, "valider", "Consentement atteint.",
               current.version)
        seeded.doctrine_ids.append(doc_id)
    debated = propose_document(ctx, readers["allie"], _document_id(ctx, DEBATED_SOURCE),
                               "Ce texte dit bien notre manière de raconter les transitions.")
    act(ctx, readers["admin"], debated.id, "ouvrir-debat")
    seeded.debate_dossier = debated.id


def seed_catalogue(ctx: KbContext, seeded: Seeded) -> None:
    trainer = reader_for(_user(ctx, seeded.users["formateur"]))
    catalogue = create_catalogue(ctx, trainer, {
        "title": "Formation réemploi et ESS", "audience": "Élu·es des intercommunalités",
        "duration": "Une journée", "sharing": "membres"})
    for doc_id in seeded.doctrine_ids:
        add_item(ctx, trainer, catalogue.id, doc_id, note="À lire avant la journée.")
    seeded.catalogue = catalogue.id


def _user(ctx: KbContext, user_id: int) -> User:
    with ctx.sessions() as session:
        user = session.get(User, user_id)
    assert user is not None
    return user


def seed_instance(ctx: KbContext) -> Seeded:
    """Fill a fresh instance (role accounts already there are reused)."""
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    report = ingest_paths(ctx, [CORPUS / "documents"])
    assert not report.failed, report.failed
    return seed_activity(ctx)


def seed_activity(ctx: KbContext) -> Seeded:
    """What people do, on an instance that has the thesaurus and the corpus."""
    seeded = Seeded()
    with ctx.sessions() as session:
        existing = {u.email: u.id for u in session.scalars(select(User))}
    for role, email in ROLE_EMAILS.items():
        seeded.users[role] = existing.get(email) or create_user(
            ctx, email, PASSWORD, role, display_name=role.title()).id
    seed_workflow(ctx, seeded)
    seed_sheets(ctx, seeded)
    seed_catalogue(ctx, seeded)
    seeded.public_document = _document_id(ctx, "textes-fondateurs/charte-fondatrice.md")
    return seeded
