"""Reading files in a separate process, with a time limit per file.

A hostile or pathological file (a PDF whose content streams make the parser loop, a
document that exhausts memory or crashes a C extension) must not stall or kill a whole
batch: the reader process is stopped, the file is reported as failed with the reason, and
the next file is read by a fresh process.

Public surface: `IsolatedReader(timeout_s)` with `read(data, name, media_type, limits)` and
`close()`; `shared_reader(timeout_s)` gives the one reader of this process.
"""

from __future__ import annotations

import atexit
import importlib
import os
import socket
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection

from ingest.limits import DEFAULT_LIMITS, Limits
from ingest.model import ExtractedDocument, ReadError
from ingest.registry import READERS, read_bytes

START_TIMEOUT_S = 120.0  # importing the readers
# A file whose reading would take this much more memory than the started reader fails with
# MemoryError, in the reader process, instead of pushing the server into swap or the
# kernel's OOM killer.
MEMORY_HEADROOM_BYTES = 3 * 1024**3


def _serve(connection: Connection) -> None:
    """The reader process: read each file sent, answer with the document or the error.
    Every reader is imported first, so that the time limit counts reading only."""
    for module in sorted(set(READERS.values())):
        importlib.import_module(module)
    _limit_memory()
    threading.Thread(target=_exit_when_orphaned, args=(os.getppid(),), daemon=True).start()
    connection.send(("ready", None))
    while True:
        try:
            data, name, media_type, limits = connection.recv()
        except (EOFError, OSError):
            return
        try:
            connection.send(("ok", read_bytes(data, name, media_type, limits)))
        except ReadError as exc:
            connection.send(("error", exc.reason))
        except Exception as exc:  # noqa: BLE001 - a reader bug becomes this file's error
            connection.send(("error", f"erreur du lecteur ({type(exc).__name__} : {exc})"))


def _limit_memory() -> None:
    """Cap this process's address space at its size once started plus the headroom."""
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        limit = size + MEMORY_HEADROOM_BYTES
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, OSError, ValueError):
        pass  # not on this system: the time limit still applies


def _exit_when_orphaned(parent: int) -> None:
    """Stop this reader, even in the middle of a file, once the program that started it is
    gone (killed while a pathological file was being read)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


class IsolatedReader:
    """One reader process, started on first use and replaced after a timeout or a crash.
    Reads are serialised: threads of one process share it."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._connection: Connection | None = None

    def read(self, data: bytes, name: str, media_type: str | None = None,
             limits: Limits = DEFAULT_LIMITS) -> ExtractedDocument:
        """What `read_bytes` gives, or `ReadError` naming the file when reading fails,
        outlasts the time limit or kills the reader."""
        with self._lock:
            connection = self._started(name)
            try:
                connection.send((data, name, media_type, limits))
                answered = connection.poll(self.timeout_s)
                status, payload = connection.recv() if answered else ("timeout", None)
            except (EOFError, OSError):
                status, payload = "crash", None
            if status in ("timeout", "crash"):
                self._stop()
        if status == "ok":
            return payload  # type: ignore[no-any-return]
        if status == "timeout":
            raise ReadError(f"lecture interrompue au bout de {self.timeout_s:g} s (fichier "
                            "trop complexe ou hostile)", name)
        if status == "crash":
            raise ReadError("le lecteur s'est arrêté sur ce fichier (fichier hostile ?)", name)
        raise ReadError(str(payload), name)

    def _started(self, name: str) -> Connection:
        if self._connection is not None and self._process is not None \
                and self._process.poll() is None:
            return self._connection
        self._stop()
        # A fresh interpreter running this module, whatever the calling program is (a
        # threaded web server, a script): it shares nothing but a socket with this one.
        mine, theirs = socket.socketpair()
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p),
                       "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
        process = subprocess.Popen(
            [sys.executable, "-m", "ingest.isolation", str(theirs.fileno())],
            pass_fds=[theirs.fileno()], env=environment, stdin=subprocess.DEVNULL)
        theirs.close()
        connection = Connection(mine.detach())
        self._process, self._connection = process, connection
        try:  # the reader says « ready » once its modules are imported
            ready = connection.poll(START_TIMEOUT_S) and connection.recv()
        except (EOFError, OSError):
            ready = None
        if not ready:
            self._stop()
            raise ReadError("le processus de lecture n'a pas démarré", name)
        return connection

    def _stop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            if self._process.poll() is None:
                self._process.kill()
            self._process.wait()
        self._process, self._connection = None, None

    def close(self) -> None:
        with self._lock:
            self._stop()


_shared: dict[float, IsolatedReader] = {}
_shared_lock = threading.Lock()


def shared_reader(timeout_s: float) -> IsolatedReader:
    """The reader process of this process for a given time limit, stopped at exit."""
    with _shared_lock:
        reader = _shared.get(timeout_s)
        if reader is None:
            reader = _shared[timeout_s] = IsolatedReader(timeout_s)
        return reader


@atexit.register
def _close_all() -> None:
    for reader in list(_shared.values()):
        reader.close()


if __name__ == "__main__":
    _serve(Connection(int(sys.argv[1])))
