"""Listening → Stream (``/listening/stream``): the latest mentions, filtered and paginated."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams

from sbu.listening.queries import (
    StreamFilters,
    StreamPage,
    encode_cursor,
    newest_cursor,
    stream,
    topic_options,
)
from sbu.web.deps import AppDep, SessionDep, StateDep, UiDep
from sbu.web.stream_filters import FilterError, RawFilters, build_filters, check_cursor
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
#: Query parameters of the page's filters, in the order URLs list them.
FILTER_PARAMS = ("source", "platform", "language", "from", "to", "q", "originals_only", "topic")
#: The cursor "before everything": a stream that is still empty counts every arrival as new.
EPOCH_CURSOR = encode_cursor(datetime(1970, 1, 1, tzinfo=UTC), 0)


def filter_values(params: QueryParams) -> dict[str, str]:
    """The non-empty filter values of the request, as the form and the links repeat them."""
    values = {name: (params.get(name) or "").strip() for name in FILTER_PARAMS}
    return {name: value for name, value in values.items() if value}


def stream_url(values: dict[str, str], **cursor: str) -> str:
    query = urlencode({**values, **cursor})
    return "/listening/stream" + (f"?{query}" if query else "")


def new_count_url(values: dict[str, str], after: str) -> str:
    """The API query the page's script polls for the "N new mentions" banner (same filters)."""
    return "/api/v1/mentions/new-count?" + urlencode({**values, "after": after})


@router.get("/listening/stream", response_class=HTMLResponse)
def stream_page(
    request: Request, app: AppDep, state: StateDep, session: SessionDep, ui: UiDep
) -> HTMLResponse:
    _ = ui.gettext
    params = request.query_params
    values = filter_values(params)
    raw = RawFilters(
        source=values.get("source"),
        platform=values.get("platform"),
        language=values.get("language"),
        date_from=values.get("from"),
        date_to=values.get("to"),
        q=values.get("q"),
        originals=values.get("originals_only"),
        topic=values.get("topic"),
    )
    try:
        filters = build_filters(raw, _)
        before = check_cursor(params.get("before"), "before", _)
        after = None if before else check_cursor(params.get("after"), "after", _)
    except FilterError as exc:
        return _render(request, ui, state, session, values, None, error=exc.message, status=400)
    limit = app.settings.web.page_size
    page = stream(session, filters, limit=limit, before=before, after=after)
    if after and page.newer is None:
        # Paging back up reached the newest mentions: show the full first page.
        before = after = None
        page = stream(session, filters, limit=limit)
    paged = bool(before or after)
    if page.rows and not paged:
        newest = encode_cursor(page.rows[0].created_at, page.rows[0].id)
    else:
        newest = newest_cursor(session, filters) or EPOCH_CURSOR
    return _render(
        request, ui, state, session, values, page, newest=newest, paged=paged, filters=filters
    )


def _render(
    request: Request,
    ui: UiDep,
    state: StateDep,
    session: SessionDep,
    values: dict[str, str],
    page: StreamPage | None,
    *,
    error: str | None = None,
    status: int = 200,
    newest: str | None = None,
    paged: bool = False,
    filters: StreamFilters | None = None,
) -> HTMLResponse:
    context = {
        "page": page,
        "values": values,
        "facets": state.facets.get(session),
        "topics": topic_options(session),
        "error": error,
        "filtered": filters is not None and not filters.is_empty(),
        "paged": paged,
        "top_url": stream_url(values),
        "older_url": stream_url(values, before=page.older) if page and page.older else None,
        "newer_url": stream_url(values, after=page.newer) if page and page.newer else None,
        "new_count_url": new_count_url(values, newest) if newest else None,
    }
    return render(
        request,
        ui,
        "listening/stream.html",
        context,
        status_code=status,
        section="listening",
    )
