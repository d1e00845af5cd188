"""Shared fixtures of the workflow tests: an instance with members and one ingested text.

Accounts are inserted directly (password hashing is slow and not under test here); the
document goes through the real ingestion and the real index."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from kb.accounts.users import reader_for
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.instance import open_instance
from kb.models import Document, Dossier, User
from kb.visibility import Reader
from kb.workflow.dossiers import act, decide, propose_document
from kb.workflow.positions import (
    answer_objection,
    set_aside_objection,
    take_position,
    withdraw_objection,
)
from tests.databases import MakeSettings

MEMBERS = {
    "proposant": "allie", "autre": "allie", "maieuticien": "maieuticien",
    "c1": "collectif", "c2": "collectif", "c3": "collectif", "admin": "admin",
    "admin2": "admin",
}
NOTE = """---
titre: Note sur la coopération territoriale
type: texte-fondateur
themes: [coopération, gouvernance]
visibilite: membres
---
# Note sur la coopération territoriale

La coopération entre collectivités est la condition d'une transition systémique.
"""


@dataclass
class World:
    """An instance with one account per workflow part and one document."""

    ctx: KbContext
    users: dict[str, User]
    doc_id: str
    folder: Path

    def reader(self, name: str) -> Reader:
        return reader_for(self.users[name]) if name != "anonyme" else Reader.anonymous()

    def document(self) -> Document:
        with self.ctx.sessions() as session:
            document = session.get(Document, self.doc_id)
            assert document is not None
            return document

    def dossier(self, dossier_id: str) -> Dossier:
        with self.ctx.sessions() as session:
            dossier = session.get(Dossier, dossier_id)
            assert dossier is not None
            return dossier

    def write(self, text: str, name: str = "note.md") -> None:
        (self.folder / name).write_text(text, encoding="utf-8")
        report = ingest_paths(self.ctx, [self.folder])
        assert not report.failed, report.failed

    def propose(self) -> str:
        return propose_document(self.ctx, self.reader("proposant"), self.doc_id,
                                "Ce texte exprime notre position commune.").id

    def debate(self) -> str:
        dossier_id = self.propose()
        act(self.ctx, self.reader("c1"), dossier_id, "ouvrir-debat")
        return dossier_id

    def consent(self, dossier_id: str, *names: str) -> None:
        for name in names:
            take_position(self.ctx, self.reader(name), dossier_id, "consentement")

    def validate(self) -> str:
        dossier_id = self.debate()
        self.consent(dossier_id, "c1", "c2")
        decide(self.ctx, self.reader("admin"), dossier_id, "valider", "Consentement atteint.",
               self.dossier(dossier_id).version)
        return dossier_id

    def object(self, dossier_id: str, name: str = "c3") -> int:
        return take_position(self.ctx, self.reader(name), dossier_id, "objection",
                             "Le texte ignore les territoires ruraux.").id

    def answer(self, dossier_id: str, position_id: int) -> None:
        answer_objection(self.ctx, self.reader("proposant"), dossier_id, position_id,
                         "La section 2 traite désormais des territoires ruraux.")

    def withdraw(self, dossier_id: str, name: str = "c3") -> None:
        withdraw_objection(self.ctx, self.reader(name), dossier_id, "reserve",
                           "Je lève mon objection ; vigilance sur les territoires ruraux.")

    def set_aside(self, dossier_id: str, position_id: int, by: str = "c1") -> None:
        set_aside_objection(self.ctx, self.reader(by), dossier_id, position_id,
                            "Le collectif a examiné l'objection : elle porte sur un autre texte.")


def make_world(ctx: KbContext, tmp_path: Path) -> World:
    users: dict[str, User] = {}
    with ctx.sessions.begin() as session:
        for name, role in MEMBERS.items():
            user = User(email=f"{name}@exemple.fr", password_hash="-", role=role,
                        display_name=name.title(), groups=[])
            session.add(user)
            users[name] = user
    folder = tmp_path / "docs"
    folder.mkdir()
    world = World(ctx, users, "", folder)
    world.write(NOTE)
    with ctx.sessions() as session:  # the instance may hold other documents (a corpus)
        world.doc_id = session.scalars(
            select(Document.id).where(Document.original_name == "note.md")).one()
    return world


@pytest.fixture
def world(ctx: KbContext, tmp_path: Path) -> World:
    return make_world(ctx, tmp_path)


@pytest.fixture
def strict_world(tmp_path: Path, make_settings: MakeSettings) -> Iterator[World]:
    """The same, with a quorum of every member of the collective (3 of 3)."""
    ctx = open_instance(make_settings("strict", quorum="3"))
    yield make_world(ctx, tmp_path)
    ctx.close()
