"""`kb user`: accounts from the command line (the first administrator is created here)."""

from __future__ import annotations

import json
import sys

import click

from kb.accounts.users import (
    create_user,
    find_user,
    list_users,
    set_active,
    set_display_name,
    set_role,
)
from kb.cli.base import json_option
from kb.cli.context import open_context
from kb.errors import InvalidInput
from kb.visibility import ROLES


@click.group()
def user() -> None:
    """Gère les comptes (création, nom affiché, rôle, désactivation)."""


def _read_password(from_stdin: bool) -> str:
    """Asked twice, unseen, on a terminal; otherwise the first line of standard input."""
    if not from_stdin and sys.stdin.isatty():
        return click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    if not from_stdin:
        click.echo("Pas de terminal : mot de passe lu sur l'entrée standard (première ligne).",
                   err=True)
    line = sys.stdin.readline()
    if not line.strip():
        raise InvalidInput("aucun mot de passe reçu sur l'entrée standard")
    return line.rstrip("\r\n")


@user.command("add")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="allie", show_default=True)
@click.option("--name", "display_name", default="",
              help="Nom affiché aux autres membres (demandé sur un terminal s'il manque).")
@click.option("--group", "groups", multiple=True, help="Groupe (répétable).")
@click.option("--password-stdin", is_flag=True, help="Lit le mot de passe sur l'entrée standard.")
@click.pass_context
def add(ctx: click.Context, email: str, role: str, display_name: str, groups: tuple[str, ...],
        password_stdin: bool) -> None:
    """Crée un compte ; le nom affiché et le mot de passe sont demandés (le mot de passe
    jamais en argument)."""
    if not display_name.strip():
        if password_stdin or not sys.stdin.isatty():  # stdin holds the password, not a name
            raise click.UsageError("--name : le nom affiché aux autres membres est obligatoire")
        display_name = click.prompt("Nom affiché (vu par les autres membres)")
    kb_ctx = open_context(ctx)
    created = create_user(kb_ctx, email, _read_password(password_stdin), role, display_name,
                          list(groups))
    click.echo(f"Compte créé : {created.email} ({created.role})")


@user.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@click.pass_context
def set_role_command(ctx: click.Context, email: str, role: str) -> None:
    """Change le rôle d'un compte."""
    kb_ctx = open_context(ctx)
    set_role(kb_ctx, find_user(kb_ctx, email).id, role)
    click.echo(f"{email} : rôle {role}")


@user.command("rename")
@click.argument("email")
@click.argument("name")
@click.pass_context
def rename(ctx: click.Context, email: str, name: str) -> None:
    """Change le nom affiché d'un compte (ce que voient les autres membres)."""
    kb_ctx = open_context(ctx)
    renamed = set_display_name(kb_ctx, find_user(kb_ctx, email).id, name)
    click.echo(f"{renamed.email} : nom affiché « {renamed.display_name} »")


@user.command("disable")
@click.argument("email")
@click.pass_context
def disable(ctx: click.Context, email: str) -> None:
    """Désactive un compte (ses sessions ouvertes cessent de valoir)."""
    kb_ctx = open_context(ctx)
    set_active(kb_ctx, find_user(kb_ctx, email).id, False)
    click.echo(f"{email} : compte désactivé")


@user.command("list")
@json_option
@click.pass_context
def list_command(ctx: click.Context, as_json: bool) -> None:
    """Liste les comptes : adresse, nom affiché, rôle, état et groupes."""
    rows = [{"email": a.email, "name": a.display_name, "role": a.role, "active": a.active,
             "groups": list(a.groups)} for a in list_users(open_context(ctx))]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    table = [("ADRESSE", "NOM", "RÔLE", "ÉTAT", "GROUPES")] + [
        (r["email"], r["name"] or "-", r["role"], "actif" if r["active"] else "désactivé",
         ", ".join(r["groups"]) or "-") for r in rows]
    widths = [max(len(row[column]) for row in table) for column in range(4)]
    for row in table:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[4]]))
