"""Keeping search warm in a server: each index snapshot is loaded in the background as it
opens (at start, and after each change to the index), while requests are answered."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from indexer.index.snapshot import Snapshot
from indexer.search.warm import warm
from kb.context import KbContext
from kb.search.expansion import taxonomy


def keep_search_warm(ctx: KbContext,
                     report: Callable[[str], None] = lambda _line: None) -> threading.Thread:
    """Warm the current snapshot now and every later one as it opens, in the background;
    `report` hears, in French, what was loaded and how long it took. Returns the thread
    warming the current snapshot."""

    def warm_one(snap: Snapshot) -> None:
        started = time.perf_counter()
        taxonomy(ctx)
        postings = warm(snap)
        seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
        report(f"Recherche prête : index de {snap.live_count} documents chargé en mémoire "
               f"({postings} postings) en {seconds} s.")

    ctx.index.warmer = warm_one
    snap = ctx.index.snapshot()
    if ctx.index.warming is None:  # the snapshot was open before: no thread warms it yet
        ctx.index.warming = threading.Thread(target=warm_one, args=(snap,), name="kb-warm",
                                             daemon=True)
        ctx.index.warming.start()
    return ctx.index.warming
