"""``/api/v1/search`` and ``/api/v1/query/preview``: search over history with the query language,
and the preview of a draft query on the last days.

A query with problems is refused with ``422`` and the structured ``problems`` (code, message,
hint, start, end) beside the ``detail`` sentence, as ``/api/v1/topics`` does.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import JSONResponse

from sbu.listening.preview import preview
from sbu.listening.query import QueryError
from sbu.listening.search import SearchFilters, search
from sbu.web.api.filter_params import (
    BeforeParam,
    DateFromParam,
    DateToParam,
    LanguageParam,
    LimitParam,
    OriginalsOnlyParam,
    PlatformParam,
    SourceParam,
)
from sbu.web.api.search_schemas import (
    FORBIDDEN,
    MAX_QUERY_CHARS,
    REFUSED,
    PreviewIn,
    PreviewOut,
    SearchPageOut,
    preview_out,
    refused_body,
    search_page_out,
)
from sbu.web.deps import AppDep, SessionDep
from sbu.web.stream_filters import FilterError, RawFilters, build_filters, check_cursor

router = APIRouter(tags=["search"])


def refused(exc: QueryError) -> JSONResponse:
    return JSONResponse(refused_body(exc), status_code=422)


def search_filters(
    platform: str | None,
    language: str | None,
    source: int | None,
    date_from: str | None,
    date_to: str | None,
    originals_only: bool,
) -> SearchFilters:
    raw = RawFilters(
        source=str(source) if source is not None else None,
        platform=platform,
        language=language,
        date_from=date_from,
        date_to=date_to,
        originals="1" if originals_only else "0",
    )
    try:
        built = build_filters(raw)
    except FilterError as exc:
        raise HTTPException(422, exc.message) from exc
    return SearchFilters(
        platform=built.platform,
        language=built.language,
        source_id=built.source_id,
        since=built.since,
        until=built.until,
        originals_only=built.originals_only,
    )


@router.get(
    "/search",
    response_model=SearchPageOut,
    summary="Search mentions with the query language",
    responses={**REFUSED, **FORBIDDEN},
)
def search_mentions(
    app: AppDep,
    session: SessionDep,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=MAX_QUERY_CHARS,
            description="A query, e.g. ondine NEAR/3 (panne OR coupure) NOT lang:en (see "
            "docs/listening/query-language.md).",
        ),
    ],
    platform: PlatformParam = None,
    language: LanguageParam = None,
    source: SourceParam = None,
    date_from: DateFromParam = None,
    date_to: DateToParam = None,
    originals_only: OriginalsOnlyParam = False,
    before: BeforeParam = None,
    limit: LimitParam = None,
) -> SearchPageOut | JSONResponse:
    """Exactly the mentions the query matches (as topic matching would), newest first, with an
    exact count. Pages use keyset cursors: pass `next` as `before` for older matches."""
    filters = search_filters(platform, language, source, date_from, date_to, originals_only)
    try:
        cursor = check_cursor(before, "before")
    except FilterError as exc:
        raise HTTPException(422, exc.message) from exc
    try:
        page = search(
            session,
            q,
            filters,
            limit=limit or app.settings.web.page_size,
            before=cursor,
            max_candidates=app.settings.search.max_candidates,
        )
    except QueryError as exc:
        return refused(exc)
    return search_page_out(page)


@router.post(
    "/query/preview",
    response_model=PreviewOut,
    summary="Preview a draft query on recent history",
    responses={**REFUSED, **FORBIDDEN},
)
def preview_query(app: AppDep, session: SessionDep, body: PreviewIn) -> PreviewOut | JSONResponse:
    """What the query matches over the last `days` days: count, share of the period, the newest
    matches, matches per day and the words most often found with them (to spot noise)."""
    settings = app.settings.search
    try:
        result = preview(
            session,
            body.query,
            now=app.clock.now(),
            days=body.days or settings.preview_days,
            max_candidates=settings.preview_max_candidates,
            terms_from=settings.preview_terms_from,
        )
    except QueryError as exc:
        return refused(exc)
    return preview_out(result)
