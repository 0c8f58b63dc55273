"""Listening → Topics: the list, a topic's page and its actions, and the editor's live check.

Reading needs topics.read (every role); activating, deactivating and re-matching need
topics.manage (analysts, SBU leads, administrators), checked by the access guard and again by
the services of sbu.listening.topics. The form to create and change topics is in
:mod:`sbu.web.pages.topic_editor`, the version history in :mod:`sbu.web.pages.topic_history`.

``POST /listening/topics/check`` is what the editor's script calls as you type: the problems of
a query in the page's language, as JSON (the API's ``/api/v1/query/check`` answers in English).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sbu.core.errors import NotFound, SbuError
from sbu.listening.queries import StreamFilters, stream
from sbu.listening.query import check
from sbu.listening.topic_queries import TopicRow, list_topics, topic_row
from sbu.listening.topic_tests import TopicTestsFailed, run_examples
from sbu.listening.topics import request_rematch, set_topic_active
from sbu.org.queries import list_departments
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.errors import service_status
from sbu.web.forms import query_value
from sbu.web.pages.topic_forms import SUBJECT_LABELS, result_reason, translate_error
from sbu.web.query_messages import marked_segments, problem_views
from sbu.web.templating import UiLanguage, render

router = APIRouter(include_in_schema=False)
TopicId = Annotated[int, Path(ge=1, le=2**53)]
#: The newest matched mentions a topic's page shows.
LATEST_MATCHES = 10
#: Longest query the live check reads (the linter itself refuses long queries with a sentence).
MAX_CHECK_CHARS = 20_000


def topic_or_404(session: Session, ui: UiLanguage, topic_id: int) -> TopicRow:
    """The topic's row, or a 404 page saying where topics are listed."""
    try:
        return topic_row(session, topic_id)
    except NotFound:
        message = ui.gettext("There is no topic %(id)s: Listening → Topics lists them.")
        raise HTTPException(404, message % {"id": topic_id}) from None


def _flag(value: str) -> bool | None:
    return {"1": True, "0": False}.get(value)


@router.get("/listening/topics", response_class=HTMLResponse)
def topics_page(request: Request, session: SessionDep, ui: UiDep) -> Response:
    params = request.query_params
    values = {name: query_value(params, name) for name in ("active", "kind", "department", "q")}
    department = values["department"]
    rows = list_topics(
        session,
        active=_flag(values["active"]),
        department_id=int(department) if department.isdigit() and len(department) < 19 else None,
        subject_kind=values["kind"] if values["kind"] in SUBJECT_LABELS else None,
        q=values["q"] or None,
    )
    context = {
        "rows": rows,
        "values": values,
        "filtered": any(values.values()),
        "departments": [row.department for row in list_departments(session)],
        "subject_labels": SUBJECT_LABELS,
    }
    return render(request, ui, "listening/topics.html", context, section="listening")


def _examples(ui: UiLanguage, row: TopicRow) -> tuple[list[dict[str, Any]], list[Any]]:
    """Each example with its result against the current query, and the query's problems."""
    checked = check(row.topic.query)
    problems = problem_views(ui, checked.problems)
    if checked.node is None:
        return [
            {"example": e, "result": None, "reason": None} for e in row.topic.examples
        ], problems
    results = run_examples(checked.node, row.topic.examples)
    examples = [
        {"example": r.example, "result": r, "reason": result_reason(ui, r)} for r in results
    ]
    return examples, problems


def topic_page(
    request: Request, session: Session, ui: UiLanguage, topic_id: int, *,
    error: str | None = None, failures: TopicTestsFailed | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    row = topic_or_404(session, ui, topic_id)
    examples, problems = _examples(ui, row)
    latest = stream(session, StreamFilters(topic_id=topic_id), limit=LATEST_MATCHES)
    context = {
        "row": row,
        "topic": row.topic,
        "examples": examples,
        "problems": problems,
        "segments": marked_segments(row.topic.query, problems),
        "latest": latest.rows,
        "subject_labels": SUBJECT_LABELS,
        "done": request.query_params.get("done"),
        "error": error,
        "failures": [
            {"result": f, "reason": result_reason(ui, f)} for f in failures.failures
        ] if failures else [],
    }  # fmt: skip
    return render(request, ui, "listening/topic.html", context, status_code=status_code,
                  section="listening")  # fmt: skip


@router.get("/listening/topics/{topic_id}", response_class=HTMLResponse)
def topic_view(request: Request, session: SessionDep, ui: UiDep, topic_id: TopicId) -> Response:
    return topic_page(request, session, ui, topic_id)


class NoteForm(BaseModel):
    note: str = Field(default="", max_length=2000)


NoteDep = Annotated[NoteForm, Form()]


def _set_active(
    request: Request, app: AppDep, session: Session, ui: UiLanguage, principal: PrincipalDep,
    topic_id: int, active: bool, note: str,
) -> Response:  # fmt: skip
    topic_or_404(session, ui, topic_id)
    try:
        set_topic_active(app.db, app.clock, principal.actor, topic_id, active, note=note or None)
    except TopicTestsFailed as exc:
        message = ui.gettext(
            "The topic was not activated because some of its examples fail: change the query or "
            "the examples, then activate it again."
        )
        return topic_page(request, session, ui, topic_id, error=message, failures=exc,
                          status_code=400)  # fmt: skip
    except SbuError as exc:
        # The query no longer passes the linter (a rule of a newer release), for example.
        return topic_page(request, session, ui, topic_id, error=translate_error(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    done = "activated" if active else "deactivated"
    return RedirectResponse(f"/listening/topics/{topic_id}?done={done}", status_code=303)


@router.post("/listening/topics/{topic_id}/activate")
def activate_topic(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    topic_id: TopicId, form: NoteDep,
) -> Response:  # fmt: skip
    return _set_active(request, app, session, ui, principal, topic_id, True, form.note)


@router.post("/listening/topics/{topic_id}/deactivate")
def deactivate_topic(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    topic_id: TopicId, form: NoteDep,
) -> Response:  # fmt: skip
    return _set_active(request, app, session, ui, principal, topic_id, False, form.note)


@router.post("/listening/topics/{topic_id}/rematch")
def rematch_topic(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep, principal: PrincipalDep,
    topic_id: TopicId,
) -> Response:  # fmt: skip
    topic_or_404(session, ui, topic_id)
    try:
        request_rematch(app.db, app.clock, principal.actor, topic_id)
    except SbuError as exc:
        return topic_page(request, session, ui, topic_id, error=translate_error(ui, str(exc)),
                          status_code=service_status(exc))  # fmt: skip
    return RedirectResponse(f"/listening/topics/{topic_id}?done=rematch", status_code=303)


class CheckIn(BaseModel):
    query: str = Field(max_length=MAX_CHECK_CHARS)


@router.post("/listening/topics/check")
def check_query(ui: UiDep, body: CheckIn) -> JSONResponse:
    """The problems of a query in the page's language (the editor's live linting)."""
    checked = check(body.query)
    problems = problem_views(ui, checked.problems)
    return JSONResponse(
        {"ok": checked.ok, "problems": [problem.as_dict() for problem in problems]},
        headers={"Cache-Control": "no-store"},
    )
