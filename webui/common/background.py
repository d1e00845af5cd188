"""Work the web app does after answering: tagging uploads without making anyone wait.

spaCy's first load costs seconds, so no request may wait for it; one worker thread per app
runs such jobs in order. `shutdown()` waits for them (tests and orderly exits)."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class BackgroundTasks:
    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kb-tasks")

    def submit(self, job: Callable[..., Any], *args: Any) -> Future[Any]:
        return self._executor.submit(job, *args)

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)
