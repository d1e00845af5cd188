"""Who may publish what: the collective and administrators publish (doctrine kinds, public
visibility); other members deposit for the members, on uploads and metadata edits alike."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from kb.accounts.users import create_user, reader_for
from kb.context import KbContext
from kb.documents.publishing import can_publish, upload_prefix
from kb.documents.reading import get_readable_document, update_metadata
from kb.errors import Forbidden
from kb.ingestion.batches import ingest_uploads
from kb.instance import open_instance
from kb.models import Document
from kb.visibility import Reader
from tests.conftest import ROLE_EMAILS, Auth, csrf_token

LOWERED = "déposé comme « proposition de changement de modèle »"
DECLARES_MORE = (b"---\ntitre: Manifeste\ntype: texte-fondateur\nvisibilite: public\n---\n"
                 b"# Manifeste\n\nNous voulons changer de modele.\n")


def member(ctx: KbContext, role: str, email: str, groups: list[str] | None = None) -> Reader:
    return reader_for(create_user(ctx, email, "un-mot-de-passe-long", role, email[:4].title(),
                                  groups))


def upload(ctx: KbContext, reader: Reader, email: str, files: list[tuple[str, bytes]],
           **form: object):  # type: ignore[no-untyped-def]
    return ingest_uploads(ctx, files, {"uploaded_by": email, **form}, reader=reader)


def count(ctx: KbContext) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count(Document.id))) or 0


def test_who_publishes() -> None:
    assert can_publish(Reader.operator())
    assert can_publish(Reader(1, frozenset({"admin"})))
    assert can_publish(Reader(1, frozenset({"collectif"})))
    assert can_publish(Reader(1, frozenset({"allie"}), frozenset({"collectif"})))
    for role in ("allie", "maieuticien", "formateur"):
        assert not can_publish(Reader(1, frozenset({role})))


@pytest.mark.parametrize(("form", "message"), [
    ({"kind": "texte-fondateur"}, "type : « texte fondateur » est réservé au collectif"),
    ({"visibility": "public"}, "visibilité : seul·es le collectif qualifié"),
])
def test_an_ally_may_not_ask_to_publish(ctx: KbContext, form: dict[str, object],
                                        message: str) -> None:
    ally = member(ctx, "allie", "alix@exemple.fr")
    with pytest.raises(Forbidden, match=message):
        upload(ctx, ally, "alix@exemple.fr", [("note.md", b"# Note\n\nTexte.\n")], **form)
    assert count(ctx) == 0


def test_what_a_file_declares_is_lowered_for_an_ally(ctx: KbContext) -> None:
    ally = member(ctx, "maieuticien", "maia@exemple.fr")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("textes-fondateurs/charte.md", "# Charte\n\nNos principes.\n")
    report = upload(ctx, ally, "maia@exemple.fr",
                    [("manifeste.md", DECLARES_MORE), ("lot.zip", archive.getvalue())],
                    visibility="membres")
    assert [o.status for o in report.outcomes] == ["added", "added"]
    assert any(LOWERED in w for w in report.outcomes[0].warnings)
    with ctx.sessions() as session:
        stored = {(d.title, d.kind, d.visibility) for d in session.scalars(select(Document))}
    assert stored == {("Manifeste", "proposition", "membres"),
                      ("Charte", "proposition", "membres")}


def test_a_public_default_does_not_publish_an_ally_upload(ctx: KbContext) -> None:
    public_ctx = open_instance(replace(ctx.settings, default_visibility="public"))
    try:
        ally = member(public_ctx, "allie", "alix@exemple.fr")
        report = upload(public_ctx, ally, "alix@exemple.fr", [("a.md", b"# A\n\nTexte.\n")])
        document = get_readable_document(public_ctx, Reader.operator(),
                                         str(report.outcomes[0].document_id))
        assert document.visibility == "membres"
    finally:
        public_ctx.close()


def test_the_collective_and_the_operator_publish(ctx: KbContext) -> None:
    collective = member(ctx, "allie", "cole@exemple.fr", ["collectif"])
    report = upload(ctx, collective, "cole@exemple.fr", [("manifeste.md", DECLARES_MORE)],
                    kind="texte-fondateur", visibility="public")
    assert report.outcomes[0].status == "added" and not report.outcomes[0].warnings
    cli = ingest_uploads(ctx, [("charte.md", DECLARES_MORE.replace(b"Manifeste", b"Charte"))])
    for outcome in (*report.outcomes, *cli.outcomes):
        document = get_readable_document(ctx, Reader.anonymous(), str(outcome.document_id))
        assert (document.kind, document.visibility) == ("texte-fondateur", "public")


def test_the_uploader_edits_until_a_publisher_publishes(ctx: KbContext) -> None:
    ally = member(ctx, "allie", "alix@exemple.fr")
    other = member(ctx, "allie", "otto@exemple.fr")
    admin = member(ctx, "admin", "adam@exemple.fr")
    report = upload(ctx, ally, "alix@exemple.fr", [("note.md", b"# Note\n\nTexte.\n")],
                    visibility="membres")
    doc_id = str(report.outcomes[0].document_id)
    assert update_metadata(ctx, ally, doc_id, {"title": "Note corrigée"}).title == "Note corrigée"
    with pytest.raises(Forbidden, match="visibilité : seul·es"):
        update_metadata(ctx, ally, doc_id, {"visibility": "public"})
    with pytest.raises(Forbidden, match="type : « texte fondateur »"):
        update_metadata(ctx, ally, doc_id, {"kind": "texte-fondateur"})
    with pytest.raises(Forbidden, match="Votre rôle"):
        update_metadata(ctx, other, doc_id, {"title": "Pas à moi"})
    published = update_metadata(ctx, admin, doc_id, {"visibility": "public"})
    assert published.visibility == "public" and published.title == "Note corrigée"
    with pytest.raises(Forbidden, match="Votre rôle"):
        update_metadata(ctx, ally, doc_id, {"title": "Après publication"})
    again = upload(ctx, ally, "alix@exemple.fr", [("note.md", b"# Note\n\nTexte v2.\n")],
                   visibility="membres")
    assert again.outcomes[0].status == "failed"
    assert "document déjà publié" in again.outcomes[0].message
    assert get_readable_document(ctx, Reader.anonymous(), doc_id).text == "Note\n\nTexte."
    assert upload_prefix("alix@exemple.fr") != upload_prefix("otto@exemple.fr")


def form_options(html: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S)
    assert select_html, name
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html.group(0))


def post_upload(client: FlaskClient, files: list[tuple[str, bytes]], **form: str):  # type: ignore[no-untyped-def]
    data = {"csrf_token": csrf_token(client, "/deposer"), "visibility": "membres", "kind": "",
            **form, "files": [(io.BytesIO(body), name) for name, body in files]}
    return client.post("/deposer", data=data, content_type="multipart/form-data")


def test_the_upload_form_for_an_ally(client: FlaskClient, auth: Auth, app: Flask) -> None:
    auth.login("allie")
    page = client.get("/deposer").get_data(as_text=True)
    assert "texte-fondateur" not in form_options(page, "kind")
    assert form_options(page, "visibility") == ["membres", "restreint"]
    refused = post_upload(client, [("note.md", b"# Note\n\nTexte.\n")], visibility="public")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403
    assert re.search(r'id="visibility-err">seul·es le collectif qualifié', html), html
    assert count(app.extensions["kb"]) == 0
    done = post_upload(client, [("manifeste.md", DECLARES_MORE)])
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and LOWERED in html
    with app.extensions["kb"].sessions() as session:
        document = session.scalars(select(Document)).one()
    assert (document.kind, document.visibility) == ("proposition", "membres")
    page = client.get(f"/documents/{document.id}").get_data(as_text=True)
    assert "Modifier les métadonnées" in page  # the uploader, until it is published
    edit = client.get(f"/documents/{document.id}/modifier").get_data(as_text=True)
    assert form_options(edit, "visibility") == ["membres", "restreint"]
    token = csrf_token(client, f"/documents/{document.id}/modifier")
    response = client.post(f"/documents/{document.id}/modifier", data={
        "csrf_token": token, "title": "Manifeste", "kind": "texte-fondateur",
        "visibility": "membres"})
    assert response.status_code == 403
    assert "« texte fondateur » est réservé" in response.get_data(as_text=True)


def test_a_collective_member_publishes_through_the_form(client: FlaskClient, auth: Auth,
                                                         app: Flask) -> None:
    auth.login("collectif")
    page = client.get("/deposer").get_data(as_text=True)
    assert "public" in form_options(page, "visibility")
    done = post_upload(client, [("manifeste.md", DECLARES_MORE)], kind="texte-fondateur",
                       visibility="public")
    assert done.status_code == 200
    with app.extensions["kb"].sessions() as session:
        document = session.scalars(select(Document)).one()
    assert (document.kind, document.visibility) == ("texte-fondateur", "public")
    auth.logout()
    auth.login_as(ROLE_EMAILS["allie"], "motdepasse-solide")
    assert "Modifier les métadonnées" not in client.get(
        f"/documents/{document.id}").get_data(as_text=True)
