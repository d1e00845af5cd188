"""Sign-in limits: failures only, per account and per address apart, a success resets the
account, the refusal says when to retry; KB_TRUSTED_PROXIES gives the real address."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kb.accounts.signin import SignInGuard, TooManyAttempts
from kb.accounts.users import create_user
from kb.context import KbContext
from kb.errors import Forbidden
from tests.conftest import PASSWORD, ROLE_EMAILS, csrf_token
from tests.databases import MakeSettings

ALICE, BRUNO = "alice@exemple.fr", "bruno@exemple.fr"


@pytest.fixture
def people(ctx: KbContext) -> KbContext:
    create_user(ctx, ALICE, PASSWORD, "allie", "Alice")
    create_user(ctx, BRUNO, PASSWORD, "allie", "Bruno")
    return ctx


def fail(guard: SignInGuard, ctx: KbContext, email: str, address: str, times: int) -> None:
    for _ in range(times):
        with pytest.raises(Forbidden):
            guard.sign_in(ctx, email, "pas-le-bon-mot", address)


def test_a_guesser_on_one_account_is_stopped_for_that_account(people: KbContext) -> None:
    guard = SignInGuard("3 per 15 minutes", "100 per 15 minutes")
    fail(guard, people, ALICE, "10.0.0.1", 3)
    with pytest.raises(TooManyAttempts) as refused:  # even with the right password
        guard.sign_in(people, ALICE, PASSWORD, "10.0.0.9")
    assert refused.value.scope == "compte" and refused.value.status == 429
    assert 890 < refused.value.retry_after <= 900
    assert refused.value.message == ("Trop de tentatives de connexion échouées pour ce compte : "
                                     "réessayez dans 15 minutes.")
    assert guard.sign_in(people, BRUNO, PASSWORD, "10.0.0.1").email == BRUNO  # same address


def test_a_sprayer_is_stopped_for_their_address(people: KbContext) -> None:
    guard = SignInGuard("3 per 15 minutes", "4 per 15 minutes")
    for email in ("a@x.fr", "b@x.fr", "c@x.fr", ALICE):  # one try per account
        fail(guard, people, email, "10.0.0.1", 1)
    with pytest.raises(TooManyAttempts) as refused:
        guard.sign_in(people, BRUNO, PASSWORD, "10.0.0.1")
    assert refused.value.scope == "adresse" and "depuis votre adresse" in refused.value.message
    assert guard.sign_in(people, BRUNO, PASSWORD, "10.0.0.2").email == BRUNO


def test_successes_do_not_count_and_reset_the_account(people: KbContext) -> None:
    guard = SignInGuard("3 per 15 minutes", "100 per 15 minutes")
    for _ in range(10):
        guard.sign_in(people, ALICE, PASSWORD, "10.0.0.1")
    fail(guard, people, ALICE, "10.0.0.1", 2)
    guard.sign_in(people, ALICE, PASSWORD, "10.0.0.1")
    fail(guard, people, ALICE, "10.0.0.1", 2)  # 2 after the success: not locked
    assert guard.sign_in(people, ALICE, PASSWORD, "10.0.0.1").email == ALICE


def test_the_limit_lifts_when_the_window_has_passed(people: KbContext) -> None:
    guard = SignInGuard("2 per 2 seconds", "100 per 15 minutes")
    fail(guard, people, ALICE, "10.0.0.1", 2)
    with pytest.raises(TooManyAttempts) as refused:
        guard.sign_in(people, ALICE, PASSWORD, "10.0.0.1")
    assert refused.value.retry_after <= 2 and "réessayez dans 1 minute." in refused.value.message
    time.sleep(2.1)
    assert guard.sign_in(people, ALICE, PASSWORD, "10.0.0.1").email == ALICE


def post_login(client: FlaskClient, email: str, password: str,
               forwarded: str | None = None) -> tuple[int, str, str | None]:
    token = csrf_token(client, "/connexion")
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    response = client.post("/connexion", data={"email": email, "password": password,
                                               "csrf_token": token}, headers=headers)
    return (response.status_code, response.get_data(as_text=True),
            response.headers.get("Retry-After"))


def test_the_page_says_when_to_retry(client: FlaskClient, accounts: dict[str, int]) -> None:
    statuses = [post_login(client, ROLE_EMAILS["allie"], "mauvais")[0] for _ in range(5)]
    assert statuses == [401] * 5
    status, html, retry = post_login(client, ROLE_EMAILS["allie"], PASSWORD)
    assert status == 429 and retry is not None and 890 < int(retry) <= 900
    assert "pour ce compte : réessayez dans 15 minutes" in html
    assert post_login(client, ROLE_EMAILS["collectif"], PASSWORD)[0] == 302


@pytest.fixture
def proxied_app(tmp_path, make_settings: MakeSettings) -> Iterator[Flask]:  # type: ignore[no-untyped-def]
    from webui.app import create_app

    application = create_app(make_settings("proxied", trusted_proxies=1))
    application.config.update(TESTING=True)
    create_user(application.extensions["kb"], ALICE, PASSWORD, "allie", "Alice")
    yield application
    application.extensions["kb_tasks"].shutdown()
    application.extensions["kb"].close()


def spray(client: FlaskClient, forwarded: str, count: int) -> list[int]:
    return [post_login(client, f"inconnu{i}@x.fr", "mauvais", forwarded)[0]
            for i in range(count)]


def test_behind_a_trusted_proxy_each_client_has_its_address(proxied_app: Flask) -> None:
    client = proxied_app.test_client()
    assert spray(client, "203.0.113.7", 21) == [401] * 20 + [429]
    assert post_login(client, ALICE, PASSWORD, "198.51.100.4")[0] == 302  # another person


def test_without_a_proxy_forwarded_addresses_are_ignored(client: FlaskClient,
                                                         accounts: dict[str, int]) -> None:
    statuses = [post_login(client, f"inconnu{i}@x.fr", "mauvais", f"192.0.2.{i}")[0]
                for i in range(21)]
    assert statuses == [401] * 20 + [429]  # a forged header does not escape the limit
