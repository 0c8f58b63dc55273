"""``/api/v1/topics`` and ``/api/v1/query/check``: topics, their history and tests, and the query
linter for live editing.

A query with problems or failing examples is refused with ``422`` and the structured list
(``problems`` or ``failures``) beside the usual ``detail`` sentence, so an editor can show each
one where it belongs.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session

from sbu.listening import topics as services
from sbu.listening.query import QueryError, check
from sbu.listening.topic_queries import (
    latest_rematch,
    list_topics,
    topic_row,
    topic_versions,
    version_diff,
)
from sbu.listening.topic_tests import TopicTestsFailed, run_examples
from sbu.web.api.errors import SERVICE_ERRORS
from sbu.web.api.schemas import INVALID, NOT_FOUND
from sbu.web.api.topic_schemas import (
    DiffOut,
    DraftTestIn,
    DraftTestOut,
    NoteIn,
    QueryCheckOut,
    QueryIn,
    RematchOut,
    SubjectKind,
    TopicIn,
    TopicOut,
    TopicPatch,
    TopicRefusedOut,
    VersionOut,
    diff_out,
    example_result_out,
    problem_out,
    rematch_out,
    topic_out,
    version_out,
)
from sbu.web.deps import AppDep, PrincipalDep, SessionDep

router = APIRouter(tags=["topics"])
TopicId = Annotated[int, Path(ge=1, le=2**53, description="The topic's id.")]
Version = Annotated[int, Path(ge=1, le=2**31, description="A version number of the topic.")]
LOOKUP: dict[int | str, dict[str, Any]] = {**NOT_FOUND, **INVALID}
REFUSED: dict[int | str, dict[str, Any]] = {
    **SERVICE_ERRORS,
    422: {
        "model": TopicRefusedOut,
        "description": "The query has problems or examples fail (listed), or the body has the "
        "wrong shape.",
    },
}


def refused(exc: QueryError | TopicTestsFailed) -> JSONResponse:
    """422 with the sentence and the structured problems or failing examples."""
    body = TopicRefusedOut(detail=str(exc))
    if isinstance(exc, QueryError):
        body.problems = [problem_out(p) for p in exc.problems]
    else:
        body.failures = [example_result_out(f) for f in exc.failures]
    return JSONResponse(body.model_dump(mode="json"), status_code=422)


def one(session: Session, topic_id: int) -> TopicOut:
    session.expire_all()
    return topic_out(topic_row(session, topic_id))


@router.get("/topics", response_model=list[TopicOut], summary="List topics", responses=INVALID)
def topics(
    session: SessionDep,
    active: Annotated[
        bool | None, Query(description="Only active (true) or inactive (false) topics.")
    ] = None,
    department: Annotated[int | None, Query(ge=1, description="Only this department's.")] = None,
    subject_kind: Annotated[SubjectKind | None, Query(description="Only this subject.")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Part of the name, subject or query.")
    ] = None,
) -> list[TopicOut]:
    """Every topic by name, with its department, number of matched mentions and newest
    re-match job."""
    rows = list_topics(
        session, active=active, department_id=department, subject_kind=subject_kind, q=q
    )
    return [topic_out(row) for row in rows]


@router.post("/topics", response_model=TopicOut, status_code=201, summary="Create a topic",
             responses=REFUSED)  # fmt: skip
def post_topic(
    app: AppDep, session: SessionDep, principal: PrincipalDep, body: TopicIn
) -> TopicOut | JSONResponse:
    """The query must have no problem and every example must pass. An active topic matches new
    mentions at once; the mentions already stored are matched in the background (`rematch`)."""
    fields = body.model_dump(exclude_unset=True)
    examples = fields.pop("examples", None)
    try:
        topic = services.create_topic(
            app.db, app.clock, principal.actor, examples=examples, **fields
        )
    except (QueryError, TopicTestsFailed) as exc:
        return refused(exc)
    return one(session, topic.id)


@router.get("/topics/{topic_id}", response_model=TopicOut, summary="One topic",
            responses=LOOKUP)  # fmt: skip
def get_topic(session: SessionDep, topic_id: TopicId) -> TopicOut:
    """The topic with its query, examples, matched mentions and newest re-match job."""
    return one(session, topic_id)


@router.patch("/topics/{topic_id}", response_model=TopicOut, summary="Change a topic",
              responses=REFUSED)  # fmt: skip
def patch_topic(
    app: AppDep, session: SessionDep, principal: PrincipalDep, topic_id: TopicId,
    body: TopicPatch,
) -> TopicOut | JSONResponse:  # fmt: skip
    """Only the fields sent change (``examples`` replaces the whole list); the examples run
    whatever changed. A new query re-matches history in the background. Nothing sent that
    differs: nothing changes (no new version)."""
    fields = body.model_dump(exclude_unset=True)
    note = fields.pop("note", None)
    try:
        services.update_topic(app.db, app.clock, principal.actor, topic_id, note=note, **fields)
    except (QueryError, TopicTestsFailed) as exc:
        return refused(exc)
    return one(session, topic_id)


def _set_active(
    app: AppDep, session: Session, principal: PrincipalDep, topic_id: int, active: bool,
    body: NoteIn | None,
) -> TopicOut | JSONResponse:  # fmt: skip
    note = body.note if body is not None else None
    try:
        services.set_topic_active(app.db, app.clock, principal.actor, topic_id, active, note=note)
    except (QueryError, TopicTestsFailed) as exc:
        return refused(exc)
    return one(session, topic_id)


@router.post("/topics/{topic_id}/activate", response_model=TopicOut,
             summary="Activate a topic", responses=REFUSED)  # fmt: skip
def activate(
    app: AppDep, session: SessionDep, principal: PrincipalDep, topic_id: TopicId,
    body: NoteIn | None = None,
) -> TopicOut | JSONResponse:  # fmt: skip
    """The examples run first; then new mentions are matched again and history is re-matched
    in the background. Already active: nothing changes."""
    return _set_active(app, session, principal, topic_id, True, body)


@router.post("/topics/{topic_id}/deactivate", response_model=TopicOut,
             summary="Deactivate a topic", responses=SERVICE_ERRORS)  # fmt: skip
def deactivate(
    app: AppDep, session: SessionDep, principal: PrincipalDep, topic_id: TopicId,
    body: NoteIn | None = None,
) -> TopicOut | JSONResponse:  # fmt: skip
    """New mentions are no longer matched; the matches already recorded stay."""
    return _set_active(app, session, principal, topic_id, False, body)


@router.get("/topics/{topic_id}/versions", response_model=list[VersionOut],
            summary="A topic's version history", responses=LOOKUP)  # fmt: skip
def versions(session: SessionDep, topic_id: TopicId) -> list[VersionOut]:
    """Every version, newest first: every field, the author, the time and the change note."""
    return [version_out(row) for row in topic_versions(session, topic_id)]


@router.get("/topics/{topic_id}/versions/{a}/diff/{b}", response_model=DiffOut,
            summary="What changed between two versions", responses=LOOKUP)  # fmt: skip
def diff(session: SessionDep, topic_id: TopicId, a: Version, b: Version) -> DiffOut:
    """The fields that differ from the older of the two versions to the newer, with a line diff
    of the query, the description and the examples."""
    return diff_out(version_diff(session, topic_id, a, b))


@router.get("/topics/{topic_id}/rematch", response_model=RematchOut | None,
            summary="Re-match progress", responses=LOOKUP)  # fmt: skip
def rematch_progress(session: SessionDep, topic_id: TopicId) -> RematchOut | None:
    """The newest re-match job of the topic (``done`` of ``total`` mentions), or null when
    history was never re-matched."""
    topic_row(session, topic_id)  # 404 for an unknown topic
    return rematch_out(latest_rematch(session, topic_id))


@router.post("/topics/{topic_id}/rematch", response_model=RematchOut, status_code=202,
             summary="Re-match history again", responses=SERVICE_ERRORS)  # fmt: skip
def post_rematch(
    app: AppDep, session: SessionDep, principal: PrincipalDep, topic_id: TopicId
) -> RematchOut | None:
    """Queue the re-matching of an active topic's history with its current query; follow it
    with GET on the same path."""
    services.request_rematch(app.db, app.clock, principal.actor, topic_id)
    session.expire_all()
    return rematch_out(latest_rematch(session, topic_id))


@router.post("/topics/test", response_model=DraftTestOut, summary="Run examples on a draft",
             responses=INVALID)  # fmt: skip
def run_draft_examples(body: DraftTestIn) -> DraftTestOut:
    """Run examples against a query without saving anything: the query's problems and each
    example's result, as a save would check them."""
    checked = check(body.query)
    examples = [example.model_dump(exclude_none=True) for example in body.examples]
    results = run_examples(checked.node, examples) if checked.node is not None else []
    failed = sum(1 for result in results if not result.passed)
    return DraftTestOut(
        ok=checked.ok and failed == 0,
        problems=[problem_out(p) for p in checked.problems],
        results=[example_result_out(r) for r in results],
        failed=failed,
    )


@router.post("/query/check", response_model=QueryCheckOut, summary="Check a query",
             responses=INVALID)  # fmt: skip
def query_check(body: QueryIn) -> QueryCheckOut:
    """Every problem of a query (syntax and lint), with its position and a hint: what the topic
    editor shows as you type. Saves nothing."""
    checked = check(body.query)
    return QueryCheckOut(ok=checked.ok, problems=[problem_out(p) for p in checked.problems])
