"""Request and response models of the topics API (topics, versions, diffs, re-match jobs, query
checks and example runs). Builders turn the read models of sbu.listening.topic_queries into
these."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from sbu.listening.query import QueryProblem
from sbu.listening.topic_queries import RematchRow, TopicDiff, TopicRow, VersionRow
from sbu.listening.topic_tests import ExampleResult

SubjectKind = Literal["own_brand", "competitor", "partner", "supplier", "influencer", "theme"]
Expect = Literal["match", "no_match"]
RematchStatus = Literal["queued", "running", "done", "failed", "cancelled"]
Change = Literal["created", "edited", "activated", "deactivated"]
MAX_QUERY_CHARS = 4096


class Strict(BaseModel):
    """Request bodies refuse unknown fields (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class ExampleIn(Strict):
    text: str = Field(min_length=1, max_length=10_000, description="The post to try.")
    expect: Expect = Field(description="match: the query must find it; no_match: it must not.")
    title: str | None = Field(default=None, max_length=1000)
    lang: str | None = Field(default=None, max_length=16, description="For lang: (fr, en...).")
    platform: str | None = Field(default=None, max_length=32, description="For platform:.")
    author: str | None = Field(default=None, max_length=255, description="For author:.")
    url: str | None = Field(default=None, max_length=2048, description="For site:.")
    note: str | None = Field(default=None, max_length=500, description="Why it is there.")


class ExampleOut(BaseModel):
    text: str
    expect: Expect
    title: str | None = None
    lang: str | None = None
    platform: str | None = None
    author: str | None = None
    url: str | None = None
    note: str | None = None


class ProblemOut(BaseModel):
    code: str = Field(description="Stable code of the problem, e.g. unclosed_paren.")
    message: str = Field(description="What is wrong, in one sentence.")
    hint: str = Field(description="What to do about it.")
    start: int = Field(description="Offset of the first character concerned, from 0.")
    end: int = Field(description="Offset after the last character concerned.")


class ExampleResultOut(BaseModel):
    index: int = Field(description="Position of the example in the list, from 0.")
    text: str
    expect: Expect
    matched: bool = Field(description="Whether the query matches the example.")
    passed: bool
    reason: str | None = Field(description="Why it fails; null when it passes.")
    note: str | None


class RematchOut(BaseModel):
    id: int
    topic_id: int
    topic_version: int = Field(description="The version of the query it matches with.")
    status: RematchStatus
    total: int = Field(description="Mentions to re-match.")
    done: int = Field(description="Mentions re-matched so far.")
    percent: int = Field(description="0 to 100.")
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str | None = Field(description="Why it failed or was cancelled.")


class TopicOut(BaseModel):
    id: int
    name: str
    description: str
    query: str
    subject_kind: SubjectKind
    subject_name: str = Field(description="The actor's or theme's name.")
    department_id: int = Field(description="The department that owns the topic.")
    department_name: str
    active: bool
    version: int = Field(description="The current version (1 for a new topic).")
    examples: list[ExampleOut] = Field(description="The topic's tests.")
    matches: int = Field(description="Mentions recorded as matching the topic.")
    rematch: RematchOut | None = Field(description="The newest re-match job, if any.")
    created_at: datetime
    created_by: str
    updated_at: datetime
    updated_by: str


class TopicFields(Strict):
    description: str | None = Field(default=None, max_length=2000)
    examples: list[ExampleIn] | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=500, description="Why this change.")


class TopicIn(TopicFields):
    name: str = Field(max_length=100)
    query: str = Field(max_length=MAX_QUERY_CHARS)
    subject_kind: SubjectKind
    subject_name: str = Field(max_length=200)
    department_id: int = Field(ge=1)
    active: bool = True


class TopicPatch(TopicFields):
    name: str | None = Field(default=None, max_length=100)
    query: str | None = Field(default=None, max_length=MAX_QUERY_CHARS)
    subject_kind: SubjectKind | None = None
    subject_name: str | None = Field(default=None, max_length=200)
    department_id: int | None = Field(default=None, ge=1)


class NoteIn(Strict):
    note: str | None = Field(default=None, max_length=500, description="Why this change.")


class VersionOut(BaseModel):
    version: int
    change: Change
    name: str
    description: str
    query: str
    subject_kind: SubjectKind
    subject_name: str
    department_id: int
    department_name: str
    active: bool
    examples: list[ExampleOut]
    author: str = Field(description="kind:name, e.g. user:ana@example.com or cli:root.")
    author_member_id: int | None
    author_name: str = Field(description="The member's name, or the command line user.")
    created_at: datetime
    note: str | None


class DiffLineOut(BaseModel):
    op: Literal[" ", "-", "+"] = Field(description='" " kept, "-" removed, "+" added.')
    text: str


class FieldChangeOut(BaseModel):
    field: str = Field(
        description="name, active, subject_kind, subject_name, department, query, description "
        "or examples."
    )
    before: Any
    after: Any
    lines: list[DiffLineOut] | None = Field(
        description="A line diff, for query, description and examples."
    )


class DiffOut(BaseModel):
    topic_id: int
    old: VersionOut
    new: VersionOut
    changes: list[FieldChangeOut] = Field(description="Only the fields that differ.")


class QueryIn(Strict):
    query: str = Field(max_length=MAX_QUERY_CHARS * 2)


class QueryCheckOut(BaseModel):
    ok: bool = Field(description="True when the query can be saved.")
    problems: list[ProblemOut] = Field(description="Every problem, in query order.")


class DraftTestIn(Strict):
    query: str = Field(max_length=MAX_QUERY_CHARS * 2)
    examples: list[ExampleIn] = Field(max_length=100)


class DraftTestOut(BaseModel):
    ok: bool = Field(description="True when the query has no problem and every example passes.")
    problems: list[ProblemOut] = Field(description="The query's problems (as /query/check).")
    results: list[ExampleResultOut] = Field(
        description="Each example's result; empty when the query cannot be parsed."
    )
    failed: int = Field(description="How many examples fail.")


class TopicRefusedOut(BaseModel):
    detail: str = Field(description="What is wrong and what to do next, in one sentence.")
    problems: list[ProblemOut] = Field(
        default_factory=list, description="The query's problems, when the query is refused."
    )
    failures: list[ExampleResultOut] = Field(
        default_factory=list, description="The failing examples, when examples fail."
    )


# -- builders ---------------------------------------------------------------------------------


def problem_out(problem: QueryProblem) -> ProblemOut:
    return ProblemOut.model_validate(problem.as_dict())


def example_result_out(result: ExampleResult) -> ExampleResultOut:
    return ExampleResultOut.model_validate(result.as_dict())


def rematch_out(row: RematchRow | None) -> RematchOut | None:
    if row is None:
        return None
    return RematchOut(
        id=row.id, topic_id=row.topic_id, topic_version=row.topic_version, status=row.status,
        total=row.total, done=row.done, percent=row.percent, created_at=row.created_at,
        started_at=row.started_at, finished_at=row.finished_at, error=row.error,
    )  # fmt: skip


def topic_out(row: TopicRow) -> TopicOut:
    t = row.topic
    return TopicOut(
        id=t.id, name=t.name, description=t.description, query=t.query,
        subject_kind=t.subject_kind, subject_name=t.subject_name,
        department_id=t.department_id, department_name=row.department_name, active=t.active,
        version=t.version, examples=[ExampleOut.model_validate(e) for e in t.examples],
        matches=row.matches, rematch=rematch_out(row.rematch), created_at=t.created_at,
        created_by=t.created_by, updated_at=t.updated_at, updated_by=t.updated_by,
    )  # fmt: skip


def version_out(row: VersionRow) -> VersionOut:
    values = {name: getattr(row, name) for name in VersionOut.model_fields}
    return VersionOut.model_validate(values)


def diff_out(diff: TopicDiff) -> DiffOut:
    return DiffOut(
        topic_id=diff.topic_id,
        old=version_out(diff.old),
        new=version_out(diff.new),
        changes=[
            FieldChangeOut(
                field=change.field,
                before=change.before,
                after=change.after,
                lines=None
                if change.lines is None
                else [DiffLineOut(op=line.op, text=line.text) for line in change.lines],
            )
            for change in diff.changes
        ],
    )
