"""Write functions of topics: create, edit, activate, deactivate, re-match.

Each one checks the actor's permission (``topics.manage``), validates (the query with the linter
of :mod:`sbu.listening.query`: a query with any problem raises
:class:`~sbu.listening.query.QueryError` carrying every problem; the topic's examples with
:mod:`sbu.listening.topic_tests`: a failing example raises
:class:`~sbu.listening.topic_tests.TopicTestsFailed` naming each one), then in one transaction
changes the topic, writes the new :class:`~sbu.listening.topic_models.TopicVersion` (with its
author, time and note), queues a re-match of history when the matches change
(:func:`sbu.enrichment.rematch.enqueue_rematch`), records an audit event and commits.

Saving runs the examples every time: creating, editing (whatever changed) and activating.
Deactivating does not (a topic can always be switched off); it stops new matches and keeps the
matches already recorded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sbu.core import audit
from sbu.core.audit import Actor
from sbu.core.clock import Clock
from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound
from sbu.db.engine import Database
from sbu.enrichment.rematch import enqueue_rematch, lock_for_topic_change
from sbu.listening.query import compile_query
from sbu.listening.topic_models import RematchJob, Topic, TopicVersion
from sbu.listening.topic_tests import check_examples, clean_examples
from sbu.org.models import Department, Member
from sbu.org.roles import Permission, allows

SUBJECT_KINDS = ("own_brand", "competitor", "partner", "supplier", "influencer", "theme")
#: Fields ``update_topic`` may change.
EDITABLE = frozenset(
    {"name", "query", "subject_kind", "subject_name", "department_id", "description", "examples"}
)
MAX_DESCRIPTION_CHARS = 2000
MAX_NOTE_CHARS = 500
MAX_SUBJECT_CHARS = 200
CREATED, EDITED, ACTIVATED, DEACTIVATED = "created", "edited", "activated", "deactivated"


def topic_snapshot(topic: Topic) -> dict[str, Any]:
    """Every field a version keeps (also what the audit log records)."""
    return {
        "name": topic.name, "description": topic.description, "query": topic.query,
        "subject_kind": topic.subject_kind, "subject_name": topic.subject_name,
        "department_id": topic.department_id, "active": topic.active, "version": topic.version,
        "examples": topic.examples,
    }  # fmt: skip


# -- validation ------------------------------------------------------------------------------


def require_manage(actor: Actor) -> None:
    """Refuse a member whose role lacks ``topics.manage`` (the command line has no role)."""
    if actor.role is not None and not allows(actor.role, Permission.TOPICS_MANAGE):
        msg = "Your role does not allow changing topics: ask an analyst, an SBU lead or an administrator."
        raise Forbidden(msg)


def clean_name(name: str) -> str:
    cleaned = " ".join(str(name).split())
    if not 1 <= len(cleaned) <= 100:
        msg = "A topic needs a name of 1 to 100 characters."
        raise InvalidInput(msg)
    return cleaned


def clean_subject(kind: str, name: str) -> tuple[str, str]:
    if kind not in SUBJECT_KINDS:
        msg = f"The subject kind {kind!r} is unknown: use one of {', '.join(SUBJECT_KINDS)}."
        raise InvalidInput(msg)
    cleaned = " ".join(str(name).split())
    if not 1 <= len(cleaned) <= MAX_SUBJECT_CHARS:
        what = "theme" if kind == "theme" else "actor"
        msg = f"Name the {what} the topic is about, in 1 to {MAX_SUBJECT_CHARS} characters."
        raise InvalidInput(msg)
    return kind, cleaned


def clean_description(description: str | None) -> str:
    cleaned = (description or "").strip()
    if len(cleaned) > MAX_DESCRIPTION_CHARS:
        msg = f"The description is longer than {MAX_DESCRIPTION_CHARS:,} characters: shorten it."
        raise InvalidInput(msg)
    return cleaned


def clean_note(note: str | None) -> str | None:
    cleaned = (note or "").strip()
    if len(cleaned) > MAX_NOTE_CHARS:
        msg = f"The change note is longer than {MAX_NOTE_CHARS} characters: shorten it."
        raise InvalidInput(msg)
    return cleaned or None


def _check_department(session: Session, department_id: int) -> None:
    if session.get(Department, department_id) is None:
        msg = f"There is no department {department_id} to own the topic: pick an existing one."
        raise InvalidInput(msg)


def _check_name_free(session: Session, name: str, topic_id: int | None) -> None:
    taken = session.execute(select(Topic.id).where(func.lower(Topic.name) == name.lower())).scalar()
    if taken is not None and taken != topic_id:
        msg = f"A topic called {name!r} already exists: choose another name or edit that one."
        raise Conflict(msg)


def _check_saves(topic: Topic) -> None:
    """The query compiles without any problem and every example passes (else raises)."""
    check_examples(compile_query(topic.query), topic.examples)


# -- write functions -------------------------------------------------------------------------


def create_topic(
    db: Database,
    clock: Clock,
    actor: Actor,
    *,
    name: str,
    query: str,
    subject_kind: str,
    subject_name: str,
    department_id: int,
    description: str | None = None,
    examples: Sequence[Mapping[str, Any]] | None = None,
    active: bool = True,
    note: str | None = None,
) -> Topic:
    """Create a topic (version 1). An active topic matches new mentions at once and queues the
    matching of the history already stored."""
    require_manage(actor)
    now = clock.now()
    kind, subject = clean_subject(subject_kind, subject_name)
    topic = Topic(
        name=clean_name(name), query=query, description=clean_description(description),
        subject_kind=kind, subject_name=subject, department_id=department_id, active=active,
        version=1, examples=clean_examples(examples), created_at=now, created_by=str(actor),
        updated_at=now, updated_by=str(actor),
    )  # fmt: skip
    note = clean_note(note)
    _check_saves(topic)
    with db.write_session() as session:
        lock_for_topic_change(session, None)
        _check_name_free(session, topic.name, None)
        _check_department(session, department_id)
        session.add(topic)
        session.flush()
        _record_version(session, clock, actor, topic, CREATED, note)
        job = enqueue_rematch(session, clock, topic) if topic.active else None
        audit.record(session, clock, actor, "topic.created", "topic", topic.id,
                     after=_audited(topic, note, job))  # fmt: skip
        session.commit()
        return topic


def update_topic(
    db: Database,
    clock: Clock,
    actor: Actor,
    topic_id: int,
    *,
    note: str | None = None,
    **fields: Any,
) -> Topic:
    """Change some of a topic's fields (name, query, subject_kind, subject_name,
    department_id, description, examples); the examples run whatever changed. A new query of an
    active topic queues the re-matching of history. Saving without any change does nothing."""
    require_manage(actor)
    unknown = set(fields) - EDITABLE
    if unknown:
        msg = f"A topic has no field {', '.join(sorted(unknown))} that can be changed."
        raise InvalidInput(msg)
    note = clean_note(note)
    with db.write_session() as session:
        topic = _topic_for_update(session, topic_id)
        before = topic_snapshot(topic)
        if "name" in fields:
            name = clean_name(fields["name"])
            _check_name_free(session, name, topic.id)  # before the change: no flush of it
            topic.name = name
        if "query" in fields:
            topic.query = str(fields["query"])
        if "subject_kind" in fields or "subject_name" in fields:
            topic.subject_kind, topic.subject_name = clean_subject(
                fields.get("subject_kind", topic.subject_kind),
                fields.get("subject_name", topic.subject_name),
            )
        if "department_id" in fields:
            _check_department(session, int(fields["department_id"]))
            topic.department_id = int(fields["department_id"])
        if "description" in fields:
            topic.description = clean_description(fields["description"])
        if "examples" in fields:
            topic.examples = clean_examples(fields["examples"])
        _check_saves(topic)
        if topic_snapshot(topic) == before:
            return topic  # nothing to save: the session closes without writing
        topic.version += 1
        topic.updated_at, topic.updated_by = clock.now(), str(actor)
        _record_version(session, clock, actor, topic, EDITED, note)
        rematch = topic.active and topic.query != before["query"]
        job = enqueue_rematch(session, clock, topic) if rematch else None
        audit.record(session, clock, actor, "topic.updated", "topic", topic.id,
                     before=before, after=_audited(topic, note, job))  # fmt: skip
        session.commit()
        return topic


def set_topic_active(
    db: Database,
    clock: Clock,
    actor: Actor,
    topic_id: int,
    active: bool,
    *,
    note: str | None = None,
) -> Topic:
    """Activate (examples run; history is re-matched) or deactivate (new mentions are no longer
    matched; recorded matches stay) a topic. Already in that state: nothing changes."""
    require_manage(actor)
    note = clean_note(note)
    with db.write_session() as session:
        topic = _topic_for_update(session, topic_id)
        if topic.active == active:
            return topic  # nothing to save: the session closes without writing
        before = topic_snapshot(topic)
        if active:
            _check_saves(topic)
        topic.active = active
        topic.version += 1
        topic.updated_at, topic.updated_by = clock.now(), str(actor)
        _record_version(session, clock, actor, topic, ACTIVATED if active else DEACTIVATED, note)
        job = enqueue_rematch(session, clock, topic) if active else None
        action = "topic.activated" if active else "topic.deactivated"
        audit.record(session, clock, actor, action, "topic", topic.id, before=before,
                     after=_audited(topic, note, job))  # fmt: skip
        session.commit()
        return topic


def request_rematch(db: Database, clock: Clock, actor: Actor, topic_id: int) -> RematchJob:
    """Queue the re-matching of an active topic's history with its current query (for example
    after matches were lost, or after a change of the matching rules of a new release)."""
    require_manage(actor)
    with db.write_session() as session:
        topic = _topic_for_update(session, topic_id)
        if not topic.active:
            msg = f"The topic {topic.name!r} is inactive: activate it (which re-matches history)."
            raise InvalidInput(msg)
        job = enqueue_rematch(session, clock, topic)
        audit.record(session, clock, actor, "topic.rematch_requested", "topic", topic.id,
                     after={"job_id": job.id, "version": topic.version, "mentions": job.total})  # fmt: skip
        session.commit()
        return job


# -- helpers ---------------------------------------------------------------------------------


def _topic_for_update(session: Session, topic_id: int) -> Topic:
    """The topic, locked for the transaction, after the locks of lock_for_topic_change (the
    order that keeps PostgreSQL free of deadlocks with the enrichment worker)."""
    lock_for_topic_change(session, topic_id)
    topic = session.execute(
        select(Topic).where(Topic.id == topic_id).with_for_update(key_share=True)
    ).scalar_one_or_none()
    if topic is None:
        msg = f"There is no topic {topic_id}: `sbu topics list` or Listening → Topics shows them."
        raise NotFound(msg)
    return topic


def _author_name(session: Session, actor: Actor) -> str:
    if actor.member_id is not None:
        member = session.get(Member, actor.member_id)
        if member is not None:
            return member.name
    return actor.name


def _record_version(
    session: Session, clock: Clock, actor: Actor, topic: Topic, change: str, note: str | None
) -> TopicVersion:
    version = TopicVersion(
        topic_id=topic.id, version=topic.version, change=change, name=topic.name,
        description=topic.description, query=topic.query, subject_kind=topic.subject_kind,
        subject_name=topic.subject_name, department_id=topic.department_id, active=topic.active,
        examples=topic.examples, author=str(actor), author_member_id=actor.member_id,
        author_name=_author_name(session, actor), created_at=clock.now(), note=note,
    )  # fmt: skip
    session.add(version)
    return version


def _audited(topic: Topic, note: str | None, job: RematchJob | None) -> dict[str, Any]:
    after = topic_snapshot(topic)
    after["note"] = note
    if job is not None:
        after["rematch_job_id"] = job.id
    return after
