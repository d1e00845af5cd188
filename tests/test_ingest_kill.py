"""Kill `kb ingest` mid-batch (SIGKILL): the base and the index stay consistent, and
running the same command again finishes the job without duplicates."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kb.config import Settings
from kb.instance import open_instance

ROOT = Path(__file__).resolve().parent.parent
KB_MAIN = "from kb.cli.main import main; main()"
FILES = 300
COPIES = 10
TOPICS = ("haies", "mares", "cantines", "friches", "tiers-lieux", "mobilités", "énergie")


def make_folder(root: Path) -> int:
    """FILES distinct documents in sub-folders plus COPIES exact copies; returns the number
    of distinct contents."""
    for number in range(FILES):
        topic = TOPICS[number % len(TOPICS)]
        folder = root / ("fiches", "outils", "propositions")[number % 3]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"doc-{number:04}.md").write_text(
            f"---\ntitre: Document {number} sur {topic}\n---\n# {topic}\n\n"
            f"Le document {number} traite des {topic} dans les territoires ruraux. " * 20,
            encoding="utf-8")
    copies = root / "copies"
    copies.mkdir()
    for number in range(COPIES):
        source = root / "fiches" / f"doc-{number * 3:04}.md"
        (copies / f"copie-{number}.md").write_bytes(source.read_bytes())
    return FILES


def kb(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", KB_MAIN, *args], capture_output=True,
                          text=True, env=environment(home), cwd=ROOT, timeout=300, check=False)


def environment(home: Path) -> dict[str, str]:
    env = {**os.environ, "KB_HOME": str(home)}
    env.pop("KB_DATABASE_URL", None)
    return env


def count(home: Path, sql: str) -> int:
    database = home / "kb.sqlite3"
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1) as connection:
            return int(connection.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def kill_mid_batch(home: Path, docs: Path, after: int) -> int:
    """Start an ingest, SIGKILL it once `after` documents are committed; the count then."""
    open_instance(Settings.for_home(home)).close()
    process = subprocess.Popen([sys.executable, "-c", KB_MAIN, "ingest", "--quiet", str(docs)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment(home), cwd=ROOT)
    deadline = time.monotonic() + 120
    while count(home, "select count(*) from documents") < after:
        assert process.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    return count(home, "select count(*) from documents")


def assert_no_duplicates(home: Path, distinct: int) -> None:
    assert count(home, "select count(*) from documents") == distinct
    assert count(home, "select count(distinct content_hash) from documents") == distinct
    assert count(home, "select count(*) from revisions") == distinct
    assert count(home, "select count(*) from ingest_sources") == FILES + COPIES


@pytest.mark.slow
def test_kill_then_repair_then_rerun(tmp_path: Path) -> None:
    distinct = make_folder(tmp_path / "docs")
    home = tmp_path / "instance"
    committed = kill_mid_batch(home, tmp_path / "docs", after=80)
    assert 80 <= committed < distinct
    assert count(home, "select count(*) from ingest_runs where finished_at is null") == 1
    repaired = kb(home, "check", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    checked = kb(home, "check")
    assert checked.returncode == 0 and "concordent" in checked.stdout, checked.stdout
    rerun = kb(home, "ingest", "--quiet", str(tmp_path / "docs"))
    assert rerun.returncode == 0, rerun.stderr
    assert f"{distinct - committed} ajouté(s)" in rerun.stdout
    assert_no_duplicates(home, distinct)
    assert kb(home, "check").returncode == 0


@pytest.mark.slow
def test_kill_then_the_next_ingest_finishes_the_job(tmp_path: Path) -> None:
    distinct = make_folder(tmp_path / "docs")
    home = tmp_path / "instance"
    kill_mid_batch(home, tmp_path / "docs", after=30)
    rerun = kb(home, "ingest", "--quiet", str(tmp_path / "docs"))
    assert rerun.returncode == 0, rerun.stderr
    assert_no_duplicates(home, distinct)
    checked = kb(home, "check")
    assert checked.returncode == 0 and "concordent" in checked.stdout, checked.stdout
    search = kb(home, "search", "--json", "--limit", "100", "haies")
    assert search.returncode == 0 and search.stdout.count('"source_key"') == 43
