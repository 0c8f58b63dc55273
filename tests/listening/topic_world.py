"""Helpers of the topic tests: a department to own topics, topics, posts and the stored state."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.enrichment.models import EnrichmentCursor
from sbu.listening.topic_models import RematchJob, Topic, TopicMatch, TopicVersion
from sbu.listening.topics import create_topic
from sbu.org.services import create_department
from tests.web.posts import make_source, post

CLI = Actor("cli", "root")
PANNE_EXAMPLES = [
    {"text": "Grosse panne chez Ondine à Nantes", "expect": "match"},
    {"text": "Ondine recrute des techniciens", "expect": "no_match", "note": "jobs"},
]


def department(app: App, name: str = "Service client", kind: str = "care") -> int:
    return create_department(app.db, app.clock, CLI, name=name, kind=kind).id


def topic(app: App, department_id: int, **fields: Any) -> Topic:
    values: dict[str, Any] = {
        "name": "Pannes", "query": "ondine AND (panne OR coupure)", "subject_kind": "theme",
        "subject_name": "Pannes réseau", "department_id": department_id,
        "examples": PANNE_EXAMPLES,
    }  # fmt: skip
    values.update(fields)
    actor = values.pop("actor", CLI)
    return create_topic(app.db, app.clock, actor, **values)


def ingest(app: App, *texts: str, source_id: int | None = None, start: int = 1) -> list[int]:
    """Store one post per text (external ids from ``start``); the new mention ids, in order."""
    source = source_id if source_id is not None else make_source(app, f"src-{start}")
    items = [
        post(str(start + i), text, minutes_ago=1000 - start - i) for i, text in enumerate(texts)
    ]
    batch = app.ingest.ingest(source, items)
    return sorted(m.id for m in batch.stored)


def matches_of(app: App) -> set[tuple[int, int]]:
    """Every recorded (mention id, topic id)."""
    with app.db.session() as session:
        return {
            (m, t) for m, t in session.execute(select(TopicMatch.mention_id, TopicMatch.topic_id))
        }


def match_versions(app: App, topic_id: int) -> dict[int, int]:
    with app.db.session() as session:
        rows = session.execute(
            select(TopicMatch.mention_id, TopicMatch.topic_version).where(
                TopicMatch.topic_id == topic_id
            )
        )
        return dict(rows.all())


def jobs(app: App, topic_id: int | None = None) -> list[RematchJob]:
    with app.db.session() as session:
        statement = select(RematchJob).order_by(RematchJob.id)
        if topic_id is not None:
            statement = statement.where(RematchJob.topic_id == topic_id)
        return list(session.execute(statement).scalars())


def versions(app: App, topic_id: int) -> list[TopicVersion]:
    with app.db.session() as session:
        return list(
            session.execute(
                select(TopicVersion)
                .where(TopicVersion.topic_id == topic_id)
                .order_by(TopicVersion.version)
            ).scalars()
        )


def events(app: App, prefix: str = "topic.") -> list[AuditEvent]:
    with app.db.session() as session:
        return list(
            session.execute(
                select(AuditEvent)
                .where(AuditEvent.action.startswith(prefix))
                .order_by(AuditEvent.id)
            ).scalars()
        )


def cursor(app: App, stage: str = "topic_match") -> EnrichmentCursor | None:
    with app.db.session() as session:
        return session.get(EnrichmentCursor, stage)


def count(app: App, model: type) -> int:
    with app.db.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())
