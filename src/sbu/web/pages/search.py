"""Listening → Search (``/listening/search``): past mentions found with the query language.

The form sends a GET, so a search is a URL that can be bookmarked and shared. The page shows
exactly the mentions the query matches (newest first, keyset pages), their exact count, the
query's problems underlined where they are, and on request (``preview=1``) the preview of the
query over the last days (templates/listening/_preview.html, which the topic editor includes).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import QueryParams

from sbu.listening.preview import preview
from sbu.listening.query import QueryError
from sbu.listening.search import SearchFilters, compile_search, search
from sbu.web.deps import AppDep, SessionDep, StateDep, UiDep
from sbu.web.query_messages import problem_views
from sbu.web.stream_filters import FilterError, RawFilters, build_filters, check_cursor
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
PATH = "/listening/search"
#: Query parameters of the form, in the order URLs list them.
PARAMS = ("q", "source", "platform", "language", "from", "to", "originals_only")
MAX_QUERY_CHARS = 4096
#: Queries the empty page offers as examples (they are written in the query language).
EXAMPLES = (
    "ondine NOT recrutement",
    '"service client" NEAR/5 (lent OR attente)',
    "(panne OR coupure) AND #fibre AND lang:fr",
    "connect* AND site:example.com",
)


def form_values(params: QueryParams) -> dict[str, str]:
    """The non-empty values of the form, as the links repeat them."""
    values = {name: (params.get(name) or "").strip() for name in PARAMS}
    return {name: value for name, value in values.items() if value}


def search_url(values: dict[str, str], **extra: str) -> str:
    query = urlencode({**values, **extra})
    return PATH + (f"?{query}" if query else "")


@router.get(PATH, response_class=HTMLResponse)
def search_page(
    request: Request, app: AppDep, state: StateDep, session: SessionDep, ui: UiDep
) -> HTMLResponse:
    _ = ui.gettext
    params = request.query_params
    values = form_values(params)
    wants_preview = params.get("preview") == "1"
    context: dict[str, Any] = {
        "values": values,
        "facets": state.facets.get(session),
        "examples": [(example, search_url({"q": example})) for example in EXAMPLES],
        "error": None,
        "problems": [],
        "page": None,
        "preview": None,
        "wants_preview": wants_preview,
        "max_query_chars": MAX_QUERY_CHARS,
        "preview_days": app.settings.search.preview_days,
    }
    query = values.get("q")
    if not query:
        return _render(request, ui, context)
    try:
        raw = RawFilters(
            source=values.get("source"),
            platform=values.get("platform"),
            language=values.get("language"),
            date_from=values.get("from"),
            date_to=values.get("to"),
            originals=values.get("originals_only"),
        )
        built = build_filters(raw, _)
        before = check_cursor(params.get("before"), "before", _)
    except FilterError as exc:
        context["error"] = exc.message
        return _render(request, ui, context, status=400)
    try:
        compiled = compile_search(session, query)
    except QueryError as exc:
        context["problems"] = problem_views(ui, exc.problems)
        return _render(request, ui, context, status=400)
    filters = SearchFilters(
        platform=built.platform,
        language=built.language,
        source_id=built.source_id,
        since=built.since,
        until=built.until,
        originals_only=built.originals_only,
    )
    settings = app.settings.search
    page = search(
        session,
        compiled,
        filters,
        limit=app.settings.web.page_size,
        before=before,
        max_candidates=settings.max_candidates,
    )
    context["page"] = page
    context["paged"] = before is not None
    context["top_url"] = search_url(values)
    context["older_url"] = search_url(values, before=page.older) if page.older else None
    context["preview_url"] = search_url(values, preview="1") + "#preview"
    context["exclude_url"] = lambda term: (
        search_url({**values, "q": f"({query}) NOT {term}"}, preview="1") + "#preview"
    )
    if wants_preview:
        context["preview"] = preview(
            session,
            compiled,
            now=app.clock.now(),
            days=settings.preview_days,
            max_candidates=settings.preview_max_candidates,
            terms_from=settings.preview_terms_from,
        )
    return _render(request, ui, context)


def _render(
    request: Request, ui: UiDep, context: dict[str, Any], *, status: int = 200
) -> HTMLResponse:
    context.setdefault("paged", False)
    context.setdefault("top_url", PATH)
    context.setdefault("older_url", None)
    context.setdefault("preview_url", None)
    context.setdefault("exclude_url", None)
    return render(
        request, ui, "listening/search.html", context, status_code=status, section="listening"
    )
