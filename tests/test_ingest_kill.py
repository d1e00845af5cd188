"""Kill `kb ingest` mid-batch (SIGKILL): the base and the index stay consistent, and
running the same command again finishes the job without duplicates.

Only the killed ingest runs in a process of its own; the commands that follow run in the
test's process (the same CLI, without starting Python and importing kb again)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from kb.cli.main import main
from kb.config import Settings
from kb.instance import open_instance

ROOT = Path(__file__).resolve().parent.parent
KB_MAIN = "from kb.cli.main import main; main()"
# Enough documents that the kill lands mid-batch, well after 80 commits and well before the end.
FILES = 150
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


def kb(settings: Settings, *args: str) -> Result:
    """A command on the instance, run in this process."""
    return CliRunner().invoke(main, list(args), env={
        "KB_HOME": str(settings.home), "KB_DATABASE_URL": settings.database_url})


def environment(settings: Settings) -> dict[str, str]:
    return {**os.environ, "KB_HOME": str(settings.home),
            "KB_DATABASE_URL": settings.database_url}


def observer(settings: Settings) -> Engine:
    """A connection to the instance's database that never creates it (read-only SQLite)."""
    url = settings.database_url
    if url.startswith("sqlite"):
        url = f"sqlite:///file:{settings.home / 'kb.sqlite3'}?mode=ro&uri=true"
    return create_engine(url)


def count(engine: Engine, sql: str) -> int:
    try:
        with engine.connect() as connection:
            return int(connection.scalar(text(sql)) or 0)
    except (OperationalError, ProgrammingError):  # no database or no schema yet
        return 0


def kill_mid_batch(settings: Settings, docs: Path, after: int) -> int:
    """Start an ingest, SIGKILL it once `after` documents are committed; the count then."""
    open_instance(settings).close()
    process = subprocess.Popen([sys.executable, "-c", KB_MAIN, "ingest", "--quiet", str(docs)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env=environment(settings), cwd=ROOT)
    engine = observer(settings)
    deadline = time.monotonic() + 120
    while count(engine, "select count(*) from documents") < after:
        assert process.poll() is None, "the ingest ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    committed = count(engine, "select count(*) from documents")
    engine.dispose()
    return committed


def assert_no_duplicates(settings: Settings, distinct: int) -> None:
    engine = observer(settings)
    assert count(engine, "select count(*) from documents") == distinct
    assert count(engine, "select count(distinct content_hash) from documents") == distinct
    assert count(engine, "select count(*) from revisions") == distinct
    assert count(engine, "select count(*) from ingest_sources") == FILES + COPIES
    engine.dispose()


@pytest.mark.slow
def test_kill_then_repair_then_rerun(tmp_path: Path, settings: Settings) -> None:
    distinct = make_folder(tmp_path / "docs")
    committed = kill_mid_batch(settings, tmp_path / "docs", after=80)
    assert 80 <= committed < distinct
    engine = observer(settings)
    assert count(engine, "select count(*) from ingest_runs where finished_at is null") == 1
    engine.dispose()
    repaired = kb(settings, "check", "--repair")
    assert repaired.exit_code == 0, repaired.output
    checked = kb(settings, "check")
    assert checked.exit_code == 0 and "concordent" in checked.stdout, checked.output
    rerun = kb(settings, "ingest", "--quiet", str(tmp_path / "docs"))
    assert rerun.exit_code == 0, rerun.output
    assert f"{distinct - committed} ajouté(s)" in rerun.stdout
    assert_no_duplicates(settings, distinct)
    assert kb(settings, "check").exit_code == 0


@pytest.mark.slow
def test_kill_then_the_next_ingest_finishes_the_job(tmp_path: Path, settings: Settings) -> None:
    distinct = make_folder(tmp_path / "docs")
    kill_mid_batch(settings, tmp_path / "docs", after=30)
    rerun = kb(settings, "ingest", "--quiet", str(tmp_path / "docs"))
    assert rerun.exit_code == 0, rerun.output
    assert_no_duplicates(settings, distinct)
    checked = kb(settings, "check")
    assert checked.exit_code == 0 and "concordent" in checked.stdout, checked.output
    search = kb(settings, "search", "--json", "--limit", "100", "haies")
    # « haies » is every seventh document: 22 of 150, each once (copies are not documents).
    assert search.exit_code == 0 and search.stdout.count('"source_key"') == 22
