"""Personal API tokens: made on the account page and shown once, stored hashed, giving the
API the member's own visibility; revoked, expired or disabled tokens give nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from kb.accounts.tokens import create_token, list_tokens, revoke_token, user_for_token
from kb.accounts.users import set_active, set_groups
from kb.context import KbContext
from kb.errors import Forbidden, InvalidInput, NotFound
from kb.ingestion.batches import ingest_paths
from kb.models import ApiToken, utcnow
from tests.conftest import Auth, csrf_token

NOTES = {"publique": "public", "reservee": "membres",
         "collectif": "restreint\ngroupes: [collectif]"}


@pytest.fixture
def docs(app: Flask, tmp_path: Path) -> KbContext:
    ctx: KbContext = app.extensions["kb"]
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, visibility in NOTES.items():
        (folder / f"{name}.txt").write_text(f"Titre : Note {name}\n\nLes haies bocagères.\n",
                                            encoding="utf-8")
        (folder / f"{name}.txt.meta.yaml").write_text(f"visibilite: {visibility}\n",
                                                      encoding="utf-8")
    assert not ingest_paths(ctx, [folder]).failed
    return ctx


def titles(client: FlaskClient, token: str | None = None) -> set[str]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.get("/api/search", query_string={"q": "haies"}, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {r["title"] for r in response.get_json()["results"]}


def test_a_token_sees_what_its_member_sees(docs: KbContext, client: FlaskClient,
                                           accounts: dict[str, int]) -> None:
    allie = create_token(docs, accounts["allie"], "site").secret
    collectif = create_token(docs, accounts["collectif"], "script").secret
    assert titles(client) == {"Note publique"}
    assert titles(client, allie) == {"Note publique", "Note reservee"}
    assert titles(client, collectif) == {"Note publique", "Note reservee", "Note collectif"}
    set_groups(docs, accounts["allie"], ["collectif"])  # rights are read at each call
    assert "Note collectif" in titles(client, allie)
    suggestions = client.get("/api/search/suggestions", query_string={"q": "bocag"},
                             headers={"Authorization": f"Bearer {allie}"})
    assert suggestions.status_code == 200 and suggestions.get_json()["suggestions"]


@pytest.mark.parametrize("header", ["Bearer kb_inconnu", "Bearer nimporte", "Basic abc",
                                    "Bearer "])
def test_a_bad_token_is_refused_not_downgraded(docs: KbContext, client: FlaskClient,
                                               header: str) -> None:
    response = client.get("/api/search", query_string={"q": "haies"},
                          headers={"Authorization": header})
    assert response.status_code == 401 and response.is_json
    assert "results" not in response.get_json() and response.get_json()["error"]
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_revoked_expired_and_disabled_tokens_give_nothing(docs: KbContext, client: FlaskClient,
                                                          accounts: dict[str, int]) -> None:
    revoked = create_token(docs, accounts["allie"], "ancien")
    revoke_token(docs, accounts["allie"], revoked.token.id)
    expired = create_token(docs, accounts["allie"], "court", 30)
    with docs.sessions.begin() as session:
        session.execute(update(ApiToken).where(ApiToken.id == expired.token.id)
                        .values(expires_at=utcnow() - dt.timedelta(seconds=1)))
    disabled = create_token(docs, accounts["formateur"], "compte fermé")
    set_active(docs, accounts["formateur"], False)
    for secret in (revoked.secret, expired.secret, disabled.secret):
        with pytest.raises(Forbidden):
            user_for_token(docs, secret)
        assert client.get("/api/search", query_string={"q": "haies"},
                          headers={"Authorization": f"Bearer {secret}"}).status_code == 401
    assert list_tokens(docs, accounts["allie"]) == []


def test_tokens_are_stored_hashed_and_owned(docs: KbContext, accounts: dict[str, int]) -> None:
    made = create_token(docs, accounts["allie"], "  site   de Tulle ", None)
    with docs.sessions() as session:
        stored = session.scalars(select(ApiToken)).one()
    assert stored.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in (stored.token_hash, stored.prefix) and stored.expires_at is None
    assert stored.name == "site de Tulle" and made.secret.startswith(stored.prefix)
    with pytest.raises(NotFound):  # nobody revokes another member's token
        revoke_token(docs, accounts["collectif"], stored.id)
    with pytest.raises(InvalidInput):
        create_token(docs, accounts["allie"], "   ")
    with pytest.raises(InvalidInput):
        create_token(docs, accounts["allie"], "x", 7)
    assert user_for_token(docs, made.secret).id == accounts["allie"]
    with docs.sessions() as session:
        assert session.get(ApiToken, stored.id).last_used_at is not None


def test_the_account_page_makes_shows_once_and_revokes(docs: KbContext, client: FlaskClient,
                                                       auth: Auth,
                                                       accounts: dict[str, int]) -> None:
    auth.login("allie")
    token = csrf_token(client, "/compte")
    made = client.post("/compte/jetons", data={"name": "site", "lifetime": "90",
                                               "csrf_token": token})
    assert made.status_code == 200 and made.headers["Cache-Control"] == "no-store"
    secret = re.search(r'class="token-secret">(kb_[^<]+)<', made.get_data(as_text=True))
    assert secret is not None
    assert titles(client.application.test_client(), secret.group(1)) == {
        "Note publique", "Note reservee"}
    page = client.get("/compte").get_data(as_text=True)
    assert "site" in page and secret.group(1) not in page and secret.group(1)[:9] in page
    (stored,) = list_tokens(docs, accounts["allie"])
    revoked = client.post(f"/compte/jetons/{stored.id}/revoquer",
                          data={"csrf_token": csrf_token(client, "/compte")})
    assert revoked.status_code == 302
    assert "révoqué" in client.get("/compte").get_data(as_text=True)
    assert client.application.test_client().get(
        "/api/search", headers={"Authorization": f"Bearer {secret.group(1)}"}).status_code == 401


def test_tokens_need_a_session_and_csrf(docs: KbContext, client: FlaskClient,
                                        auth: Auth) -> None:
    anonymous = client.post("/compte/jetons", data={
        "name": "x", "csrf_token": csrf_token(client, "/connexion")})
    assert anonymous.status_code == 302 and "/connexion" in anonymous.headers["Location"]
    auth.login("allie")
    assert client.post("/compte/jetons", data={"name": "x"}).status_code == 400
    with docs.sessions() as session:
        assert session.scalars(select(ApiToken)).all() == []
