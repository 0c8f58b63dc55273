"""Settings → Audit log: every change, newest first, filtered, paged with an "Older" cursor."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sbu.org.queries import audit_actions, audit_page
from sbu.web.audit_view import (
    FILTER_NAMES,
    AuditFilterError,
    build_filters,
    changed_keys,
    json_lines,
)
from sbu.web.deps import SessionDep, UiDep
from sbu.web.forms import optional_id, query_value
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50


@router.get("/settings/audit", response_class=HTMLResponse)
def audit_log_page(request: Request, session: SessionDep, ui: UiDep) -> Response:
    params = request.query_params
    values = {name: query_value(params, name, 100) for name in FILTER_NAMES}
    error = None
    try:
        filters = build_filters(values)
    except AuditFilterError as exc:
        message = ui.gettext("The day %(value)s cannot be read: write it as 2026-11-28.")
        error = message % {"value": values[exc.name]}
        values[exc.name] = ""
        filters = build_filters(values)
    before = optional_id(params.get("before"))
    page = audit_page(session, filters, limit=PAGE_SIZE, before=before)
    events: list[dict[str, Any]] = []
    for event in page.events:
        changed = changed_keys(event.before, event.after)
        events.append({"event": event, "before": json_lines(event.before, changed) if event.before is not None else None,
                       "after": json_lines(event.after, changed) if event.after is not None else None})  # fmt: skip
    kept = {name: value for name, value in values.items() if value}
    older_url = (
        "/settings/audit?" + urlencode({**kept, "before": page.older}) if page.older else None
    )
    return render(request, ui, "settings/audit.html",
                  {"events": events, "values": values, "actions": audit_actions(session),
                   "error": error, "older_url": older_url, "paged": before is not None,
                   "top_url": "/settings/audit?" + urlencode(kept) if kept else "/settings/audit",
                   "filtered": bool(kept)},
                  status_code=400 if error else 200, section="settings")  # fmt: skip
