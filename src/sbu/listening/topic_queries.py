"""Read models of topics, for the pages, the API and the command line.

- :func:`list_topics`, :func:`topic_row`, :func:`find_topic`: topics with their department,
  number of matched mentions and latest re-match job;
- :func:`topic_versions`, :func:`topic_version`, :func:`version_diff`: the version history and
  a field-by-field diff of two versions (with a line diff of the query, the description and the
  examples);
- :func:`latest_rematch`, :func:`rematch_jobs`: re-match progress (``done`` of ``total``);
- :func:`mention_topics`, :func:`topic_mention_ids`, :func:`match_counts`: which topics a
  mention matches, and the mentions of a topic.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound
from sbu.core.text import fold
from sbu.db.sql import in_list
from sbu.listening.topic_models import RematchJob, Topic, TopicMatch, TopicVersion
from sbu.org.models import Department


@dataclass(frozen=True, slots=True)
class RematchRow:
    id: int
    topic_id: int
    topic_version: int
    #: queued, running, done, failed or cancelled.
    status: str
    total: int
    done: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None

    @property
    def percent(self) -> int:
        """How far it got, 0 to 100 (100 when done)."""
        if self.status == "done" or self.total <= 0:
            return 100 if self.status == "done" else 0
        return min(100, self.done * 100 // self.total)


@dataclass(frozen=True, slots=True)
class TopicRow:
    topic: Topic
    department_name: str
    #: Mentions recorded as matching the topic.
    matches: int
    rematch: RematchRow | None


@dataclass(frozen=True, slots=True)
class VersionRow:
    topic_id: int
    version: int
    #: created, edited, activated or deactivated.
    change: str
    name: str
    description: str
    query: str
    subject_kind: str
    subject_name: str
    department_id: int
    department_name: str
    active: bool
    examples: list[dict[str, Any]]
    #: The actor as the audit log writes it (user:ana@example.com, cli:root).
    author: str
    author_member_id: int | None
    #: The member's name, or the command line user.
    author_name: str
    created_at: datetime
    note: str | None


@dataclass(frozen=True, slots=True)
class DiffLine:
    #: " " (in both), "-" (only in the older version) or "+" (only in the newer one).
    op: str
    text: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any
    after: Any
    #: For the query, the description and the examples: the line diff.
    lines: list[DiffLine] | None = None


@dataclass(frozen=True, slots=True)
class TopicDiff:
    topic_id: int
    old: VersionRow
    new: VersionRow
    #: Only the fields that differ, in a stable order.
    changes: list[FieldChange]


@dataclass(frozen=True, slots=True)
class TopicRef:
    id: int
    name: str


# -- topics ----------------------------------------------------------------------------------


def find_topic(session: Session, name_or_id: str | int) -> Topic:
    """A topic by id or by name (case-insensitive); NotFound otherwise."""
    if isinstance(name_or_id, int) or str(name_or_id).strip().isdigit():
        found = session.get(Topic, int(name_or_id))
        if found is not None:
            return found
    found = session.execute(
        select(Topic).where(func.lower(Topic.name) == str(name_or_id).strip().lower())
    ).scalar_one_or_none()
    if found is None:
        msg = (
            f"There is no topic {name_or_id!r}: `sbu topics list` or Listening → Topics shows them."
        )
        raise NotFound(msg)
    return found


def list_topics(
    session: Session,
    *,
    active: bool | None = None,
    department_id: int | None = None,
    subject_kind: str | None = None,
    q: str | None = None,
) -> list[TopicRow]:
    """Topics by name; ``q`` looks in the name, the subject and the query (case- and
    accent-insensitive for the name and subject)."""
    statement = select(Topic, Department.name).join(
        Department, Department.id == Topic.department_id
    )
    if active is not None:
        statement = statement.where(Topic.active.is_(active))
    if department_id is not None:
        statement = statement.where(Topic.department_id == department_id)
    if subject_kind is not None:
        statement = statement.where(Topic.subject_kind == subject_kind)
    rows: list[tuple[Topic, str]] = [
        (topic, department)
        for topic, department in session.execute(
            statement.order_by(func.lower(Topic.name), Topic.id)
        )
    ]
    if q and q.strip():
        needle = fold(q.strip())
        rows = [
            (topic, department) for topic, department in rows
            if needle in fold(topic.name) or needle in fold(topic.subject_name)
            or needle in fold(topic.query)
        ]  # fmt: skip
    ids = [topic.id for topic, _ in rows]
    counts = match_counts(session, ids)
    jobs = _latest_jobs(session, ids)
    return [
        TopicRow(topic, department, counts.get(topic.id, 0), jobs.get(topic.id))
        for topic, department in rows
    ]


def topic_row(session: Session, topic_id: int) -> TopicRow:
    found = session.execute(
        select(Topic, Department.name)
        .join(Department, Department.id == Topic.department_id)
        .where(Topic.id == topic_id)
    ).first()
    if found is None:
        msg = f"There is no topic {topic_id}: list them with GET /api/v1/topics."
        raise NotFound(msg)
    topic, department = found
    return TopicRow(
        topic, department, match_counts(session, [topic.id]).get(topic.id, 0),
        latest_rematch(session, topic.id),
    )  # fmt: skip


def match_counts(session: Session, topic_ids: Sequence[int]) -> dict[int, int]:
    """Mentions recorded as matching each topic."""
    if not topic_ids:
        return {}
    rows = session.execute(
        select(TopicMatch.topic_id, func.count())
        .where(in_list(session, TopicMatch.topic_id, list(topic_ids)))
        .group_by(TopicMatch.topic_id)
    )
    return {topic_id: int(count) for topic_id, count in rows}


# -- versions --------------------------------------------------------------------------------


def _version_rows(session: Session, topic_id: int, version: int | None) -> list[VersionRow]:
    statement = (
        select(TopicVersion, Department.name)
        .join(Department, Department.id == TopicVersion.department_id)
        .where(TopicVersion.topic_id == topic_id)
    )
    if version is not None:
        statement = statement.where(TopicVersion.version == version)
    rows = session.execute(statement.order_by(TopicVersion.version.desc()))
    return [
        VersionRow(
            v.topic_id,
            v.version,
            v.change,
            v.name,
            v.description,
            v.query,
            v.subject_kind,
            v.subject_name,
            v.department_id,
            department,
            v.active,
            list(v.examples),
            v.author,
            v.author_member_id,
            v.author_name,
            v.created_at,
            v.note,
        )
        for v, department in rows
    ]


def topic_versions(session: Session, topic_id: int) -> list[VersionRow]:
    """Every version of a topic, newest first; NotFound for an unknown topic."""
    rows = _version_rows(session, topic_id, None)
    if not rows:
        msg = f"There is no topic {topic_id}: list them with GET /api/v1/topics."
        raise NotFound(msg)
    return rows


def topic_version(session: Session, topic_id: int, version: int) -> VersionRow:
    rows = _version_rows(session, topic_id, version)
    if not rows:
        msg = f"The topic {topic_id} has no version {version}: its history lists the versions."
        raise NotFound(msg)
    return rows[0]


#: The fields a diff compares, in the order it shows them.
DIFF_FIELDS = (
    "name", "active", "subject_kind", "subject_name", "department", "query", "description",
    "examples",
)  # fmt: skip
LINE_FIELDS = frozenset({"query", "description", "examples"})


def version_diff(session: Session, topic_id: int, a: int, b: int) -> TopicDiff:
    """What changed from version ``a`` to version ``b`` (given in any order: the older one is
    shown as before)."""
    first, second = sorted((a, b))
    old, new = topic_version(session, topic_id, first), topic_version(session, topic_id, second)
    changes: list[FieldChange] = []
    for name in DIFF_FIELDS:
        before, after = _field(old, name), _field(new, name)
        if before == after:
            continue
        lines = None
        if name in LINE_FIELDS:
            lines = line_diff(_as_text(name, before), _as_text(name, after))
        changes.append(FieldChange(name, before, after, lines))
    return TopicDiff(topic_id, old, new, changes)


def _field(version: VersionRow, name: str) -> Any:
    if name == "department":
        return version.department_name
    return getattr(version, name)


def _as_text(name: str, value: Any) -> str:
    if name == "examples":
        return "\n".join(orjson.dumps(e, option=orjson.OPT_SORT_KEYS).decode() for e in value)
    return str(value)


def line_diff(before: str, after: str) -> list[DiffLine]:
    """Every line of both texts, marked kept (" "), removed ("-") or added ("+")."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            lines.extend(DiffLine(" ", text) for text in old[i1:i2])
            continue
        lines.extend(DiffLine("-", text) for text in old[i1:i2])
        lines.extend(DiffLine("+", text) for text in new[j1:j2])
    return lines


# -- re-matching -----------------------------------------------------------------------------


def _rematch_row(job: RematchJob) -> RematchRow:
    return RematchRow(
        job.id, job.topic_id, job.topic_version, job.status, job.total, job.done, job.created_at,
        job.started_at, job.finished_at, job.error,
    )  # fmt: skip


def latest_rematch(session: Session, topic_id: int) -> RematchRow | None:
    """The topic's newest re-match job (queued, running or finished), or None."""
    job = session.execute(
        select(RematchJob)
        .where(RematchJob.topic_id == topic_id)
        .order_by(RematchJob.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return _rematch_row(job) if job is not None else None


def rematch_jobs(session: Session, topic_id: int, limit: int = 20) -> list[RematchRow]:
    """The topic's re-match jobs, newest first."""
    jobs = session.execute(
        select(RematchJob)
        .where(RematchJob.topic_id == topic_id)
        .order_by(RematchJob.id.desc())
        .limit(limit)
    ).scalars()
    return [_rematch_row(job) for job in jobs]


def _latest_jobs(session: Session, topic_ids: Sequence[int]) -> dict[int, RematchRow]:
    if not topic_ids:
        return {}
    newest = (
        select(func.max(RematchJob.id))
        .where(in_list(session, RematchJob.topic_id, list(topic_ids)))
        .group_by(RematchJob.topic_id)
    )
    jobs = session.execute(select(RematchJob).where(RematchJob.id.in_(newest))).scalars()
    return {job.topic_id: _rematch_row(job) for job in jobs}


# -- matches ---------------------------------------------------------------------------------


def mention_topics(session: Session, mention_ids: Sequence[int]) -> dict[int, list[TopicRef]]:
    """The topics each mention matches, by topic name (mentions without any are left out)."""
    if not mention_ids:
        return {}
    rows = session.execute(
        select(TopicMatch.mention_id, Topic.id, Topic.name)
        .join(Topic, Topic.id == TopicMatch.topic_id)
        .where(in_list(session, TopicMatch.mention_id, list(mention_ids)))
        .order_by(func.lower(Topic.name))
    )
    found: dict[int, list[TopicRef]] = {}
    for mention_id, topic_id, name in rows:
        found.setdefault(mention_id, []).append(TopicRef(topic_id, name))
    return found


def topic_mention_ids(
    session: Session, topic_id: int, *, limit: int = 50, before_id: int | None = None
) -> list[int]:
    """Ids of the mentions matching a topic, newest id first (``before_id`` pages on)."""
    statement = select(TopicMatch.mention_id).where(TopicMatch.topic_id == topic_id)
    if before_id is not None:
        statement = statement.where(TopicMatch.mention_id < before_id)
    return list(
        session.execute(statement.order_by(TopicMatch.mention_id.desc()).limit(limit)).scalars()
    )
