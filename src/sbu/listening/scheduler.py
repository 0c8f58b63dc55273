"""The scheduler of `sbu serve` and `sbu listen`: polls due sources on background threads.

Every tick it looks for due sources (enabled, not paused, next poll time reached) and polls them
on a pool of threads, so a slow platform does not hold the others back:

- at most ``SBU_SCHEDULER__MAX_CONCURRENT_POLLS`` polls run at once in all, and at most
  ``SBU_SCHEDULER__MAX_POLLS_PER_CONNECTOR`` for one connector (one platform's rate limits are
  shared by its sources); a due source over a limit waits for a later tick;
- a source is never polled twice at once: it is *claimed* before its poll (see
  :func:`sbu.listening.polling.claim_source`), so several `sbu serve` replicas can each run a
  scheduler; within one process, sources in flight are not submitted again;
- one source that fails in an unexpected way is logged and skipped: the others go on;
- every ``SBU_ALERTS__CHECK_SECONDS`` it checks the sources' health and announces the alerts
  that changed (:mod:`sbu.listening.source_alerts`).

Sources that stream (their connector streams and their configuration says ``stream``) are not
polled: the scheduler's :class:`~sbu.listening.streaming.StreamSupervisor`, started and stopped
with it, keeps one thread per streaming source (:mod:`sbu.listening.streaming`). ``run_once``
(``sbu listen --once``) only polls.

Polls wait on the network most of the time; their database writes are short transactions (on
SQLite they take the write lock one after the other).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import TYPE_CHECKING

from sbu.listening.polling import PollOutcome, claim_source, due_polls, poll_source
from sbu.listening.source_alerts import check_alerts
from sbu.listening.streaming import StreamSupervisor

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)


class Scheduler:
    """Checks every ``tick`` seconds which sources are due and polls them concurrently."""

    def __init__(
        self, app: App, tick_seconds: float | None = None, *, keep_outcomes: bool = False
    ) -> None:
        self.app = app
        settings = app.settings.scheduler
        self.tick = tick_seconds or settings.tick_seconds
        self.max_concurrent = settings.max_concurrent_polls
        self.max_per_connector = settings.max_polls_per_connector
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        #: Source id -> connector key of the polls running now.
        self._running: dict[int, str] = {}
        self._pool: ThreadPoolExecutor | None = None
        self._last_health_check = float("-inf")
        #: With ``keep_outcomes``, the outcomes of finished polls not taken yet (see
        #: take_finished; `sbu listen` prints them).
        self.keep_outcomes = keep_outcomes
        self.finished: list[PollOutcome] = []
        #: Follows the streaming sources while the scheduler runs.
        self.streams = StreamSupervisor(app, on_outcome=self._streamed if keep_outcomes else None)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sbu-scheduler", daemon=True)
        self._thread.start()
        self.streams.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self.streams.stop(min(timeout, 2.0))
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def run_once(self, *, wait_for_polls: bool = True) -> int:
        """Start polling every due source the limits allow. With ``wait_for_polls`` (tests,
        `sbu listen --once`), wait for those polls and return how many ran to their end (a
        failed fetch counts; a poll that broke unexpectedly does not); otherwise return how
        many were started."""
        started: list[Future[bool]] = []
        for source_id, connector in due_polls(self.app, self.app.clock.now()):
            if self._stop.is_set():
                break
            with self._lock:
                if source_id in self._running or len(self._running) >= self.max_concurrent:
                    continue
                if Counter(self._running.values())[connector] >= self.max_per_connector:
                    continue
                if not claim_source(self.app, source_id, self.app.clock.now()):
                    continue  # another scheduler is polling it
                self._running[source_id] = connector
            started.append(self._executor().submit(self._poll, source_id))
        if not wait_for_polls:
            return len(started)
        wait(started)
        return sum(1 for future in started if future.result())

    def take_finished(self) -> list[PollOutcome]:
        """The outcomes of the polls finished since the last call, and of the batches and
        failures of the streams (for `sbu listen`)."""
        with self._lock:
            outcomes, self.finished = self.finished, []
        return outcomes

    @property
    def running(self) -> int:
        with self._lock:
            return len(self._running)

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.max_concurrent, thread_name_prefix="sbu-poll")
        return self._pool

    def _poll(self, source_id: int) -> bool:
        try:
            outcome = poll_source(self.app, source_id)
        except Exception:
            log.exception("Polling source %s failed; the other sources go on.", source_id)
            return False
        finally:
            with self._lock:
                self._running.pop(source_id, None)
        if self.keep_outcomes:
            with self._lock:
                self.finished.append(outcome)
        if not outcome.ok:
            log.warning("Polling %s failed: %s", outcome.source_name, outcome.error)
        return True

    def _streamed(self, outcome: PollOutcome) -> None:
        with self._lock:
            self.finished.append(outcome)

    def check_health(self) -> None:
        """Announce the sources whose alert changed (at most every SBU_ALERTS__CHECK_SECONDS)."""
        now = time.monotonic()
        if now - self._last_health_check < self.app.settings.alerts.check_seconds:
            return
        self._last_health_check = now
        check_alerts(self.app)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once(wait_for_polls=False)
                self.check_health()
            except Exception:
                log.exception("The scheduler tick failed; it will try again.")
            self._stop.wait(self.tick)
