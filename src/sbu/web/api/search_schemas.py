"""Response and request models of search over history and of the preview of a draft query."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sbu.listening.preview import Preview
from sbu.listening.query import QueryError
from sbu.listening.search import SearchPage
from sbu.web.api.schemas import ErrorOut, MentionSummary, mention_summary
from sbu.web.api.topic_schemas import ProblemOut, problem_out

MAX_QUERY_CHARS = 4096


class QueryRefusedOut(BaseModel):
    detail: str = Field(description="The first problem, with its column, in one sentence.")
    problems: list[ProblemOut] = Field(description="Every problem of the query, in query order.")


#: The OpenAPI description of a refused query (and of other bad parameters).
REFUSED: dict[int | str, dict[str, Any]] = {
    422: {
        "model": QueryRefusedOut,
        "description": "The query has problems (listed with their positions and hints); other "
        "bad parameters answer with `detail` only.",
    }
}
FORBIDDEN: dict[int | str, dict[str, Any]] = {
    403: {"model": ErrorOut, "description": "Your role or your token's scopes do not allow this."}
}


def refused_body(exc: QueryError) -> dict[str, Any]:
    body = QueryRefusedOut(detail=str(exc), problems=[problem_out(p) for p in exc.problems])
    return body.model_dump(mode="json")


class SearchPageOut(BaseModel):
    items: list[MentionSummary] = Field(description="Matching mentions, newest first.")
    next: str | None = Field(description="Cursor of older matches: pass it as `before`.")
    count: int = Field(description="Mentions the query matches with these filters.")
    count_at_least: bool = Field(
        description="True when counting stopped at SBU_SEARCH__MAX_CANDIDATES: at least `count`."
    )
    stopped_early: bool = Field(
        description="The page checked SBU_SEARCH__MAX_CANDIDATES candidates before it was full; "
        "`next` continues from there."
    )
    scanned: int = Field(description="Candidate mentions checked for this page.")


def search_page_out(page: SearchPage) -> SearchPageOut:
    return SearchPageOut(
        items=[mention_summary(row) for row in page.rows],
        next=page.older,
        count=page.count,
        count_at_least=page.count_at_least,
        stopped_early=page.stopped_early,
        scanned=page.scanned,
    )


class PreviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS, description="The draft query.")
    days: int | None = Field(
        default=None,
        ge=1,
        le=365,
        description="Days of history, today included (default SBU_SEARCH__PREVIEW_DAYS).",
    )


class DayVolumeOut(BaseModel):
    day: date
    count: int
    counted: bool = Field(
        description="False when the preview stopped before counting this day whole."
    )


class TermOut(BaseModel):
    term: str
    count: int = Field(description="Matches that contain the word.")


class PreviewOut(BaseModel):
    query: str
    days: int
    since: datetime = Field(description="Start of the period (UTC midnight), included.")
    until: datetime = Field(description="End of the period (next UTC midnight), excluded.")
    count: int = Field(description="Mentions of the period the query matches.")
    count_at_least: bool = Field(description="True when `count` is a lower bound.")
    total: int = Field(description="Every mention of the period.")
    share: float | None = Field(description="count / total, or null for an empty period.")
    sample: list[MentionSummary] = Field(description="The newest matches.")
    volume: list[DayVolumeOut] = Field(description="Matches per UTC day, oldest first.")
    terms: list[TermOut] = Field(
        description="Words most often found in the matches, outside the query's own words."
    )
    terms_from: int = Field(description="The matches the words were counted in.")
    scanned: int = Field(description="Candidate mentions checked.")
    exact: bool = Field(description="The index answered the query exactly (counted in SQL).")


def preview_out(result: Preview) -> PreviewOut:
    return PreviewOut(
        query=result.query,
        days=result.days,
        since=result.since,
        until=result.until,
        count=result.count,
        count_at_least=result.count_at_least,
        total=result.total,
        share=result.share,
        sample=[mention_summary(row) for row in result.sample],
        volume=[DayVolumeOut(day=v.day, count=v.count, counted=v.counted) for v in result.volume],
        terms=[TermOut(term=t.term, count=t.count) for t in result.terms],
        terms_from=result.terms_from,
        scanned=result.scanned,
        exact=result.exact,
    )
