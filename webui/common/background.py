"""Work the web app does after answering: tagging uploads without making anyone wait.

spaCy's first load costs seconds, so no request may wait for it; one worker thread per app
runs such jobs in order. `shutdown()` waits for them (tests and orderly exits)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

log = logging.getLogger(__name__)


def _log_failure(future: Future[Any]) -> None:
    """Jobs record their own outcome; an error that escapes one is at least logged."""
    if not future.cancelled() and (error := future.exception()) is not None:
        log.error("background job failed", exc_info=error)


class BackgroundTasks:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-tasks")

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        future = self._executor.submit(job, *args)
        future.add_done_callback(_log_failure)
        return future

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
