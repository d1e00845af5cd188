"""Backups: a populated SQLite instance (documents with revisions, tags with decisions,
dossiers with history, sheets, catalogues, accounts) restored into an empty instance of the
run's database (PostgreSQL in `make test`'s second run), and from there back into SQLite,
gives the same rows, searches, histories and originals, with `kb check` clean."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from kb.accounts.tokens import create_token, user_for_token
from kb.accounts.users import create_user, reader_for
from kb.backup.restoring import restore_backup
from kb.backup.tables import data_tables, snapshot, table_rows
from kb.backup.writing import write_backup
from kb.catalogues.catalogue import create_catalogue
from kb.catalogues.items import add_item, add_section
from kb.config import Settings
from kb.context import KbContext
from kb.indexing.sync import check_index
from kb.instance import open_instance
from kb.models import Base, Document, DocumentTag, Dossier, Person, Revision
from kb.people.lifecycle import delete_person
from kb.people.profiles import set_consent, update_profile
from kb.people.review import link_territory_text
from kb.search.results import search_documents
from kb.taxonomy.candidates import dismiss_candidate, list_candidates, refresh_candidates
from kb.taxonomy.tag_review import add_tag, set_tag_decision
from kb.taxonomy.tagging_status import tag_and_record
from kb.visibility import Reader
from kb.workflow.dossiers import decide, propose_document
from kb.workflow.exports import history_csv
from kb.workflow.queries import history
from tests.conftest import tagged_corpus
from tests.databases import MakeSettings
from tests.instances import InstanceTemplates
from tests.test_sheets import published_sheet
from tests.test_workflow_fixtures import NOTE, World, make_world
from tests.test_workflow_labels import granted

QUERIES = ["tiers-lieux", "coopération territoriale", "économie de la fonctionnalité",
           "statut:doctrine", "type:fiche-experience cantines", "ressourcerie calvi",
           "territoires ruraux"]
# Tables a populated instance may leave empty, and why.
EMPTY_BY_NATURE = {"index_removals": "queue emptied as soon as the index has the removal"}


@dataclass
class Source:
    settings: Settings
    archive: Path
    dossiers: list[str]
    token: str


@contextmanager
def opened(settings: Settings) -> Iterator[KbContext]:
    ctx = open_instance(settings)
    try:
        yield ctx
    finally:
        ctx.close()


def fill(ctx: KbContext, folder: Path) -> tuple[list[str], str]:
    """Every kind of data kb keeps, added to the tagged corpus (PDF, DOCX, ODT and Markdown
    originals, automatic tags, analyses); returns the dossiers' ids and an API token."""
    world = make_world(ctx, folder)
    world.write(NOTE.replace("condition d'une", "condition première d'une"))  # revision 2
    person = create_user(ctx, "vraie@exemple.fr", "un-mot-de-passe-long", "formateur",
                         "Vraie Personne")
    token = create_token(ctx, person.id, "site de l'alliance")
    with ctx.sessions() as session:
        tags = session.scalars(select(DocumentTag).limit(2)).all()
        tagged = [(t.document_id, t.concept.uri) for t in tags]
    set_tag_decision(ctx, world.reader("admin"), *tagged[0], "accepted")
    set_tag_decision(ctx, world.reader("admin"), *tagged[1], "rejected")
    add_tag(ctx, world.reader("c1"), world.doc_id, tagged[0][1])
    doctrine = _doctrine_dossier(world)
    label = granted(world)  # a label dossier, and the label it grants
    published_sheet(ctx, world.reader("maieuticien"))
    _catalogue(world)
    refresh_candidates(ctx, min_documents=2)
    first = list_candidates(ctx, world.reader("admin"))[0]
    dismiss_candidate(ctx, world.reader("admin"), first.id)
    _directory(world)
    assert tag_and_record(ctx, [world.doc_id])  # the tagging status of a deposit
    return [doctrine, label], token.secret


def _directory(world: World) -> None:
    """An organisation and its member, a consent, an erasure, a territory placed by hand."""
    association = world.reader("admin")
    with world.ctx.sessions() as session:
        first, second = session.scalars(select(Person.id).order_by(Person.id).limit(2)).all()
    update_profile(world.ctx, association, first, {"organisations": [
        {"name": "Coopérative Terres communes", "kind": "association", "role": "cogérante"}]})
    set_consent(world.ctx, association, first, "membres", True, note="courriel du 3 mars")
    delete_person(world.ctx, association, second)
    link_territory_text(world.ctx, association, "PETR du Pays Midi-Quercy", "82", "petr")


def _doctrine_dossier(world: World) -> str:
    dossier_id = world.debate()
    objection = world.object(dossier_id)
    world.answer(dossier_id, objection)
    world.set_aside(dossier_id, objection)
    world.consent(dossier_id, "c1", "c2")
    decide(world.ctx, world.reader("admin"), dossier_id, "valider", "Consentement atteint.",
           world.dossier(dossier_id).version)
    return dossier_id


def _catalogue(world: World) -> None:
    with world.ctx.sessions() as session:
        documents = session.scalars(select(Document.id).order_by(Document.id).limit(2)).all()
    trainer = world.reader("admin")
    catalogue = create_catalogue(world.ctx, trainer, {
        "title": "Parcours coopération", "audience": "Élus", "purpose": "Se former",
        "duration": "2 jours", "sharing": "membres"})
    section = add_section(world.ctx, trainer, catalogue.id, "Premiers pas")
    for document_id in documents:
        add_item(world.ctx, trainer, catalogue.id, document_id, section, "À lire d'abord.")


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory,
           sqlite_templates: InstanceTemplates) -> Source:
    """A populated instance, always on SQLite (the embedded default people start from)."""
    folder = tmp_path_factory.mktemp("source")
    settings = sqlite_templates.copy(tagged_corpus, folder)
    with opened(settings) as ctx:
        dossiers, token = fill(ctx, folder)
        archive = folder / "sauvegarde.zip"
        write_backup(ctx, archive)
    return Source(settings, archive, dossiers, token)


def dump(settings: Settings) -> dict[str, list[dict[str, Any]]]:
    with opened(settings) as ctx, snapshot(ctx.engine) as connection:
        return {t.name: list(table_rows(connection, t)) for t in data_tables(connection)}


def searches(ctx: KbContext) -> list[list[str]]:
    return [[hit.document.id for hit in search_documents(ctx, reader, query, per_page=50).hits]
            for query in QUERIES for reader in (Reader.operator(), Reader.anonymous())]


def histories(ctx: KbContext, dossiers: list[str]) -> list[str]:
    return [history_csv(history(ctx, Reader.operator(), d)[1]) for d in dossiers]


def originals(ctx: KbContext) -> dict[str, str]:
    """Each revision's original, by the SHA-256 of the bytes actually stored."""
    with ctx.sessions() as session:
        hashes = session.scalars(select(Revision.content_hash)).all()
    return {h: hashlib.sha256(ctx.originals.read(h)).hexdigest() for h in hashes}


def assert_same_instance(expected: Source, settings: Settings) -> None:
    assert dump(settings) == dump(expected.settings)
    with opened(expected.settings) as before, opened(settings) as after:
        assert searches(after) == searches(before)
        assert all(searches(after)[:4]), "the queries must find something to compare"
        assert histories(after, expected.dossiers) == histories(before, expected.dossiers)
        stored = originals(after)
        assert stored == originals(before) and all(k == v for k, v in stored.items())
        assert not any(check_index(after).values())


def test_restore_into_the_runs_database_and_back_into_sqlite(
        source: Source, make_settings: MakeSettings, tmp_path: Path) -> None:
    target = make_settings("restauree")  # PostgreSQL in the PostgreSQL run
    report = restore_backup(target, source.archive)
    assert report.drift == {} and report.indexed == len(dump(source.settings)["documents"])
    assert_same_instance(source, target)
    with opened(target) as ctx:
        write_backup(ctx, tmp_path / "retour.zip")
    back = Settings.for_home(tmp_path / "retour")
    restore_backup(back, tmp_path / "retour.zip")
    assert_same_instance(source, back)


def test_a_restored_instance_keeps_working(source: Source, make_settings: MakeSettings,
                                           tmp_path: Path) -> None:
    settings = make_settings("restauree")
    restore_backup(settings, source.archive)
    with opened(settings) as ctx:
        # New rows get new ids (PostgreSQL's sequences were moved past the restored ones).
        user = create_user(ctx, "nouvelle@exemple.fr", "un-mot-de-passe-long", "admin",
                           "Nouvelle")
        with ctx.sessions() as session:
            free = session.scalars(select(Document.id).where(
                Document.id.not_in(select(Dossier.document_id).where(
                    Dossier.document_id.is_not(None)))).order_by(Document.id)).first()
            assert free is not None
        dossier = propose_document(ctx, reader_for(user), free, "Après la restauration.")
        catalogue = create_catalogue(ctx, reader_for(user), {"title": "Après restauration"})
        section = add_section(ctx, reader_for(user), catalogue.id, "Suite")
        add_item(ctx, reader_for(user), catalogue.id, free, section)
        events = history(ctx, Reader.operator(), dossier.id)[1]
        assert [e.action for e in events] == ["proposition"]
        assert user_for_token(ctx, source.token).email == "vraie@exemple.fr"
        with pytest.raises(DatabaseError, match="historique en ajout seul"):
            with ctx.engine.begin() as connection:
                connection.execute(text("DELETE FROM dossier_events"))


def test_every_table_is_in_the_backup_and_the_test_fills_each(source: Source) -> None:
    rows = dump(source.settings)
    assert set(rows) == set(Base.metadata.tables)
    empty = sorted(name for name, content in rows.items()
                   if not content and name not in EMPTY_BY_NATURE)
    assert not empty, (f"no rows in {empty}: add some to `fill()` in tests/test_backup.py "
                       "so that the round trip proves they are restored")
