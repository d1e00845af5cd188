"""The Whoosh index: one schema, versioned generations swapped atomically.

Public surface: `IndexedDocument` (what kb hands over), `schema()`, `IndexStore` with
`open()`, `snapshot()` (what searches read), `writer()`, `update_documents()`,
`remove_documents()`, `rebuild()`, `indexed_stamps()`, `needs_rebuild()` and `state()`. The folder
holds `gen-N/` generations and a `current` symlink; a rebuild fills a new generation and
swaps the link in one rename.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
import shutil
import threading
import traceback
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock
from more_itertools import chunked
from whoosh import index as whoosh_index
from whoosh.index import Index
from whoosh.writing import IndexWriter

from indexer.analysis.chain import ANALYSIS_VERSION
from indexer.index import whoosh_fixes
from indexer.index.schema import SCHEMA_VERSION, IndexedDocument, schema, to_fields
from indexer.index.snapshot import Snapshot

__all__ = ["IndexState", "IndexStore", "IndexedDocument", "SCHEMA_VERSION", "schema", "to_fields"]
whoosh_fixes.apply()
VERSION_FILE = "kb-index.json"
LOCK_FILE = "generations.lock"
WRITER_TIMEOUT_S = 60.0
# A rebuild writes segments of this many documents per process, sorted in memory: about
# 1,800 postings per document of 1,500 words, some 150 bytes each as Whoosh counts them
# (measured: a writer process peaks at 780 MB on the 10,000-document benchmark).
SEGMENT_DOCS = 1000
SEGMENT_MB = 512


def _readable(generation: Path) -> bool:
    """Whether the generation holds an index this release can open: the schema is pickled,
    and one an older release wrote may name analysers since moved or renamed."""
    try:
        return whoosh_index.exists_in(str(generation))
    except (AttributeError, ImportError, pickle.UnpicklingError) as error:
        with warnings.catch_warnings():
            # Whoosh leaves the file it failed to read open: released here, quietly.
            warnings.simplefilter("ignore", ResourceWarning)
            traceback.clear_frames(error.__traceback__)
        return False


@dataclass(frozen=True)
class IndexState:
    """The generation in service (a rebuild starts a new one), its commit counter (each
    update adds one), when it was built and when it last changed (UTC)."""

    generation: int
    commit: int
    built_at: dt.datetime
    updated_at: dt.datetime


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)


class IndexStore:
    """The index folder of one instance."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._index: Index | None = None
        self._generation: str | None = None
        self._snapshot: Snapshot | None = None
        self._lock = threading.Lock()
        # Set by a server: called in a background thread on each snapshot as it opens (the
        # first one and those after each change), so that searches never pay for loading.
        self.warmer: Callable[[Snapshot], None] | None = None
        self.warming: threading.Thread | None = None
        self._generations_lock: FileLock | None = None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the instance's generations lock (re-entrant in this process): another
        process that builds, swaps or prunes generations waits for it."""
        if self._generations_lock is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._generations_lock = FileLock(self.folder / LOCK_FILE)
        with self._generations_lock:
            yield

    @property
    def current_link(self) -> Path:
        return self.folder / "current"

    def _current_generation(self) -> Path | None:
        link = self.current_link
        return self.folder / os.readlink(link) if link.is_symlink() else None

    def exists(self) -> bool:
        generation = self._current_generation()
        return generation is not None and _readable(generation)

    def state(self) -> IndexState | None:
        """Which generation is in service, when it was built and last committed to; None
        without an index."""
        generation = self._current_generation()
        if generation is None or not _readable(generation):
            return None
        tocs = list(generation.glob("*.toc"))
        return IndexState(
            generation=int(generation.name[4:]),
            commit=max((int(t.stem.rpartition("_")[2]) for t in tocs), default=0),
            built_at=_mtime(generation / VERSION_FILE),
            updated_at=max(map(_mtime, tocs), default=_mtime(generation)),
        )

    def needs_rebuild(self) -> bool:
        """True when there is no index or it was built with another schema or analysis."""
        generation = self._current_generation()
        if generation is None:
            return True
        try:
            versions = json.loads((generation / VERSION_FILE).read_text())
        except (OSError, ValueError):
            return True
        # Versions first: an older release's schema may name classes since moved, which
        # Whoosh could not unpickle.
        if versions != {"schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION}:
            return True
        return not _readable(generation)

    def open(self) -> Index:
        """The current generation, reopened when a rebuild swapped in a new one."""
        generation = self._current_generation()
        if generation is None:
            with self.locked():  # another process may be making the first one
                generation = self._current_generation()
                if generation is None:
                    generation = self._new_generation()
                    self._swap_to(generation)
        if self._index is None or self._generation != generation.name:
            self._index = whoosh_index.open_dir(str(generation))
            self._generation = generation.name
        return self._index

    def snapshot(self) -> Snapshot:
        """The newest committed version of the index, reopened after any change."""
        with self._lock:
            index = self.open()
            key = (self._generation, index.latest_generation())
            if self._snapshot is None or self._snapshot.key != key:
                self._snapshot = Snapshot(index, key)
                if self.warmer is not None:
                    self.warming = threading.Thread(target=self.warmer, args=(self._snapshot,),
                                                    name="kb-warm", daemon=True)
                    self.warming.start()
            return self._snapshot

    def _new_generation(self) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        numbers = [int(p.name[4:]) for p in self.folder.glob("gen-*") if p.name[4:].isdigit()]
        generation = self.folder / f"gen-{max(numbers, default=0) + 1:04d}"
        generation.mkdir()
        whoosh_index.create_in(str(generation), schema())
        (generation / VERSION_FILE).write_text(
            json.dumps({"schema": SCHEMA_VERSION, "analysis": ANALYSIS_VERSION})
        )
        return generation

    def _swap_to(self, generation: Path) -> None:
        temporary = self.folder / f".current-{os.getpid()}"
        if temporary.is_symlink():
            temporary.unlink()
        os.symlink(generation.name, temporary)
        os.replace(temporary, self.current_link)  # atomic on POSIX

    @contextmanager
    def writer(self) -> Iterator[IndexWriter]:
        """A writer on the current generation, waiting up to `WRITER_TIMEOUT_S` for another
        writer's lock (Whoosh retries every 0.1 s, then raises `LockError`)."""
        writer = self.open().writer(timeout=WRITER_TIMEOUT_S)
        try:
            yield writer
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def update_documents(self, documents: Iterable[IndexedDocument]) -> int:
        count = 0
        with self.writer() as writer:
            for document in documents:
                writer.update_document(**to_fields(document))
                count += 1
        return count

    def remove_documents(self, ids: Iterable[str]) -> None:
        with self.writer() as writer:
            for doc_id in ids:
                writer.delete_by_term("id", doc_id)

    def indexed_ids(self) -> set[str]:
        return set(self.indexed_stamps())

    def indexed_stamps(self) -> dict[str, str]:
        """Each indexed document's id and the database stamp it was indexed with."""
        with self.open().searcher() as searcher:
            return {f["id"]: f.get("stamp", "") for f in searcher.all_stored_fields()}

    def rebuild(self, documents: Iterable[IndexedDocument], procs: int = 1,
                segment_docs: int = SEGMENT_DOCS) -> int:
        """Build a complete new generation beside the current one, then swap it in.

        Each process writes segments of `segment_docs` documents, committed without
        merging: a segment's postings are sorted in memory, never spilled to disk and merged
        back, which is what makes one big Whoosh commit slow on a large base (10,000
        documents: 166 s in one commit, 71 s in segments, both with 2 processes). The
        generations lock is held throughout: a second rebuild waits for this one."""
        with self.locked():
            return self._rebuild(documents, procs, segment_docs)

    def _rebuild(self, documents: Iterable[IndexedDocument], procs: int,
                 segment_docs: int) -> int:
        generation = self._new_generation()
        index = whoosh_index.open_dir(str(generation))
        options = {"procs": procs, "limitmb": SEGMENT_MB, "multisegment": True} \
            if procs > 1 else {"limitmb": SEGMENT_MB}
        count = 0
        try:
            for batch in chunked(documents, segment_docs * max(procs, 1)):
                writer = index.writer(**options)
                try:
                    for document in batch:
                        writer.add_document(**to_fields(document))
                except BaseException:
                    writer.cancel()
                    raise
                writer.commit(merge=False)
                count += len(batch)
        except BaseException:
            shutil.rmtree(generation, ignore_errors=True)
            raise
        previous = self._current_generation()
        self._swap_to(generation)
        self._prune(keep={generation.name, previous.name if previous else ""})
        return count

    def _prune(self, keep: set[str]) -> None:
        # The previous generation stays: searchers opened on it may still be reading.
        for old in self.folder.glob("gen-*"):
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)
