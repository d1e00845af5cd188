"""Accounts service and `kb user` commands: hashing, roles, sign-in, disabling."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from kb.accounts import users
from kb.accounts.names import derive_display_name
from kb.accounts.users import (
    authenticate,
    change_password,
    create_user,
    find_user,
    list_users,
    reader_for,
    set_active,
    set_display_name,
    set_role,
)
from kb.cli.main import main
from kb.context import KbContext
from kb.errors import Conflict, Forbidden, InvalidInput
from kb.models import User
from tests.conftest import PRODUCTION_DUMMY_HASH, PRODUCTION_PASSWORD_METHOD


def test_password_is_hashed_and_checked(ctx: KbContext, monkeypatch: pytest.MonkeyPatch) -> None:
    # The production cost, which the other tests lower (tests/conftest.py).
    assert PRODUCTION_PASSWORD_METHOD == "scrypt:32768:8:1"
    monkeypatch.setattr(users, "PASSWORD_METHOD", PRODUCTION_PASSWORD_METHOD)
    user = create_user(ctx, "Zoe@Exemple.fr", "un-long-secret", "maieuticien", "Zoé")
    with ctx.sessions() as session:
        stored = session.scalar(select(User).where(User.id == user.id))
        assert stored is not None and "un-long-secret" not in stored.password_hash
        assert stored.password_hash.startswith("scrypt:32768:8:1$")
        assert stored.email == "zoe@exemple.fr"
    assert authenticate(ctx, "zoe@exemple.fr", "un-long-secret").id == user.id
    with pytest.raises(Forbidden):
        authenticate(ctx, "zoe@exemple.fr", "mauvais-secret")
    with pytest.raises(Forbidden):
        authenticate(ctx, "inconnu@exemple.fr", "un-long-secret")
    # An unknown address costs a check at the same price: no timing tells it apart.
    assert PRODUCTION_DUMMY_HASH.startswith(f"{PRODUCTION_PASSWORD_METHOD}$")


@pytest.mark.parametrize(("email", "password", "role", "message"), [
    ("pas-une-adresse", "un-long-secret", "allie", "adresse"),
    ("a@b.fr", "court", "allie", "trop court"),
    ("a@b.fr", "un-long-secret", "chef", "rôle inconnu"),
])
def test_invalid_accounts_are_refused(ctx: KbContext, email: str, password: str, role: str,
                                      message: str) -> None:
    with pytest.raises(InvalidInput) as error:
        create_user(ctx, email, password, role, "Alice")
    assert message in error.value.message


def test_duplicate_email(ctx: KbContext) -> None:
    create_user(ctx, "a@b.fr", "un-long-secret", display_name="Alice")
    with pytest.raises(Conflict):
        create_user(ctx, "A@B.fr", "un-long-secret", display_name="Alice")


def test_disable_and_role_change(ctx: KbContext) -> None:
    user = create_user(ctx, "a@b.fr", "un-long-secret", "allie", "Alice")
    assert reader_for(set_role(ctx, user.id, "collectif")).all_groups == {"collectif"}
    set_active(ctx, user.id, False)
    with pytest.raises(Forbidden):
        authenticate(ctx, "a@b.fr", "un-long-secret")
    assert not reader_for(find_user(ctx, "a@b.fr")).is_member


def test_password_change_bumps_session_version(ctx: KbContext) -> None:
    user = create_user(ctx, "a@b.fr", "un-long-secret", display_name="Alice")
    with pytest.raises(InvalidInput):
        change_password(ctx, user.id, "pas-le-bon", "nouveau-secret")
    changed = change_password(ctx, user.id, "un-long-secret", "nouveau-secret")
    assert changed.session_version == user.session_version + 1
    assert authenticate(ctx, "a@b.fr", "nouveau-secret").id == user.id


def test_cli_user_commands(runner: CliRunner, ctx: KbContext) -> None:
    result = runner.invoke(main, ["user", "add", "admin@exemple.fr", "--role", "admin",
                                  "--name", "Association", "--password-stdin"],
                           input="secret-admin-123\n")
    assert result.exit_code == 0, result.output
    assert authenticate(ctx, "admin@exemple.fr", "secret-admin-123").role == "admin"
    assert runner.invoke(main, ["user", "set-role", "admin@exemple.fr", "collectif"]).exit_code == 0
    assert find_user(ctx, "admin@exemple.fr").role == "collectif"
    assert runner.invoke(main, ["user", "disable", "admin@exemple.fr"]).exit_code == 0
    assert not find_user(ctx, "admin@exemple.fr").active
    listing = runner.invoke(main, ["user", "list"])
    assert listing.stdout.splitlines()[1].split() == ["admin@exemple.fr", "Association",
                                                      "collectif", "désactivé", "-"]


def test_cli_errors_are_one_line(runner: CliRunner) -> None:
    result = runner.invoke(main, ["user", "add", "x@y.fr", "--name", "X", "--password-stdin"],
                           input="court\n")
    assert result.exit_code == 1
    assert result.stderr.strip() == "Erreur : mot de passe trop court (10 caractères au moins)"
    result = runner.invoke(main, ["user", "disable", "personne@y.fr"])
    assert result.exit_code == 1 and "aucun compte" in result.stderr


@pytest.mark.parametrize(("name", "message"), [
    ("", "nom affiché : obligatoire"),
    ("   \t ", "nom affiché : obligatoire"),
    ("alice@exemple.fr", "une adresse e-mail ne peut pas servir de nom affiché"),
    ("A" * 101, "100 caractères au plus"),
])
def test_display_name_is_required_and_never_an_address(ctx: KbContext, name: str,
                                                        message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        create_user(ctx, "a@b.fr", "un-long-secret", "allie", name)
    assert list_users(ctx) == []


def test_display_name_is_cleaned_and_changed_by_its_owner(ctx: KbContext) -> None:
    user = create_user(ctx, "a@b.fr", "un-long-secret", "allie", "  Alice\n  Martin ")
    assert user.display_name == "Alice Martin" and not user.display_name_derived
    assert set_display_name(ctx, user.id, "Alice M.").name == "Alice M."
    with pytest.raises(InvalidInput, match="obligatoire"):
        set_display_name(ctx, user.id, "")


@pytest.mark.parametrize(("email", "name"), [
    ("jeanne.dupont@exemple.fr", "Jeanne Dupont"),
    ("col1@ex.fr", "Col1"),
    ("marie-claire_du+pont@ex.fr", "Marie Claire Du Pont"),
    ("...@ex.fr", "Membre"),
])
def test_derived_display_names(email: str, name: str) -> None:
    assert derive_display_name(email) == name


def test_cli_requires_the_display_name_and_renames(runner: CliRunner, ctx: KbContext) -> None:
    refused = runner.invoke(main, ["user", "add", "x@exemple.fr", "--password-stdin"],
                            input="secret-de-x-123\n")
    assert refused.exit_code != 0 and "--name" in refused.output + refused.stderr
    piped = runner.invoke(main, ["user", "add", "x@exemple.fr"], input="secret-de-x-123\n")
    assert piped.exit_code != 0 and "--name" in piped.output + piped.stderr  # never the password
    assert list_users(ctx) == []
    added = runner.invoke(main, ["user", "add", "zoe@exemple.fr", "--name", "Zoé Martin",
                                 "--password-stdin"], input="secret-de-zoe\n")
    assert added.exit_code == 0, added.output
    assert find_user(ctx, "zoe@exemple.fr").name == "Zoé Martin"
    renamed = runner.invoke(main, ["user", "rename", "zoe@exemple.fr", "Zoé M."])
    assert renamed.exit_code == 0, renamed.output
    assert find_user(ctx, "zoe@exemple.fr").name == "Zoé M."
    assert "zoe@exemple.fr" in renamed.output and "Zoé M." in renamed.output
