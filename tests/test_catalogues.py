"""Catalogues: who composes and reads them, ordering, and resources re-checked at every read."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest

from kb.accounts.users import create_user, reader_for
from kb.catalogues.catalogue import create_catalogue, update_catalogue, view_catalogue
from kb.catalogues.export import catalogue_docx, catalogue_markdown
from kb.catalogues.items import (
    Placement,
    add_item,
    add_section,
    delete_section,
    move_item,
    move_item_to_section,
    move_section,
    remove_item,
    rename_section,
    update_note,
)
from kb.catalogues.lists import add_targets, list_catalogues, visible_counts
from kb.context import KbContext
from kb.documents.reading import update_metadata
from kb.errors import Conflict, Forbidden, InvalidInput, NotFound
from kb.ingestion.batches import ingest_paths
from kb.visibility import Reader

PASSWORD = "motdepasse-solide"


@dataclass
class Cast:
    trainer: Reader
    other_trainer: Reader
    allie: Reader
    maieuticien: Reader
    admin: Reader


@pytest.fixture
def cast(ctx: KbContext) -> Cast:
    def make(email: str, role: str) -> Reader:
        return reader_for(create_user(ctx, email, PASSWORD, role, display_name=email.split("@")[0]))

    return Cast(make("fred@exemple.fr", "formateur"), make("zoe@exemple.fr", "formateur"),
                make("allie@exemple.fr", "allie"), make("aicha@exemple.fr", "maieuticien"),
                make("admin@exemple.fr", "admin"))


@pytest.fixture
def docs(ctx: KbContext, tmp_path: Path) -> dict[str, str]:
    """Four documents: two public, one for members, one restricted to the collective."""
    root = tmp_path / "sources" / "outils"
    root.mkdir(parents=True)
    specs = {"world-cafe": "public", "fresque": "public", "grille": "membres",
             "note-collectif": "restreint\ngroupes: [collectif]"}
    for name, visibility in specs.items():
        (root / f"{name}.md").write_text(
            f"---\ntitre: Outil {name}\nauteurs: [Léa Martin]\nvisibilite: {visibility}\n---\n"
            f"Texte de l'outil {name}.\n", encoding="utf-8")
    report = ingest_paths(ctx, [tmp_path / "sources"])
    assert not report.failed
    return {o.source_key.split("/")[-1].removesuffix(".md"): str(o.document_id)
            for o in report.outcomes}


def new_catalogue(ctx: KbContext, who: Reader, sharing: str = "prive") -> str:
    return create_catalogue(ctx, who, {"title": "Formation CRTE", "audience": "élu·es",
                                       "purpose": "Découvrir les outils.", "duration": "1 jour",
                                       "sharing": sharing}).id


def titles(view) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[item.document.title for item in section.items] for section in view.sections]


@pytest.mark.parametrize("role", ["allie", "maieuticien"])
def test_only_trainers_and_admins_compose(ctx: KbContext, cast: Cast, role: str) -> None:
    with pytest.raises(Forbidden):
        new_catalogue(ctx, getattr(cast, role))
    with pytest.raises(InvalidInput, match="titre"):
        create_catalogue(ctx, cast.trainer, {"title": "  "})
    with pytest.raises(InvalidInput, match="partage"):
        create_catalogue(ctx, cast.trainer, {"title": "X", "sharing": "tout-le-monde"})
    assert view_catalogue(ctx, cast.admin, new_catalogue(ctx, cast.admin)).editable


def test_ordering_sections_and_items(ctx: KbContext, cast: Cast, docs: dict[str, str]) -> None:
    who = cast.trainer
    cid = new_catalogue(ctx, who)
    first = view_catalogue(ctx, who, cid).sections[0].id
    items = [add_item(ctx, who, cid, docs[n], note=f"Note {n}") for n in
             ("world-cafe", "fresque", "grille")]
    assert titles(view_catalogue(ctx, who, cid)) == [
        ["Outil world-cafe", "Outil fresque", "Outil grille"]]
    assert move_item(ctx, who, cid, items[2], -1) == Placement("Outil grille", 2, 3,
                                                                "Ressources")
    # Already first: nothing moves, and the placement says so.
    assert move_item(ctx, who, cid, items[0], -1) == Placement("Outil world-cafe", 1, 3,
                                                                "Ressources", moved=False)
    assert titles(view_catalogue(ctx, who, cid)) == [
        ["Outil world-cafe", "Outil grille", "Outil fresque"]]
    second = add_section(ctx, who, cid, "Pour aller plus loin")
    assert move_item_to_section(ctx, who, cid, items[0], second) == Placement(
        "Outil world-cafe", 1, 1, "Pour aller plus loin")
    assert move_section(ctx, who, cid, second, -1) == Placement("Pour aller plus loin", 1, 2)
    rename_section(ctx, who, cid, first, "Pendant la journée")
    view = view_catalogue(ctx, who, cid)
    assert [s.title for s in view.sections] == ["Pour aller plus loin", "Pendant la journée"]
    assert titles(view) == [["Outil world-cafe"], ["Outil grille", "Outil fresque"]]
    assert [i.position for s in view.sections for i in s.items] == [0, 0, 1]
    with pytest.raises(Conflict, match="contient des ressources"):
        delete_section(ctx, who, cid, second)
    remove_item(ctx, who, cid, items[0])
    delete_section(ctx, who, cid, second)
    lone = new_catalogue(ctx, who)
    with pytest.raises(Conflict, match="au moins une section"):
        delete_section(ctx, who, lone, view_catalogue(ctx, who, lone).sections[0].id)
    update_note(ctx, who, cid, items[2], "À faire en binôme.\n\nPrévoir 45 minutes.")
    view = view_catalogue(ctx, who, cid)
    assert [(i.document.title, i.note) for i in view.sections[0].items] == [
        ("Outil grille", "À faire en binôme.\n\nPrévoir 45 minutes."),
        ("Outil fresque", "Note fresque")]


def test_adding_is_checked(ctx: KbContext, cast: Cast, docs: dict[str, str]) -> None:
    cid = new_catalogue(ctx, cast.trainer)
    add_item(ctx, cast.trainer, cid, docs["fresque"])
    with pytest.raises(Conflict, match="déjà"):
        add_item(ctx, cast.trainer, cid, docs["fresque"])
    with pytest.raises(NotFound):  # a trainer may not add what they cannot read
        add_item(ctx, cast.trainer, cid, docs["note-collectif"])
    with pytest.raises(NotFound):
        add_item(ctx, cast.trainer, cid, "absent")
    with pytest.raises(NotFound):  # someone else's private catalogue does not exist for them
        add_item(ctx, cast.other_trainer, cid, docs["grille"])
    other = new_catalogue(ctx, cast.other_trainer, "membres")
    with pytest.raises(Forbidden):  # shared with members: readable, not editable
        add_item(ctx, cast.trainer, other, docs["grille"])
    targets, holding = add_targets(ctx, cast.trainer, docs["fresque"])
    assert targets == [] and [c.id for c in holding] == [cid]


SHARING_READERS = {
    "prive": {"trainer", "admin"},
    "membres": {"trainer", "admin", "other_trainer", "allie", "maieuticien"},
    "public": {"trainer", "admin", "other_trainer", "allie", "maieuticien", "anonymous"},
}


@pytest.mark.parametrize("sharing", list(SHARING_READERS))
def test_sharing_is_checked_at_every_read(ctx: KbContext, cast: Cast, sharing: str) -> None:
    cid = new_catalogue(ctx, cast.trainer, sharing)
    for name in ("trainer", "admin", "other_trainer", "allie", "maieuticien", "anonymous"):
        reader = Reader.anonymous() if name == "anonymous" else getattr(cast, name)
        listed = [c.id for group in list_catalogues(ctx, reader) for c in group]
        if name in SHARING_READERS[sharing]:
            assert view_catalogue(ctx, reader, cid).catalogue.id == cid
            assert cid in listed
        else:
            with pytest.raises(NotFound):
                view_catalogue(ctx, reader, cid)
            assert cid not in listed
    update_catalogue(ctx, cast.trainer, cid, {"sharing": "prive"})
    with pytest.raises(NotFound):
        view_catalogue(ctx, cast.allie, cid)


def test_a_resource_that_becomes_invisible_disappears_everywhere(
        ctx: KbContext, cast: Cast, docs: dict[str, str]) -> None:
    who = cast.trainer
    cid = new_catalogue(ctx, who, "public")
    for name in ("world-cafe", "fresque", "grille"):
        add_item(ctx, who, cid, docs[name], note=f"Note sur {name}")

    def seen(reader: Reader) -> list[str]:
        return [t for section in titles(view_catalogue(ctx, reader, cid)) for t in section]

    def link(doc_id: str) -> str:
        return f"https://kb.exemple.fr/documents/{doc_id}"

    assert seen(Reader.anonymous()) == ["Outil world-cafe", "Outil fresque"]
    assert seen(cast.allie) == ["Outil world-cafe", "Outil fresque", "Outil grille"]
    update_metadata(ctx, cast.admin, docs["fresque"], {"visibility": "restreint",
                                                        "groups": ["collectif"]})
    for reader in (Reader.anonymous(), cast.allie, who):
        assert "Outil fresque" not in seen(reader)
    assert visible_counts(ctx, Reader.anonymous(), [cid]) == {cid: 1}
    assert visible_counts(ctx, cast.allie, [cid]) == {cid: 2}
    view = view_catalogue(ctx, Reader.anonymous(), cid)
    assert view.count == 1
    markdown = catalogue_markdown(view, link)
    exported = docx.Document(io.BytesIO(catalogue_docx(view, link)))
    text = "\n".join(p.text for p in exported.paragraphs)
    for output in (markdown, text):
        assert "Outil world-cafe" in output and "Note sur world-cafe" in output
        assert "fresque" not in output and "grille" not in output
    assert seen(cast.admin) == ["Outil world-cafe", "Outil fresque", "Outil grille"]


def test_handout_exports(ctx: KbContext, cast: Cast, docs: dict[str, str]) -> None:
    who = cast.trainer
    cid = new_catalogue(ctx, who)
    section = add_section(ctx, who, cid, "Après la journée")
    add_item(ctx, who, cid, docs["world-cafe"], note="Animer un world café.")
    add_item(ctx, who, cid, docs["grille"], section, note="S'auto-évaluer *ensuite*.")
    view = view_catalogue(ctx, who, cid)

    def link(doc_id: str) -> str:
        return f"https://kb.exemple.fr/documents/{doc_id}"

    markdown = catalogue_markdown(view, link)
    assert markdown.startswith("# Formation CRTE\n\n**Public visé :** élu·es\n\n**Durée :** 1 jour")
    assert markdown.index("## Ressources") < markdown.index("### Outil world-cafe") \
        < markdown.index("## Après la journée") < markdown.index("### Outil grille")
    assert "*Outil et méthode — Léa Martin*" in markdown
    assert "S'auto-évaluer \\*ensuite\\*." in markdown
    assert f"[{link(docs['grille'])}]({link(docs['grille'])})" in markdown
    document = docx.Document(io.BytesIO(catalogue_docx(view, link)))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Formation CRTE")
    assert ("Heading 1", "Après la journée") in styled
    assert ("Heading 2", "Outil grille") in styled
    assert any(text == "S'auto-évaluer *ensuite*." for _, text in styled)
    links = [r.target_ref for r in document.part.rels.values() if r.reltype.endswith("hyperlink")]
    assert links == [link(docs["world-cafe"]), link(docs["grille"])]
