"""What SQLite lets pass and PostgreSQL refuses, or the reverse, gets one answer on both: texts
longer than their column, and writes that SQLite's single writer used to keep apart."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError, OperationalError

from kb.accounts.users import create_user, reader_for
from kb.context import KbContext
from kb.errors import InvalidInput
from kb.ingestion.batches import ingest_paths
from kb.models import ConceptScheme, Document
from kb.sheets.writing import SaveOutcome, create_sheet, get_sheet, save_draft
from kb.taxonomy.editing import update_concept
from kb.taxonomy.skos_import import import_skos
from tests.conftest import CORPUS
from tests.test_sheets import PUBLIC, content

CONCEPT = "https://kb.fabriquedestransitions.fr/taxonomie/c/eau"


def test_a_long_territory_is_cut_with_a_warning(ctx: KbContext, tmp_path: Path) -> None:
    (tmp_path / "note.md").write_text("---\ntitre: Note\nterritoire: " + "Vallée " * 60
                                      + "\n---\nTexte.\n", encoding="utf-8")
    outcome = ingest_paths(ctx, [tmp_path / "note.md"]).outcomes[0]
    assert outcome.status == "added"
    with ctx.sessions() as session:
        document = session.scalars(select(Document)).one()
    assert len(document.territory or "") == 300
    assert "champ « territoire » de 419 caractères : seuls les 300 premiers sont gardés" \
        in document.warnings


def test_a_key_too_long_fails_by_name_and_the_batch_goes_on(ctx: KbContext,
                                                            tmp_path: Path) -> None:
    deep = tmp_path / "lot"
    for _ in range(5):
        deep = deep / ("dossier-" + "x" * 220)
    deep.mkdir(parents=True)
    (deep / "note.md").write_text("Une note rangée très loin.", encoding="utf-8")
    (tmp_path / "lot" / "proche.md").write_text("Une note proche.", encoding="utf-8")
    outcomes = {o.source_key[:20]: o for o in ingest_paths(ctx, [tmp_path / "lot"]).outcomes}
    assert outcomes["proche.md"].status == "added"
    failed = outcomes["dossier-" + "x" * 12]
    assert failed.status == "failed"
    assert failed.message == ("documents : champ « source_key » trop long (1152 caractères, "
                              "1024 au plus)")


def test_a_thesaurus_uri_too_long_is_named(ctx: KbContext, tmp_path: Path) -> None:
    uri = "https://exemple.fr/concepts/" + "x" * 500
    turtle = (CORPUS / "taxonomy" / "doctrine-fdt.ttl").read_text(encoding="utf-8")
    (tmp_path / "long.ttl").write_text(
        turtle + f'\n<{uri}> a skos:Concept ; skos:prefLabel "long"@fr ; '
        "skos:inScheme fdt:doctrine .\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"concept {uri[:200]} : champ « uri » trop long "
                                           "\\(528 caractères, 500 au plus\\)"):
        import_skos(ctx, tmp_path / "long.ttl")
    with ctx.sessions() as session:
        assert session.scalars(select(ConceptScheme)).first() is None


def at_once(ctx: KbContext, *calls: Callable[[], object]) -> list[object]:
    """Run the calls in threads that all read before any commits (each transaction waits
    0.3 s before committing): what SQLite's single writer used to keep apart."""
    def slow(_session: object) -> None:
        time.sleep(0.3)

    event.listen(ctx.sessions, "before_commit", slow)
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except (OperationalError, IntegrityError) as exc:  # SQLite: refused, nothing lost
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    event.remove(ctx.sessions, "before_commit", slow)
    return results


def test_two_saves_of_one_sheet_at_once_never_lose_a_text(ctx: KbContext) -> None:
    author = reader_for(create_user(ctx, "aicha@exemple.fr", "un-mot-de-passe-long",
                                    "maieuticien", "Aïcha"))
    sheet = create_sheet(ctx, author, content(), PUBLIC).sheet
    results = at_once(ctx, *(
        lambda text=text: save_draft(ctx, author, sheet.id, content(narrative=text), PUBLIC,
                                     base_version=1)
        for text in ("Récit de l'onglet A.", "Récit de l'onglet B.")))
    statuses = sorted(r.status if isinstance(r, SaveOutcome) else "refusé" for r in results)
    if ctx.engine.dialect.name == "postgresql":
        assert statuses == ["conflit", "saved"]  # the second waited, then saw version 2
    else:
        assert statuses.count("saved") == 1 and statuses.count("conflit") + statuses.count(
            "refusé") == 1
    current = get_sheet(ctx, author, sheet.id)
    kept = {r.content["narrative"] for r in current.revisions if r.number > 1}
    assert current.version == 2 and current.narrative in kept
    if statuses == ["conflit", "saved"]:
        assert kept == {"Récit de l'onglet A.", "Récit de l'onglet B."}


def test_two_thesaurus_edits_at_once_both_count(ctx: KbContext) -> None:
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    admin = reader_for(create_user(ctx, "admin@exemple.fr", "un-mot-de-passe-long", "admin",
                                   "Admin"))
    with ctx.sessions() as session:
        before = session.scalars(select(ConceptScheme.revision)).one()
    results = at_once(ctx, *(  # two concepts: no row in common but the scheme's
        lambda uri=uri: update_concept(ctx, admin, uri, definition="Définition revue.")
        for uri in (CONCEPT, CONCEPT.replace("eau", "energie"))))
    done = sum(1 for r in results if not isinstance(r, Exception))
    with ctx.sessions() as session:
        assert session.scalars(select(ConceptScheme.revision)).one() == before + done
    if ctx.engine.dialect.name == "postgresql":
        assert done == 2
