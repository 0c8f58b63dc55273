"""``/api/v1/audit``: the audit log, newest first, with filters and a ``before`` cursor."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from sbu.org.queries import audit_page
from sbu.web.api.org_schemas import AuditPageOut, audit_event_out
from sbu.web.api.schemas import INVALID
from sbu.web.audit_view import build_filters
from sbu.web.deps import SessionDep

router = APIRouter(tags=["audit"])


@router.get(
    "/audit", response_model=AuditPageOut, summary="Browse the audit log", responses=INVALID
)
def audit(
    session: SessionDep,
    actor: Annotated[
        str | None, Query(max_length=200, description="Part of the actor, e.g. ana@example.com.")
    ] = None,
    action: Annotated[
        str | None,
        Query(
            max_length=100, description="An action or its start, e.g. member. or member.created."
        ),
    ] = None,
    object_type: Annotated[
        str | None, Query(max_length=50, description="e.g. member, department, api_token.")
    ] = None,
    object_id: Annotated[str | None, Query(max_length=100, description="The object's id.")] = None,
    date_from: Annotated[
        date | None, Query(alias="from", description="From this day (UTC), included.")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Up to this day (UTC), included.")
    ] = None,
    before: Annotated[
        int | None, Query(ge=1, le=2**53, description="The `next` of the previous page.")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size.")] = 50,
) -> AuditPageOut:
    """Every recorded change, newest first: who, what, when, the object before and after."""
    values = {"actor": actor or "", "action": action or "", "object_type": object_type or "",
              "object_id": object_id or "", "from": date_from.isoformat() if date_from else "",
              "to": date_to.isoformat() if date_to else ""}  # fmt: skip
    page = audit_page(session, build_filters(values), limit=limit, before=before)
    return AuditPageOut(items=[audit_event_out(e) for e in page.events], next=page.older)
