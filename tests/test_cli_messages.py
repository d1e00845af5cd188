"""The command line speaks French: Click's own messages, errors, prompts; it refuses a folder
holding no instance; `kb --help` lists the commands without importing them."""

from __future__ import annotations

import ast
import gettext
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from click.testing import CliRunner

from kb.cli.main import COMMANDS, main
from kb.cli.messages import LOCALE_DIR
from kb.config import Settings

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = LOCALE_DIR / "fr" / "LC_MESSAGES"


def click_messages() -> set[str]:
    """Every message Click's source passes to gettext (singular forms)."""
    found = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        for _, message, _, _ in extract_from_file(
                "python", str(source), keywords={"_": None, "ngettext": (1, 2)}):
            found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_the_catalogue_translates_every_click_message_and_is_compiled() -> None:
    with (CATALOGUE / "messages.po").open("rb") as po:
        catalogue = read_po(po)
    translated = {m.id[0] if isinstance(m.id, tuple) else m.id: m.string
                  for m in catalogue if m.id and all(m.string if isinstance(m.string, tuple)
                                                     else [m.string])}
    assert click_messages() - set(translated) == set()
    with (CATALOGUE / "messages.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for message in catalogue:
        if message.id and not isinstance(message.id, tuple):
            assert compiled.gettext(message.id) == message.string, "run `make locale`"


@pytest.mark.parametrize(("args", "expected", "unexpected"), [
    (["--help"], ["Usage : kb [OPTIONS] COMMAND", "Affiche cette aide et quitte.",
                  "Commandes:"], ["Show this message", "Usage:"]),
    (["ingest", "-h"], ["Usage : kb ingest", "Affiche cette aide"], ["Show this"]),
    (["user", "add", "a@b.fr", "--role", "chef"],
     ["Erreur : Valeur invalide pour '--role' : « chef » n'est pas parmi",
      "Aide : « kb user add --help »."], ["Error", "Invalid value", "Try"]),
    (["ingest", "--limite"], ["Option inconnue : « --limite »."], ["No such option"]),
    (["cherche"], ["Commande inconnue : « cherche »."], ["No such command"]),
    (["search"], ["Argument manquant"], ["Missing argument"]),
    (["search", "--limit", "x", "eau"], ["« x » n'est pas un nombre valide."], ["integer"]),
])
def test_click_speaks_french(runner: CliRunner, args: list[str], expected: list[str],
                             unexpected: list[str]) -> None:
    result = runner.invoke(main, args)
    for text in expected:
        assert text in result.output, result.output
    for text in unexpected:
        assert text not in result.output, result.output


def test_the_help_lists_each_command_from_its_own_help() -> None:
    for name, (target, short_help) in COMMANDS.items():
        module, _, attribute = target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        assert command.get_short_help_str(limit=1000) == short_help, name


def loaded_by(args: list[str], modules: tuple[str, ...], env: dict[str, str] | None = None
              ) -> tuple[list[str], str]:
    """Which of `modules` a `kb` command loads, run in a new process, and what it printed."""
    probe = (f"import sys; from kb.cli.main import main\n"
             f"try: main({args!r})\nexcept SystemExit: pass\n"
             f"print('LOADED', [m for m in {modules!r} if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            cwd=ROOT, check=True, env={**os.environ, **(env or {})})
    output, _, loaded = result.stdout.rpartition("LOADED ")
    return ast.literal_eval(loaded.strip()), output


def test_help_imports_no_command_nor_the_database_stack() -> None:
    loaded, output = loaded_by(["--help"], (
        "sqlalchemy", "whoosh", "numpy", "spacy", "sklearn", "flask", "kb.cli.ingest",
        "kb.cli.search", "kb.instance"))
    assert loaded == [] and "serve " in output


# What a search never needs: the language model, machine learning, the web layer, the
# migrations (the schema is up to date), the file readers and the document writers.
NOT_FOR_SEARCH = ("spacy", "indexer.nlp", "sklearn", "scipy", "flask", "webui", "alembic",
                  "ingest", "kb.ingestion", "docx", "odf", "kb.exports", "kb.taxonomy")


def test_search_loads_neither_the_language_model_nor_the_web(corpus_settings: Settings) -> None:
    loaded, output = loaded_by(["search", "économie de la fonctionnalité"], NOT_FOR_SEARCH,
                               env={"KB_HOME": str(corpus_settings.home),
                                    "KB_DATABASE_URL": corpus_settings.database_url})
    assert loaded == []
    # The search ran for real: the modules it needs were loaded, and it found documents.
    assert re.search(r"^[1-9]\d* document\(s\) pour", output, re.M), output


@pytest.mark.parametrize("args", [["search", "eau"], ["ingest", "."], ["user", "list"],
                                  ["check"], ["reindex"], ["taxonomy", "list"], ["serve"]])
def test_a_folder_without_instance_is_named_and_left_untouched(tmp_path: Path,
                                                               args: list[str]) -> None:
    home = tmp_path / "ailleurs"
    result = CliRunner().invoke(main, ["--home", str(home), *args])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Erreur : aucune instance dans {home}, lancez « kb init »"
    assert not home.exists()


def test_init_makes_the_instance_the_others_need(tmp_path: Path) -> None:
    home = tmp_path / "neuve"
    cli = CliRunner()
    assert cli.invoke(main, ["--home", str(home), "init"]).exit_code == 0
    result = cli.invoke(main, ["--home", str(home), "search", "eau"])
    assert result.exit_code == 0 and "0 document(s)" in result.stdout


def test_user_add_without_terminal_reads_standard_input_and_says_so(runner: CliRunner) -> None:
    result = runner.invoke(main, ["user", "add", "anne@exemple.fr", "--name", "Anne Bé",
                                  "--group", "collectif"], input="un-mot-de-passe-long\n")
    assert result.exit_code == 0, result.output
    assert "Pas de terminal : mot de passe lu sur l'entrée standard" in result.stderr
    assert "Warning" not in result.output
    empty = runner.invoke(main, ["user", "add", "b@exemple.fr", "--name", "Bé"], input="")
    assert empty.exit_code == 1
    assert "aucun mot de passe reçu sur l'entrée standard" in empty.stderr


def test_user_list_has_a_header_and_the_display_name(runner: CliRunner) -> None:
    runner.invoke(main, ["user", "add", "anne@exemple.fr", "--name", "Anne Bé",
                         "--password-stdin"], input="un-mot-de-passe-long\n")
    runner.invoke(main, ["user", "add", "zoe@exemple.fr", "--role", "admin", "--name", "Zoé",
                         "--password-stdin"], input="un-mot-de-passe-long\n")
    lines = runner.invoke(main, ["user", "list"]).stdout.splitlines()
    assert lines[0].split() == ["ADRESSE", "NOM", "RÔLE", "ÉTAT", "GROUPES"]
    assert lines[1].split() == ["anne@exemple.fr", "Anne", "Bé", "allie", "actif", "-"]
    assert lines[2].split() == ["zoe@exemple.fr", "Zoé", "admin", "actif", "-"]
    assert lines[0].index("RÔLE") == lines[1].index("allie")
