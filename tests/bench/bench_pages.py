"""Server time of the pages people open most: home, search with facets, a document page and
the theme tree, as a visitor and as a signed-in member of the collective, on the seeded corpus
instance (`tests/seed.py`: shipped corpus tagged with the shipped taxonomy, one account per
role, doctrine, a debate, sheets, a catalogue).

Run `.venv/bin/python -m tests.bench.bench_pages [HOME]` (HOME: an instance folder, seeded
the first time and reused after, so that figures compare the same instance), or `make bench`.
HOME may also be a copy of an instance seeded by an older commit (`before_8e237c2.py`): it is
migrated on opening. Each page is requested through the Flask test client 5 times to warm
up, then 40 times; prints the median and 95th percentile of the wall time and the median
processor time, in milliseconds (`page_timing.py`). Asserts nothing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kb.config import Settings
from kb.instance import open_instance
from tests.bench.page_timing import SEEDED_MARK, print_timings
from tests.seed import seed_instance


def seeded_home(home: Path) -> str:
    """Seed the instance once; returns the public document's id."""
    mark = home / SEEDED_MARK
    if not mark.exists():
        ctx = open_instance(Settings.for_home(home))
        seeded = seed_instance(ctx)
        ctx.close()
        mark.write_text(seeded.public_document, encoding="utf-8")
    return mark.read_text(encoding="utf-8").strip()


def run(home: Path) -> None:
    from webui.app import create_app

    document = seeded_home(home)
    app = create_app(Settings.for_home(home))
    print_timings(app, document)
    app.extensions["kb_tasks"].shutdown()
    app.extensions["kb"].close()


def test_pages_benchmark(tmp_path: Path) -> None:
    run(tmp_path / "instance")


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(Path(sys.argv[1]))
    else:
        with tempfile.TemporaryDirectory() as folder:
            run(Path(folder) / "instance")
