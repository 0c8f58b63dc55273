"""The in-process scheduler of `sbu serve`: polls due sources on a background thread.

Each due source is claimed before it is polled (see :func:`sbu.listening.polling.claim_source`),
so several `sbu serve` replicas can run a scheduler each without polling a source twice, and one
source that fails in an unexpected way is logged and skipped: the others are still polled.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from sbu.listening.polling import claim_source, due_sources, poll_source

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)


class Scheduler:
    """Checks every ``tick`` seconds which sources are due and polls them one after another."""

    def __init__(self, app: App, tick_seconds: float | None = None) -> None:
        self.app = app
        self.tick = tick_seconds or app.settings.scheduler.tick_seconds
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sbu-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def run_once(self) -> int:
        """Poll every due source once; return how many were polled."""
        polled = 0
        for source_id in due_sources(self.app, self.app.clock.now()):
            if self._stop.is_set():
                break
            if not claim_source(self.app, source_id, self.app.clock.now()):
                continue  # another scheduler is polling it
            try:
                outcome = poll_source(self.app, source_id)
            except Exception:
                log.exception("Polling source %s failed; the other sources go on.", source_id)
                continue
            polled += 1
            if not outcome.ok:
                log.warning("Polling %s failed: %s", outcome.source_name, outcome.error)
        return polled

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:
                log.exception("The scheduler tick failed; it will try again.")
            self._stop.wait(self.tick)
