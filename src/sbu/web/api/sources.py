"""``/api/v1/sources`` and ``/api/v1/dead-letters``: where mentions come from, what was rejected."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from sbu.listening.queries import list_dead_letters, list_sources
from sbu.web.api.schemas import (
    INVALID,
    DeadLetterPageOut,
    SourceStatusOut,
    dead_letter_out,
    source_status_out,
)
from sbu.web.deps import SessionDep

router = APIRouter(tags=["sources"])


@router.get("/sources", response_model=list[SourceStatusOut], summary="List sources")
def sources(session: SessionDep) -> list[SourceStatusOut]:
    """Every source with its connector, state, counts, polls and last error, by name."""
    return [source_status_out(row) for row in list_sources(session)]


@router.get(
    "/dead-letters",
    response_model=DeadLetterPageOut,
    summary="List rejected items",
    responses=INVALID,
)
def dead_letters(
    session: SessionDep,
    source: Annotated[int | None, Query(ge=1, description="Only this source (its id).")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip.")] = 0,
) -> DeadLetterPageOut:
    """Items that could not become mentions, newest first, with the reason and the payload."""
    page = list_dead_letters(session, source_id=source, limit=limit, offset=offset)
    return DeadLetterPageOut(
        items=[dead_letter_out(row) for row in page.rows],
        total=page.total,
        limit=limit,
        offset=offset,
    )
