"""The enrichment worker: a background thread of ``sbu serve`` that keeps enrichment up to date.

Each round it runs the pipeline over new mentions until every stage has caught up, then rewrites
one chunk of the oldest re-match job (new mentions always come first, so a long re-match never
delays them by more than a chunk). With nothing to do, it sleeps until a ``mention.collected``
message wakes it (subscribed through ``app.bus``, durable ``enrich``) or
``SBU_ENRICHMENT__POLL_SECONDS`` pass. The database is the source of truth: a lost message only
delays the work until the next round, and several workers (replicas) never process a mention
twice (sbu.enrichment.pipeline).

``sbu enrich run`` uses the same pieces once, in the foreground, with progress bars.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sbu.bus.base import Message
from sbu.bus.subjects import MENTION_COLLECTED
from sbu.enrichment.pipeline import Pipeline, Stage
from sbu.enrichment.rematch import Rematcher
from sbu.enrichment.stages import build_stages

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)
DURABLE = "enrich"


def build_pipeline(app: App, stages: Sequence[Stage[Any]] | None = None) -> Pipeline:
    """The pipeline of the built-in stages, with the app's settings."""
    settings = app.settings.enrichment
    return Pipeline(
        app.db,
        app.clock,
        list(stages) if stages is not None else build_stages(),
        batch_size=settings.batch_size,
    )


def build_rematcher(app: App) -> Rematcher:
    return Rematcher(app.db, app.clock, chunk_size=app.settings.enrichment.rematch_chunk)


class EnrichmentWorker:
    """Runs enrichment on a daemon thread until :meth:`stop`."""

    def __init__(
        self,
        app: App,
        *,
        pipeline: Pipeline | None = None,
        rematcher: Rematcher | None = None,
        poll_seconds: float | None = None,
    ) -> None:
        self.app = app
        self.pipeline = pipeline or build_pipeline(app)
        self.rematcher = rematcher or build_rematcher(app)
        self.poll_seconds = poll_seconds or app.settings.enrichment.poll_seconds
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        #: Rounds run since start (for tests and diagnostics).
        self.rounds = 0

    def start(self) -> None:
        """Subscribe to new mentions (when the bus can) and start the thread."""
        if self._thread is not None:
            return
        try:
            self.app.bus.subscribe(MENTION_COLLECTED, self._on_collected, DURABLE)
        except Exception:
            log.warning(
                "The enrichment worker could not subscribe to %s; it looks for new mentions "
                "every %g s instead.",
                MENTION_COLLECTED,
                self.poll_seconds,
                exc_info=True,
            )
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sbu-enrichment", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current batch or chunk (it commits) and stop."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def wake(self) -> None:
        """Look for work now instead of at the end of the wait."""
        self._wake.set()

    def run_round(self) -> bool:
        """Catch up on new mentions, then one re-match chunk; whether anything was done."""
        processed = self.pipeline.run_until_caught_up(stop=self._stop)
        if self._stop.is_set():
            return processed > 0
        step = self.rematcher.step()
        return processed > 0 or step is not None

    async def _on_collected(self, _message: Message) -> None:
        # Runs on the bus thread: only wake the worker, never block here.
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                worked = self.run_round()
            except Exception:
                log.exception("An enrichment round failed; the worker tries again shortly.")
                worked = False
            self.rounds += 1
            if worked:
                continue
            self._wake.wait(self.poll_seconds)
            self._wake.clear()
