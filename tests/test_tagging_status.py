"""The tagging that follows a web upload records its outcome and its error, shown on the
document page and by `kb check`, which can run it again."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from kb.cli.main import main
from kb.context import KbContext
from kb.ingestion.batches import ingest_paths
from kb.models import Document, DocumentTag
from kb.taxonomy.skos_import import import_skos
from kb.taxonomy.tagging_status import (
    queue_tagging,
    tag_and_record,
    tagging_problems,
    tagging_state,
)
from tests.conftest import CORPUS, Auth
from tests.test_publishing import post_upload
from tests.test_tagging import write_documents


def ingested(ctx: KbContext, folder: Path) -> list[str]:
    """Documents ingested before the taxonomy exists, so that nothing tagged them yet."""
    assert not ingest_paths(ctx, [write_documents(folder)]).failed
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    with ctx.sessions() as session:
        return sorted(session.scalars(select(Document.id)))


def break_sections(ctx: KbContext, doc_id: str, sections: str = "[1]") -> None:
    with ctx.sessions.begin() as session:
        session.execute(text("UPDATE documents SET sections = :s WHERE id = :i"),
                        {"s": sections, "i": doc_id})


def test_outcome_and_error_are_recorded(ctx: KbContext, tmp_path: Path,
                                        runner: CliRunner) -> None:
    ids = ingested(ctx, tmp_path / "docs")
    assert tag_and_record(ctx, queue_tagging(ctx, ids[:1]))
    done = tagging_state(ctx, ids[0])
    assert done is not None and done.state == "fait" and "thème(s) proposé(s)" in done.message
    break_sections(ctx, ids[1])
    assert not tag_and_record(ctx, queue_tagging(ctx, ids[1:2]))
    failed = tagging_state(ctx, ids[1])
    assert failed is not None and failed.state == "echec"
    assert failed.message.startswith("AttributeError")
    assert [p.document_id for p in tagging_problems(ctx)] == [ids[1]]
    checked = runner.invoke(main, ["check"])
    assert checked.exit_code == 1 and f"étiquetage d'après dépôt de {ids[1]} a échoué" \
        in checked.output
    break_sections(ctx, ids[1], "[]")
    repaired = runner.invoke(main, ["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert tagging_problems(ctx) == [] and tagging_state(ctx, ids[1]).state == "fait"  # type: ignore[union-attr]
    assert runner.invoke(main, ["check"]).exit_code == 0


def test_the_document_page_tells_the_outcome(app: Flask, client: FlaskClient, auth: Auth,
                                             tmp_path: Path) -> None:
    ctx = app.extensions["kb"]
    import_skos(ctx, CORPUS / "taxonomy" / "doctrine-fdt.ttl")
    auth.login("allie")
    upload = post_upload(client, [("pat.md", (
        b"# Un projet alimentaire territorial\n\nLa commune a bati son projet alimentaire "
        b"territorial (PAT) avec les cantines scolaires.\n"))])
    assert "seront proposés dans quelques instants" in upload.get_data(as_text=True)
    with ctx.sessions() as session:
        doc_id = session.scalars(select(Document.id)).one()
    deadline = time.monotonic() + 180
    while (state := tagging_state(ctx, doc_id)) is None or state.state != "fait":
        assert state is None or state.state != "echec", state.message
        assert time.monotonic() < deadline
        time.sleep(0.2)
    with ctx.sessions() as session:
        assert session.scalars(select(DocumentTag).where(DocumentTag.document_id == doc_id)).all()
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "a échoué" not in page and "en cours de proposition" not in page
    break_sections(ctx, doc_id)
    assert not tag_and_record(ctx, [doc_id])
    break_sections(ctx, doc_id, "[]")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "La proposition automatique des thèmes après le dépôt a échoué" in page
    assert "AttributeError" not in page  # the detail is for the documentalists
    auth.logout()
    auth.login("collectif")
    page = client.get(f"/documents/{doc_id}").get_data(as_text=True)
    assert "a échoué" in page and "AttributeError" in page
