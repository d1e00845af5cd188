"""Experience sheets: drafts that lose nothing, states, permissions, publication as a Document."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from kb.accounts.users import create_user, reader_for
from kb.context import KbContext
from kb.documents.reading import get_readable_document
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.models import Document, Revision, Sheet
from kb.search.results import search_documents
from kb.sheets.content import Author, SheetContent
from kb.sheets.rules import SheetSettings
from kb.sheets.states import (
    back_to_draft,
    publish,
    record_approval,
    submit_for_review,
)
from kb.sheets.writing import (
    create_sheet,
    dismiss_unplaced,
    get_sheet,
    import_content,
    list_sheets,
    restore_revision,
    save_draft,
)
from kb.visibility import Reader

PASSWORD = "motdepasse-solide"


@dataclass
class People:
    maieuticien: Reader
    other_maieuticien: Reader
    narrator: Reader
    allie: Reader
    formateur: Reader
    admin: Reader
    narrator_id: int


@pytest.fixture
def people(ctx: KbContext) -> People:
    def make(email: str, role: str) -> Reader:
        return reader_for(create_user(ctx, email, PASSWORD, role,
                                      display_name=email.split("@")[0].title()))

    narrator = create_user(ctx, "narrateur@exemple.fr", PASSWORD, "allie", "Narratrice")
    return People(make("aicha@exemple.fr", "maieuticien"), make("autre@exemple.fr", "maieuticien"),
                  reader_for(narrator), make("allie@exemple.fr", "allie"),
                  make("formateur@exemple.fr", "formateur"), make("admin@exemple.fr", "admin"),
                  narrator.id)


def content(**changes: object) -> SheetContent:
    base = SheetContent(
        title="La ressourcerie de Calvi-Balagne", territory="Communauté de communes Calvi-Balagne",
        experience_date=dt.date(2022, 5, 1),
        authors=[Author("Jean Santoni"), Author("Aïcha Benali", "maïeuticienne")],
        context="Une intercommunalité rurale en Corse.",
        actors="- la communauté de communes\n- l'association Tri Balagne",
        narrative="Nous avons ouvert une ressourcerie.\n\nPuis un atelier de réparation.",
        difficulties="Trouver un local.", lessons="Commencer petit.",
        themes=["économie sociale et solidaire"])
    for name, value in changes.items():
        setattr(base, name, value)
    return base


PUBLIC = SheetSettings("public")


def published_sheet(ctx: KbContext, who: Reader, settings: SheetSettings = PUBLIC) -> Sheet:
    sheet = create_sheet(ctx, who, content(), settings).sheet
    submit_for_review(ctx, who, sheet.id, 1)
    record_approval(ctx, who, sheet.id, 1, "Jean Santoni", dt.date(2024, 1, 5), "au téléphone")
    publish(ctx, who, sheet.id, 1)
    return get_sheet(ctx, who, sheet.id)


def test_create_and_double_submit_make_one_sheet(ctx: KbContext, people: People) -> None:
    first = create_sheet(ctx, people.maieuticien, content(), PUBLIC, client_key="clef-1")
    again = create_sheet(ctx, people.maieuticien, content(), PUBLIC, client_key="clef-1")
    assert first.status == "saved" and again.status == "unchanged"
    assert again.sheet.id == first.sheet.id
    with ctx.sessions() as session:
        assert session.scalars(select(Sheet)).all() == [session.get(Sheet, first.sheet.id)]
    assert [r.kind for r in get_sheet(ctx, people.maieuticien, first.sheet.id).revisions] == [
        "enregistrement"]


def test_each_save_is_a_revision_with_a_version(ctx: KbContext, people: People) -> None:
    sheet = create_sheet(ctx, people.maieuticien, content(), PUBLIC).sheet
    saved = save_draft(ctx, people.maieuticien, sheet.id, content(lessons="Deux leçons."),
                       PUBLIC, base_version=1)
    assert (saved.status, saved.sheet.version) == ("saved", 2)
    same = save_draft(ctx, people.maieuticien, sheet.id, content(lessons="Deux leçons."),
                      PUBLIC, base_version=1)
    assert same.status == "unchanged", "a double submit adds nothing"
    revisions = get_sheet(ctx, people.maieuticien, sheet.id).revisions
    assert [(r.number, r.version, r.content["lessons"]) for r in revisions] == [
        (1, 1, "Commencer petit."), (2, 2, "Deux leçons.")]


def test_stale_form_is_kept_aside_and_never_overwrites(ctx: KbContext, people: People) -> None:
    sheet = create_sheet(ctx, people.maieuticien, content(), PUBLIC).sheet
    save_draft(ctx, people.maieuticien, sheet.id, content(narrative="Texte de l'onglet A."),
               PUBLIC, base_version=1)
    stale = save_draft(ctx, people.maieuticien, sheet.id, content(narrative="Texte de B."),
                       PUBLIC, base_version=1)
    assert stale.status == "conflit" and "gardé à part" in stale.message
    assert "fondé sur la version 1" in stale.message
    current = get_sheet(ctx, people.maieuticien, sheet.id)
    assert current.narrative == "Texte de l'onglet A." and current.version == 2
    kept = current.revisions[-1]
    assert (kept.kind, kept.version, kept.base_version) == ("conflit", None, 1)
    assert kept.content["narrative"] == "Texte de B."
    restored = restore_revision(ctx, people.maieuticien, sheet.id, kept.number, base_version=2)
    assert restored.status == "saved" and restored.sheet.narrative == "Texte de B."
    assert get_sheet(ctx, people.maieuticien, sheet.id).revisions[-1].kind == "restauration"


def test_words_are_kept_exactly_and_too_long_is_refused(ctx: KbContext, people: People) -> None:
    text = "Première ligne  \r\ndeuxième « ligne »\u202f!\n\n\n\nTroisième paragraphe."
    sheet = create_sheet(ctx, people.maieuticien, content(narrative=text), PUBLIC).sheet
    assert sheet.narrative == "Première ligne\ndeuxième « ligne »\u202f!\n\nTroisième paragraphe."
    with pytest.raises(InvalidInput, match="titre"):
        save_draft(ctx, people.maieuticien, sheet.id, content(title="x" * 501), PUBLIC, 1)
    assert get_sheet(ctx, people.maieuticien, sheet.id).title == content().title


@pytest.mark.parametrize("role", ["allie", "formateur", "narrator"])
def test_only_maieuticiens_and_admins_write(ctx: KbContext, people: People, role: str) -> None:
    with pytest.raises(Forbidden):
        create_sheet(ctx, getattr(people, role), content(), PUBLIC)
    assert create_sheet(ctx, people.admin, content(), PUBLIC).status == "saved"


def test_working_copy_is_private_to_author_narrator_and_admin(ctx: KbContext,
                                                              people: People) -> None:
    settings = SheetSettings("public", [], people.narrator_id)
    sheet = create_sheet(ctx, people.maieuticien, content(), settings).sheet
    for reader in (people.other_maieuticien, people.allie, people.formateur, Reader.anonymous()):
        with pytest.raises(NotFound):
            get_sheet(ctx, reader, sheet.id)
        assert list_sheets(ctx, reader) == []
    assert get_sheet(ctx, people.narrator, sheet.id).id == sheet.id
    assert [s.id for s in list_sheets(ctx, people.narrator)] == [sheet.id]
    assert [s.id for s in list_sheets(ctx, people.admin)] == [sheet.id]
    with pytest.raises(Forbidden):
        save_draft(ctx, people.narrator, sheet.id, content(title="Changé"), settings, 1)
    with pytest.raises(NotFound):
        save_draft(ctx, people.other_maieuticien, sheet.id, content(title="Changé"), settings, 1)
    assert save_draft(ctx, people.admin, sheet.id, content(title="Changé"), settings,
                      1).status == "saved"


def test_review_needs_title_narrator_and_narrative(ctx: KbContext, people: People) -> None:
    sheet = create_sheet(ctx, people.maieuticien, content(authors=[], narrative=""),
                         PUBLIC).sheet
    with pytest.raises(InvalidInput, match=r"la personne qui raconte \(première des "
                                           r"personnes\), récit"):
        submit_for_review(ctx, people.maieuticien, sheet.id, 1)
    assert get_sheet(ctx, people.maieuticien, sheet.id).state == "brouillon"


def test_states_and_the_narrators_approval(ctx: KbContext, people: People) -> None:
    who = people.maieuticien
    sheet = create_sheet(ctx, who, content(), PUBLIC).sheet
    with pytest.raises(Conflict):
        record_approval(ctx, who, sheet.id, 1, "Jean", None)
    with pytest.raises(Conflict, match="relecture"):
        publish(ctx, who, sheet.id, 1)
    with pytest.raises(Conflict, match="rechargez"):
        submit_for_review(ctx, who, sheet.id, 7)
    assert submit_for_review(ctx, who, sheet.id, 1).state == "en-relecture"
    with pytest.raises(Conflict, match="accord"):
        publish(ctx, who, sheet.id, 1)
    with pytest.raises(InvalidInput, match="futur"):
        record_approval(ctx, who, sheet.id, 1, "Jean", dt.date.today() + dt.timedelta(days=2))
    approved = record_approval(ctx, who, sheet.id, 1, "", dt.date(2024, 1, 5), "relu sur papier")
    assert approved.is_approved and approved.approved_by_name == "Jean Santoni"
    # An edit during review voids the approval: it was given on another version.
    save_draft(ctx, who, sheet.id, content(lessons="Ajout après accord."), PUBLIC, 1)
    assert not get_sheet(ctx, who, sheet.id).is_approved
    with pytest.raises(Conflict, match="accord"):
        publish(ctx, who, sheet.id, 2)
    record_approval(ctx, who, sheet.id, 2, "Jean Santoni", None)
    outcome = publish(ctx, who, sheet.id, 2)
    assert outcome.sheet.state == "publiee" and outcome.index_error is None
    kinds = [(r.kind, r.note) for r in get_sheet(ctx, who, sheet.id).revisions if r.kind == "etat"]
    assert [note.split(" ")[0] for _, note in kinds] == ["Envoyée", "Accord", "Accord", "Publiée"]


def test_a_linked_narrator_account_gives_the_approval(ctx: KbContext, people: People) -> None:
    settings = SheetSettings("public", [], people.narrator_id)
    sheet = create_sheet(ctx, people.maieuticien, content(), settings).sheet
    submit_for_review(ctx, people.maieuticien, sheet.id, 1)
    with pytest.raises(Forbidden):
        record_approval(ctx, people.maieuticien, sheet.id, 1, "Jean", None)
    back_to_draft(ctx, people.narrator, sheet.id, 1, "Corriger la date.")
    assert get_sheet(ctx, people.narrator, sheet.id).revisions[-1].note == (
        "Modifications demandées : Corriger la date.")
    submit_for_review(ctx, people.maieuticien, sheet.id, 1)
    assert record_approval(ctx, people.narrator, sheet.id, 1, "Jean Santoni", None).is_approved


def test_only_a_published_sheet_is_a_document_and_found(ctx: KbContext, people: People) -> None:
    who = people.maieuticien
    draft = create_sheet(ctx, who, content(title="Brouillon secret de ressourcerie"), PUBLIC)
    assert search_documents(ctx, Reader.operator(), "ressourcerie").total == 0
    sheet = published_sheet(ctx, who)
    with ctx.sessions() as session:
        documents = session.scalars(select(Document)).all()
    assert len(documents) == 1 and draft.sheet.document_id is None
    document = documents[0]
    assert document.kind == "fiche-experience"
    assert document.source_key == f"fiches-web/{sheet.id}"
    assert [s["heading"] for s in document.sections] == [
        "La ressourcerie de Calvi-Balagne", "Contexte", "Acteurs", "Récit", "Difficultés",
        "Enseignements"]
    assert document.authors == ["Jean Santoni", "Aïcha Benali"]
    assert (document.territory, document.date, document.visibility) == (
        "Communauté de communes Calvi-Balagne", dt.date(2022, 5, 1), "public")
    assert not document.index_pending
    hits = search_documents(ctx, Reader.anonymous(), "ressourcerie").hits
    assert [h.document.id for h in hits] == [document.id]
    assert ctx.originals.exists(document.content_hash)


def test_republish_adds_a_revision_and_the_published_text_stays_meanwhile(
        ctx: KbContext, people: People) -> None:
    who = people.maieuticien
    sheet = published_sheet(ctx, who)
    saved = save_draft(ctx, who, sheet.id, content(lessons="Mutualiser les locaux."), PUBLIC, 1)
    assert saved.sheet.state == "brouillon"
    document = get_readable_document(ctx, Reader.anonymous(), str(sheet.document_id))
    assert "Mutualiser" not in document.text and len(document.revisions) == 1
    assert search_documents(ctx, Reader.anonymous(), "mutualiser").total == 0
    submit_for_review(ctx, who, sheet.id, 2)
    record_approval(ctx, who, sheet.id, 2, "Jean Santoni", None)
    publish(ctx, who, sheet.id, 2)
    document = get_readable_document(ctx, Reader.anonymous(), str(sheet.document_id))
    assert "Mutualiser les locaux." in document.text
    assert [r.number for r in document.revisions] == [1, 2]
    assert search_documents(ctx, Reader.anonymous(), "mutualiser").total == 1
    with ctx.sessions() as session:
        assert session.scalar(select(Revision.metadata_).where(Revision.number == 2))[
            "version"] == 2


def test_published_sheet_follows_its_visibility(ctx: KbContext, people: People) -> None:
    sheet = published_sheet(ctx, people.maieuticien, SheetSettings("restreint", ["collectif"]))
    with pytest.raises(NotFound):
        get_readable_document(ctx, people.allie, str(sheet.document_id))
    assert search_documents(ctx, people.allie, "ressourcerie").total == 0
    assert search_documents(ctx, people.admin, "ressourcerie").total == 1
    with pytest.raises(InvalidInput, match="groupe"):
        create_sheet(ctx, people.maieuticien, content(), SheetSettings("restreint", []))


def test_import_keeps_unplaced_text_until_dismissed(ctx: KbContext, people: People) -> None:
    who = people.maieuticien
    sheet = create_sheet(ctx, who, content(), PUBLIC).sheet
    imported = content(lessons="Corrigé par Jean.", unplaced=["Un mot de Jean hors titre."])
    outcome = import_content(ctx, who, sheet.id, imported, base_version=1)
    assert outcome.status == "saved" and outcome.sheet.unplaced == ["Un mot de Jean hors titre."]
    save_draft(ctx, who, sheet.id, content(lessons="Corrigé par Jean !"), PUBLIC, 2)
    assert get_sheet(ctx, who, sheet.id).unplaced == ["Un mot de Jean hors titre."]
    dismiss_unplaced(ctx, who, sheet.id)
    current = get_sheet(ctx, who, sheet.id)
    assert current.unplaced == []
    assert any(r.content.get("unplaced") == ["Un mot de Jean hors titre."]
               for r in current.revisions), "still in the history"
