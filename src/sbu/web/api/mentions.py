"""``/api/v1/mentions``: the stream as JSON, the "new mentions" count and one mention's detail."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from sbu.listening.queries import (
    MAX_SEARCH_CHARS,
    StreamFilters,
    count_newer,
    mention_detail,
    stream,
)
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
from sbu.web.api.schemas import (
    INVALID,
    NOT_FOUND,
    MentionDetailOut,
    MentionPage,
    NewCount,
    mention_detail_out,
    mention_summary,
)
from sbu.web.deps import AppDep, SessionDep
from sbu.web.stream_filters import FilterError, RawFilters, build_filters, check_cursor

router = APIRouter(tags=["mentions"])
NEW_COUNT_CAP = 1000


def stream_filters(
    source: SourceParam = None,
    platform: PlatformParam = None,
    language: LanguageParam = None,
    date_from: DateFromParam = None,
    date_to: DateToParam = None,
    q: Annotated[
        str | None,
        Query(
            description="Text search, case- and accent-insensitive, in text and title.",
            max_length=MAX_SEARCH_CHARS,
        ),
    ] = None,
    originals_only: OriginalsOnlyParam = False,
    topic: Annotated[
        int | None,
        Query(description="Only the mentions matching this topic (its id).", ge=1, le=2**53),
    ] = None,
) -> StreamFilters:
    raw = RawFilters(
        source=str(source) if source is not None else None,
        platform=platform,
        language=language,
        date_from=date_from,
        date_to=date_to,
        q=q,
        originals="1" if originals_only else "0",
        topic=str(topic) if topic is not None else None,
    )
    try:
        return build_filters(raw)
    except FilterError as exc:
        raise HTTPException(422, exc.message) from exc


FiltersDep = Annotated[StreamFilters, Depends(stream_filters)]


def _cursor(value: str | None, field: str) -> str | None:
    try:
        return check_cursor(value, field)
    except FilterError as exc:
        raise HTTPException(422, exc.message) from exc


@router.get("/mentions", response_model=MentionPage, summary="List mentions", responses=INVALID)
def list_mentions(
    app: AppDep,
    session: SessionDep,
    filters: FiltersDep,
    before: BeforeParam = None,
    after: Annotated[
        str | None, Query(description="Newer than this cursor (a page's `prev`).")
    ] = None,
    limit: LimitParam = None,
) -> MentionPage:
    """Newest first, with keyset cursors: pages stay fast however deep you go."""
    if before and after:
        raise HTTPException(422, "Send either 'before' or 'after', not both.")
    page = stream(
        session,
        filters,
        limit=limit or app.settings.web.page_size,
        before=_cursor(before, "before"),
        after=_cursor(after, "after"),
    )
    return MentionPage(
        items=[mention_summary(row) for row in page.rows],
        next=page.older,
        prev=page.newer,
        count=page.count,
        count_capped=page.count_capped,
    )


@router.get(
    "/mentions/new-count",
    response_model=NewCount,
    summary="Count mentions newer than a cursor",
    responses=INVALID,
)
def new_count(
    session: SessionDep,
    filters: FiltersDep,
    after: Annotated[str, Query(description="The cursor of the newest mention on screen.")],
) -> NewCount:
    """What the Stream page polls to show "3 new mentions — show"."""
    cursor = _cursor(after, "after")
    assert cursor is not None
    count = count_newer(session, filters, cursor, cap=NEW_COUNT_CAP)
    return NewCount(count=count, capped=count >= NEW_COUNT_CAP)


@router.get(
    "/mentions/{mention_id}",
    response_model=MentionDetailOut,
    summary="One mention with its raw payload",
    responses={**NOT_FOUND, **INVALID},
)
def get_mention(
    session: SessionDep, mention_id: Annotated[int, Path(ge=1, description="The mention's id.")]
) -> MentionDetailOut:
    """Every mapped field, the author, the source, the thread, duplicates and the raw payload."""
    detail = mention_detail(session, mention_id)
    if detail is None:
        raise HTTPException(
            404,
            f"There is no mention {mention_id}: it may have been deleted; "
            "list mentions with GET /api/v1/mentions.",
        )
    return mention_detail_out(detail)
