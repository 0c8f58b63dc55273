"""Re-matching history: rewriting one topic's matches after its query changed.

When a topic is created, its query changes or it is re-activated, the topic service calls
:func:`enqueue_rematch` in its own transaction. The job covers the mentions the ``topic_match``
stage had already processed (up to its cursor, read under the cursor's lock, so a batch the
stage computed with the old query is either covered by the job or refused and computed again);
newer mentions are matched by the stage with the new query.

:class:`Rematcher` runs jobs chunk by chunk (``SBU_ENRICHMENT__REMATCH_CHUNK`` mentions, by id):
it evaluates the job's version of the query on each chunk, deletes the topic's matches of those
mentions, inserts the new ones and saves the job's progress (``done``/``total``) in one
transaction. A newer change of the same topic cancels (supersedes) its queued or running job.
A job left running by a stopped worker is taken over after :data:`STALE_AFTER`.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from sbu.core import audit
from sbu.core.audit import SYSTEM
from sbu.core.clock import Clock
from sbu.db.engine import Database
from sbu.db.sql import in_list
from sbu.enrichment.cursors import position
from sbu.enrichment.items import count_between, load_after
from sbu.enrichment.stages.topic_match import NAME as TOPIC_STAGE
from sbu.enrichment.stages.topic_match import TopicKey, store_matches
from sbu.listening.query import check
from sbu.listening.query.matcher import Matcher, compile_topics
from sbu.listening.topic_models import RematchJob, Topic, TopicMatch, TopicVersion

log = logging.getLogger(__name__)

QUEUED, RUNNING, DONE, FAILED, CANCELLED = "queued", "running", "done", "failed", "cancelled"
STATUSES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED)
OPEN = (QUEUED, RUNNING)
#: A running job whose progress has not moved for this long is taken over by another worker.
STALE_AFTER = timedelta(minutes=5)


def lock_for_topic_change(session: Session, topic_id: int | None) -> None:
    """Take the locks a topic change may need, first thing in its transaction and always in this
    order (PostgreSQL; SQLite's writer holds the whole database): the ``topic_match`` stage's
    cursor, then the topic's open re-match jobs. The stage and the re-match chunks take them in
    the same order, so they wait for each other instead of deadlocking."""
    position(session, TOPIC_STAGE, lock=True)
    if topic_id is not None:
        session.execute(
            select(RematchJob.id)
            .where(RematchJob.topic_id == topic_id, RematchJob.status.in_(OPEN))
            .with_for_update()
        ).all()


def enqueue_rematch(session: Session, clock: Clock, topic: Topic) -> RematchJob:
    """Queue the re-matching of ``topic`` (at its current version) in the caller's transaction.

    Open jobs of the topic are cancelled as superseded. When the ``topic_match`` stage has not
    processed any mention yet, there is nothing to rewrite: the job is created done, with 0 of 0.
    """
    now = clock.now()
    session.execute(
        update(RematchJob)
        .where(RematchJob.topic_id == topic.id, RematchJob.status.in_(OPEN))
        .values(
            status=CANCELLED,
            finished_at=now,
            updated_at=now,
            error=f"Superseded by version {topic.version} of the topic.",
        )
    )
    until = position(session, TOPIC_STAGE, lock=True)
    total = count_between(session, 0, until) if until else 0
    job = RematchJob(
        topic_id=topic.id, topic_version=topic.version, status=QUEUED if total else DONE,
        total=total, done=0, until_id=until, position=0, created_at=now, updated_at=now,
        finished_at=None if total else now,
    )  # fmt: skip
    session.add(job)
    session.flush()
    return job


@dataclass(frozen=True, slots=True)
class RematchStep:
    """What one step did: the job, its progress and its status after the step."""

    job_id: int
    topic_id: int
    topic_version: int
    done: int
    total: int
    status: str


@dataclass(slots=True)
class _Running:
    job_id: int
    topic_id: int
    topic_version: int
    matcher: Matcher[TopicKey]


class Rematcher:
    """Runs re-match jobs one chunk per :meth:`step`, oldest job first."""

    def __init__(
        self, db: Database, clock: Clock, *, chunk_size: int = 5000, worker_id: str | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.chunk_size = chunk_size
        self.worker_id = worker_id or secrets.token_hex(8)
        self._current: _Running | None = None

    def step(self) -> RematchStep | None:
        """Rewrite the next chunk of the current job (claiming the next job when there is none);
        None when no job waits."""
        if self._current is None:
            self._current = self._claim()
            if self._current is None:
                return None
        try:
            step = self._chunk(self._current)
        except BaseException:
            self._current = None  # claimed again (it is ours) on the next step
            raise
        if step.status != RUNNING:
            self._current = None
        return step

    def run_all(self) -> list[RematchStep]:
        """Run every waiting job to its end; the last step of each job."""
        finished: list[RematchStep] = []
        while (step := self.step()) is not None:
            if step.status != RUNNING:
                finished.append(step)
        return finished

    # -- internals ---------------------------------------------------------------------------

    def _claim(self) -> _Running | None:
        while True:
            now = self.clock.now()
            with self.db.write_session() as session:
                job = session.execute(
                    select(RematchJob)
                    .where(
                        or_(
                            RematchJob.status == QUEUED,
                            (RematchJob.status == RUNNING)
                            & (
                                (RematchJob.worker == self.worker_id)
                                | (RematchJob.updated_at < now - STALE_AFTER)
                            ),
                        )
                    )
                    .order_by(RematchJob.id)
                    .limit(1)
                    .with_for_update(skip_locked=True)
                ).scalar_one_or_none()
                if job is None:
                    return None
                query = session.execute(
                    select(TopicVersion.query).where(
                        TopicVersion.topic_id == job.topic_id,
                        TopicVersion.version == job.topic_version,
                    )
                ).scalar_one_or_none()
                node = check(query).node if query is not None else None
                if node is None:
                    _finish(session, self.clock, job, FAILED,
                            "The query of this version of the topic cannot be read, so history "
                            "was not re-matched: save the topic again with a valid query.")  # fmt: skip
                    session.commit()
                    continue
                job.status, job.worker, job.updated_at = RUNNING, self.worker_id, now
                job.started_at = job.started_at or now
                running = _Running(job.id, job.topic_id, job.topic_version,
                                   compile_topics([((job.topic_id, job.topic_version), node)]))  # fmt: skip
                session.commit()
                return running

    def _chunk(self, running: _Running) -> RematchStep:
        with self.db.session() as session:
            job = session.get(RematchJob, running.job_id)
            assert job is not None
            items = load_after(session, job.position, self.chunk_size, until_id=job.until_id)
        matched = running.matcher.match([item.match_post() for item in items])
        now = self.clock.now()
        with self.db.write_session() as session:
            job = session.execute(
                select(RematchJob).where(RematchJob.id == running.job_id).with_for_update()
            ).scalar_one()
            if job.status != RUNNING or job.worker != self.worker_id:
                return _step(job)  # cancelled (superseded) or taken over meanwhile
            if items:
                ids = [item.id for item in items]
                session.execute(
                    delete(TopicMatch).where(
                        TopicMatch.topic_id == running.topic_id,
                        in_list(session, TopicMatch.mention_id, ids),
                    )
                )
                store_matches(
                    session,
                    [(item.id, running.topic_id, running.topic_version, now)
                     for item, keys in zip(items, matched, strict=True) if keys],
                )  # fmt: skip
                job.position = items[-1].id
                job.done += len(items)
                job.total = max(job.total, job.done)
                job.updated_at = now
            if len(items) < self.chunk_size or job.position >= job.until_id:
                _finish(session, self.clock, job, DONE, None)
            session.commit()
            return _step(job)


def _step(job: RematchJob) -> RematchStep:
    return RematchStep(job.id, job.topic_id, job.topic_version, job.done, job.total, job.status)


def _finish(
    session: Session, clock: Clock, job: RematchJob, status: str, error: str | None
) -> None:
    now = clock.now()
    job.status, job.error, job.finished_at, job.updated_at = status, error, now, now
    if status == DONE:
        job.total = job.done
    audit.record(session, clock, SYSTEM, "topic.rematched", "topic", job.topic_id,
                 after={"job_id": job.id, "version": job.topic_version, "status": status,
                        "mentions": job.done, "error": error})  # fmt: skip
