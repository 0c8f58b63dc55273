"""The ``topic_match`` stage: which active topics each new mention matches.

All active topics are compiled once into one matcher (:func:`sbu.listening.query.matcher.
compile_topics`), keyed by ``(topic id, topic version)``, and compiled again when the topics
change: the stage compares :func:`topics_signature` (the number of topics and the sum of their
versions, which grows with every change) before each batch, and again inside the transaction
that stores the batch, so no batch is stored with a stale set of topics.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sbu.db.base import table_of
from sbu.db.bulk import insert_rows
from sbu.db.engine import Database
from sbu.enrichment.items import MentionItem
from sbu.listening.query import Node, check
from sbu.listening.query.matcher import Matcher, compile_topics
from sbu.listening.topic_models import Topic, TopicMatch

log = logging.getLogger(__name__)

NAME = "topic_match"
#: A topic match: (topic id, topic version).
TopicKey = tuple[int, int]
MATCH_COLUMNS = ("mention_id", "topic_id", "topic_version", "matched_at")


def topics_signature(session: Session) -> tuple[int, int]:
    """Changes whenever a topic is created or changed (versions only grow)."""
    count, versions = session.execute(
        select(func.count(), func.coalesce(func.sum(Topic.version), 0)).select_from(Topic)
    ).one()
    return int(count), int(versions)


def compile_active(session: Session) -> Matcher[TopicKey]:
    """One matcher for every active topic; a stored query that no longer parses is skipped."""
    rows = session.execute(
        select(Topic.id, Topic.version, Topic.name, Topic.query)
        .where(Topic.active)
        .order_by(Topic.id)
    )
    compiled: list[tuple[TopicKey, Node]] = []
    for topic_id, version, name, query in rows:
        node = check(query).node
        if node is None:
            log.warning("The query of topic %r no longer parses; it is not matched until fixed.",
                        name)  # fmt: skip
            continue
        compiled.append(((topic_id, version), node))
    return compile_topics(compiled)


def store_matches(session: Session, rows: Sequence[tuple[int, int, int, datetime]]) -> None:
    """Insert (mention id, topic id, topic version, matched at) rows; existing pairs stay."""
    insert_rows(
        session, table_of(TopicMatch), MATCH_COLUMNS, rows,
        ignore_conflicts_on=("mention_id", "topic_id"),
    )  # fmt: skip


class TopicMatchStage:
    """Records a :class:`~sbu.listening.topic_models.TopicMatch` per matching active topic."""

    name = NAME
    version = 1

    def __init__(self) -> None:
        self._signature: tuple[int, int] | None = None
        self._matcher: Matcher[TopicKey] = compile_topics([])

    def prepare(self, db: Database) -> None:
        with db.session() as session:
            signature = topics_signature(session)  # read first: the topics are at least as new
            if signature == self._signature:
                return
            matcher = compile_active(session)
        self._matcher, self._signature = matcher, signature

    def process(self, items: Sequence[MentionItem]) -> list[list[TopicKey]]:
        return self._matcher.match([item.match_post() for item in items])

    def is_current(self, session: Session) -> bool:
        return topics_signature(session) == self._signature

    def store(
        self, session: Session, results: Sequence[tuple[MentionItem, list[TopicKey]]],
        now: datetime,
    ) -> None:  # fmt: skip
        store_matches(
            session,
            [(item.id, topic_id, version, now) for item, keys in results
             for topic_id, version in keys],
        )  # fmt: skip
