"""Settings → Sources and Settings → Dead letters."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from sbu.connectors.base import Capability
from sbu.listening.queries import list_dead_letters, list_sources
from sbu.web.api.schemas import source_status
from sbu.web.deps import AppDep, SessionDep, UiDep
from sbu.web.stream_filters import FilterError, parse_source
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
MAX_PAGE = 100_000


@router.get("/settings/sources", response_class=HTMLResponse)
def sources_page(request: Request, app: AppDep, session: SessionDep, ui: UiDep) -> HTMLResponse:
    listed = list_sources(session, app.clock.now(), app.settings.alerts)
    rows = [(row, source_status(row)) for row in listed]
    attention = [row for row in listed if row.alert]
    streaming = {
        key for key, c in app.registry.connectors.items() if Capability.STREAM in c.capabilities
    }
    return render(
        request,
        ui,
        "settings/sources.html",
        {"rows": rows, "attention": attention, "streaming": streaming},
        section="settings",
    )


def _page_number(value: str | None) -> int:
    if value and value.isdigit():
        return max(1, min(int(value), MAX_PAGE))
    return 1


@router.get("/settings/dead-letters", response_class=HTMLResponse)
def dead_letters_page(
    request: Request, app: AppDep, session: SessionDep, ui: UiDep
) -> HTMLResponse:
    params = request.query_params
    sources = list_sources(session)
    error = None
    try:
        source_id = parse_source(params.get("source"), ui.gettext)
    except FilterError as exc:
        error, source_id = exc.message, None
    number = _page_number(params.get("page"))
    size = app.settings.web.page_size
    listing = list_dead_letters(
        session, source_id=source_id, limit=size, offset=(number - 1) * size
    )
    pages = max(1, -(-listing.total // size))
    base = {"source": str(source_id)} if source_id is not None else {}

    def page_url(n: int) -> str:
        return "/settings/dead-letters?" + urlencode({**base, "page": n})

    return render(
        request,
        ui,
        "settings/dead_letters.html",
        {
            "listing": listing,
            "sources": sources,
            "source_id": source_id,
            "error": error,
            "number": number,
            "pages": pages,
            "previous_url": page_url(number - 1) if number > 1 else None,
            "next_url": page_url(number + 1) if number < pages else None,
        },
        status_code=400 if error else 200,
        section="settings",
    )
