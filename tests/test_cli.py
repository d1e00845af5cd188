"""The `kb` command line end to end: ingest real files of each format, then search them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kb.cli.main import main
from tests.filemakers import make_docx, make_pdf


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A small folder of French documents, one per format, each with distinct words."""
    root = tmp_path / "docs"
    (root / "fiches").mkdir(parents=True)
    (root / "fiches" / "cantine.md").write_text(
        "---\ntitre: La cantine bio de Mouans\ntype: fiche d’expérience\n"
        "auteurs: Claire Fontaine\ndate: 15 mars 2021\nterritoire: Mouans-Sartoux\n---\n"
        "# La cantine bio\n\nLes élu·e·s ont fait le choix de l'agriculture biologique "
        "pour les repas scolaires.\n", encoding="utf-8")
    (root / "note.txt").write_text(
        "Titre : Note sur les écoquartiers\nAuteur : Jean Dupont\n\n"
        "Les écoquartiers favorisent la sobriété énergétique des bâtiments.\n",
        encoding="utf-8")
    make_pdf(root / "friches.pdf", [["Reconversion des friches industrielles",
                                     "L'intercommunalité rachète les friches polluées."]],
             title="Les friches industrielles", author="Aïcha Benali")
    make_docx(root / "mobilite.docx", "Mobilité solidaire en vallée",
              ["Le transport solidaire relie les hameaux isolés aux marchés."],
              author="Sophie Delmas", created=dt.datetime(2022, 5, 4))
    (root / "casse.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    return root


def ingest(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(main, ["ingest", *args])
    return result.exit_code, result.stdout, result.stderr


def search_json(runner: CliRunner, query: str) -> list[dict[str, object]]:
    result = runner.invoke(main, ["search", "--json", query])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_bad_file_is_named_and_the_batch_goes_on(runner: CliRunner, folder: Path) -> None:
    code, out, err = ingest(runner, str(folder))
    assert code == 1
    failures = [line for line in err.splitlines() if line.startswith("ÉCHEC")]
    assert len(failures) == 1
    assert "casse.pdf" in failures[0] and "PDF corrompu" in failures[0]
    assert "4 ajouté(s)" in out and "1 échec(s)" in out


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cantine", "fiches/cantine.md"),
        ("CANTINES BIOLOGIQUES", "fiches/cantine.md"),
        ("elus agriculture", "fiches/cantine.md"),
        ("ecoquartier", "note.txt"),
        ("l’écoquartier", "note.txt"),
        ("friche industrielle", "friches.pdf"),
        ("d'intercommunalites", "friches.pdf"),
        ("hameau isole", "mobilite.docx"),
        ("Delmas", "mobilite.docx"),
    ],
)
def test_search_finds_variants_of_the_text(runner: CliRunner, folder: Path, query: str,
                                           expected: str) -> None:
    ingest(runner, str(folder))
    hits = search_json(runner, query)
    assert hits, f"nothing found for {query!r}"
    assert hits[0]["source_key"] == expected
    assert set(hits[0]) == {"id", "source_key", "title", "kind", "score", "snippet"}


def test_search_says_what_it_did_not_understand(runner: CliRunner, folder: Path) -> None:
    ingest(runner, str(folder))
    result = runner.invoke(main, ["search", "cantine", "annee:abc"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("« annee:abc » : une année est attendue")
    assert lines[1] == "1 document(s) pour « cantine annee:abc »"
    assert "La cantine bio de Mouans" in lines[2]


def test_metadata_from_each_format(runner: CliRunner, folder: Path) -> None:
    ingest(runner, str(folder))
    by_key = {h["source_key"]: h for h in search_json(runner, "cantine OR ecoquartiers OR "
                                                               "friches OR solidaire")}
    assert by_key["fiches/cantine.md"]["kind"] == "fiche-experience"
    assert by_key["fiches/cantine.md"]["title"] == "La cantine bio de Mouans"
    assert by_key["note.txt"]["title"] == "Note sur les écoquartiers"
    assert by_key["friches.pdf"]["title"] == "Les friches industrielles"
    assert by_key["mobilite.docx"]["title"] == "Mobilité solidaire en vallée"


def test_reingest_is_unchanged_and_reindex_keeps_results(runner: CliRunner,
                                                        folder: Path) -> None:
    ingest(runner, str(folder))
    code, out, _ = ingest(runner, str(folder), "--exclude", "casse.pdf")
    assert code == 0 and "4 inchangé(s)" in out
    result = runner.invoke(main, ["reindex"])
    assert result.exit_code == 0 and "4 document(s)" in result.stdout
    assert search_json(runner, "cantine")[0]["source_key"] == "fiches/cantine.md"
    check = runner.invoke(main, ["check"])
    assert check.exit_code == 0 and "concordent" in check.stdout


def test_search_on_empty_instance_and_init(runner: CliRunner) -> None:
    result = runner.invoke(main, ["init"])
    assert result.exit_code == 0 and "Instance prête" in result.stdout
    assert search_json(runner, "transition") == []


def test_report_file(runner: CliRunner, folder: Path, tmp_path: Path) -> None:
    report = tmp_path / "bilan.json"
    ingest(runner, str(folder), "--report", str(report))
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["counts"]["added"] == 4 and data["counts"]["failed"] == 1
    failed = [f for f in data["files"] if f["status"] == "failed"]
    assert failed[0]["source_key"] == "casse.pdf"


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _commands(command, click.Context(command, parent=ctx))
        elif command is not None:
            found.append(command)
    return found


def test_every_json_and_limit_option_is_the_shared_one() -> None:
    commands = _commands(main, click.Context(main))
    options = [(c.name, p) for c in commands for p in c.params
               if isinstance(p, click.Option) and p.opts in (["--json"], ["--limit"])]
    assert {p.opts[0] for _, p in options} == {"--json", "--limit"}
    for name, option in options:
        assert option.help == ("Sortie en JSON." if option.opts == ["--json"]
                               else "Nombre maximal de résultats."), name
        if option.opts == ["--limit"]:
            assert isinstance(option.type, click.IntRange) and option.type.min == 1, name


def test_a_limit_out_of_range_is_refused(runner: CliRunner) -> None:
    result = runner.invoke(main, ["search", "--limit", "0", "haies"])
    assert result.exit_code == 2 and "--limit" in result.output
