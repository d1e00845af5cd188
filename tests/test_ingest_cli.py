"""`kb ingest` options: lists of paths, dry runs, JSON reports, summary, progress bar."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kb.cli.main import main
from kb.config import Settings
from kb.instance import open_instance
from tests.filemakers import make_image_only_pdf

ROOT = Path(__file__).resolve().parent.parent
KB_MAIN = "from kb.cli.main import main; main()"


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "fiches").mkdir(parents=True)
    (root / "fiches" / "cantine.md").write_text("# Cantine\n\nRepas bio.\n", encoding="utf-8")
    (root / "note.txt").write_text("Titre : Note\n\nLes haies.\n", encoding="utf-8")
    (root / "casse.pdf").write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog")
    make_image_only_pdf(root / "scan.pdf")
    return root


def test_dry_run_reports_without_writing(runner: CliRunner, docs: Path) -> None:
    result = runner.invoke(main, ["ingest", "--dry-run", str(docs)])
    assert result.exit_code == 1  # a file would fail
    assert "Simulation (rien n'a été écrit) : 3 ajouté(s)" in result.stdout
    assert "ÉCHEC casse.pdf : PDF corrompu" in result.stderr
    search = runner.invoke(main, ["search", "--json", "cantine"])
    assert json.loads(search.stdout) == []


def test_paths_from_a_list_file_and_from_stdin(runner: CliRunner, docs: Path,
                                               tmp_path: Path) -> None:
    listing = tmp_path / "liste.txt"
    listing.write_text(f"# à ingérer\n{docs / 'fiches'}\n\n{docs / 'note.txt'}\n"
                       f"{docs / 'absent.md'}\n", encoding="utf-8")
    result = runner.invoke(main, ["ingest", "--from-list", str(listing)])
    assert result.exit_code == 1
    assert f"ÉCHEC {docs / 'absent.md'} : chemin introuvable" in result.stderr
    assert "2 ajouté(s)" in result.stdout
    again = runner.invoke(main, ["ingest", "--from-list", "-"], input=f"{docs / 'note.txt'}\n")
    assert again.exit_code == 0 and "1 inchangé(s)" in again.stdout


def test_nothing_to_ingest_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(main, ["ingest"])
    assert result.exit_code == 2 and "--from-list" in result.stderr


def test_json_report_and_summary(runner: CliRunner, docs: Path, tmp_path: Path) -> None:
    runner.invoke(main, ["ingest", str(docs)])
    (docs / "note.txt").unlink()
    report_path = tmp_path / "bilan.json"
    result = runner.invoke(main, ["ingest", "--quiet", "--report", str(report_path), str(docs)])
    assert result.exit_code == 1
    assert "inchangé" not in result.stdout.split("Bilan")[0]  # --quiet: no line per file
    assert "1 fichier(s) disparu(s)" in result.stdout and "note.txt — Note" in result.stdout
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["counts"] == {"added": 0, "updated": 0, "unchanged": 2, "duplicate": 0,
                                "failed": 1}
    assert [m["source_key"] for m in report["missing"]] == ["note.txt"]
    assert report["dry_run"] is False and isinstance(report["run_id"], int)
    failed = [f for f in report["files"] if f["status"] == "failed"]
    assert failed[0]["source_key"] == "casse.pdf" and "PDF corrompu" in failed[0]["message"]


def test_summary_lists_documents_needing_ocr(runner: CliRunner, docs: Path) -> None:
    result = runner.invoke(main, ["ingest", str(docs)])
    assert "Sans texte, OCR nécessaire : 1 (scan.pdf)." in result.stdout


def test_progress_bar_on_a_terminal_only(docs: Path, settings: Settings) -> None:
    open_instance(settings).close()
    env = {**os.environ, "KB_HOME": str(settings.home), "KB_DATABASE_URL": settings.database_url}
    command = [sys.executable, "-c", KB_MAIN, "ingest", str(docs)]
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=follower, stderr=subprocess.PIPE, env=env,
                               cwd=ROOT)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    _, errors = process.communicate(timeout=60)
    os.close(leader)
    output = b"".join(chunks).decode("utf-8", "replace")
    assert "Ingestion" in output and "4/4" in output
    assert "Bilan : 3 ajouté(s)" in output
    assert "ÉCHEC casse.pdf" in errors.decode()
    piped = subprocess.run(command, capture_output=True, env=env, cwd=ROOT, check=False)
    assert b"Ingestion" not in piped.stdout and b"inchang" in piped.stdout
