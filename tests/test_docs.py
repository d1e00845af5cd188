"""The design documents name only what exists: every module path, file and dotted module
name they quote is in the tree."""

from __future__ import annotations

import importlib
import re
import tomllib

import pytest

from tests.conftest import ROOT

DOCS = ("docs/architecture.md", "docs/decisions.md")
PACKAGES = ("kb", "ingest", "indexer", "webui")
QUOTED = re.compile(r"`([^`\n]+)`")
PATH = re.compile(r"(?:kb|ingest|indexer|webui|tests|corpus|docs)/[\w./-]*")
FILE = re.compile(r"[\w-]+\.py")
DOTTED = re.compile(r"(?:kb|ingest|indexer|webui)(?:\.\w+)+")


def quoted(doc: str) -> set[str]:
    """What the document quotes, calls written without their arguments."""
    text = (ROOT / doc).read_text(encoding="utf-8")
    return {re.sub(r"\(.*\)$", "", name.strip()) for name in QUOTED.findall(text)}


def entry_point_groups() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return set(project.get("entry-points", {}))


def resolves(dotted: str) -> bool:
    """A module, or an attribute of the longest importable module before it."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            if not hasattr(found, attribute):
                return False
            found = getattr(found, attribute)
        return True
    return False


@pytest.mark.parametrize("doc", DOCS)
def test_every_quoted_module_exists(doc: str) -> None:
    names = quoted(doc)
    paths = sorted(n for n in names if PATH.fullmatch(n))
    files = sorted(n for n in names if FILE.fullmatch(n))
    dotted = sorted(n for n in names if DOTTED.fullmatch(n) and not FILE.fullmatch(n))
    assert len(paths) + len(files) + len(dotted) >= 15, "the check found nothing to check"
    assert [p for p in paths if not (ROOT / p.rstrip("/")).exists()] == []
    known_files = {p.name for package in PACKAGES for p in (ROOT / package).rglob("*.py")}
    assert [f for f in files if f not in known_files] == []
    groups = entry_point_groups()
    assert [d for d in dotted if d not in groups and not resolves(d)] == []


def test_the_architecture_page_says_where_each_rule_lives() -> None:
    text = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    for path in ("kb/visibility.py", "kb/workflow/decision_rule.py",
                 "kb/workflow/transitions.py", "kb/sheets/states.py",
                 "indexer/analysis/french.py", "ingest/readers/pdf.py", "kb/slug.py",
                 "kb/config.py", "kb/instance.py"):
        assert f"`{path}`" in text, path
    # Every package of the tree is described.
    for package in sorted(p.parent.relative_to(ROOT).as_posix() for name in PACKAGES
                          for p in (ROOT / name).glob("*/__init__.py")):
        assert f"`{package.split('/', 1)[1]}/`" in text or f"`{package}/`" in text, package
