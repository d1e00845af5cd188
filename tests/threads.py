"""Work run in a background thread while a test does something else."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def repeated_meanwhile(count: Callable[[], int], pause: float = 0.0) -> Iterator[list[int]]:
    """Call `count` (a search's total, say) over and over in a thread while the block runs,
    `pause` seconds apart; yields the list of what it returned. The first error it met is
    raised after the block."""
    results: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(pause):
            try:
                results.append(count())
            except BaseException as exc:  # noqa: BLE001 - raised in the test's own thread
                errors.append(exc)
                return

    thread = threading.Thread(target=loop)
    thread.start()
    try:
        yield results
    finally:
        stop.set()
        thread.join()
    if errors:
        raise errors[0]
