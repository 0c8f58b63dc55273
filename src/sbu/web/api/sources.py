"""``/api/v1/sources`` and ``/api/v1/dead-letters``: where mentions come from, what was rejected.

Sources are created and changed through the same services as the command line and the Settings
pages (sbu.listening.services): the connector's model checks the configuration, credentials are
encrypted, and responses show them only masked.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from sqlalchemy.orm import Session

from sbu.core.credentials import secret_fields
from sbu.core.errors import NotFound
from sbu.listening.models import Source
from sbu.listening.queries import list_dead_letters, list_sources
from sbu.listening.services import create_source, set_source_enabled, update_source
from sbu.web.api.errors import SERVICE_ERRORS
from sbu.web.api.schemas import (
    INVALID,
    NOT_FOUND,
    DeadLetterPageOut,
    SourceStatusOut,
    dead_letter_out,
    source_status_out,
)
from sbu.web.api.source_schemas import SourceDetailOut, SourceIn, SourcePatch, source_detail_out
from sbu.web.deps import AppDep, PrincipalDep, SessionDep

router = APIRouter(tags=["sources"])
SourceId = Annotated[int, Path(ge=1, le=2**53, description="The source's id.")]


def _stored(session: Session, source_id: int) -> Source:
    source = session.get(Source, source_id)
    if source is None:
        msg = f"There is no source {source_id}: list them with GET /api/v1/sources."
        raise NotFound(msg)
    return source


def one(app: AppDep, session: Session, source_id: int) -> SourceDetailOut:
    """The source as saved now (with its counts and state)."""
    session.rollback()  # end the read transaction: on SQLite it still sees the state before
    source = _stored(session, source_id)
    connector = app.registry.connectors.get(source.connector)
    secrets = secret_fields(connector.settings_model) if connector is not None else []
    rows = list_sources(session, app.clock.now(), app.settings.alerts)
    row = next(row for row in rows if row.id == source_id)
    return source_detail_out(row, source, secrets)


@router.get("/sources", response_model=list[SourceStatusOut], summary="List sources")
def sources(app: AppDep, session: SessionDep) -> list[SourceStatusOut]:
    """Every source with its connector, state, counts, polls, last error and health (items per
    hour, lag, token expiry, quota, alert), by name."""
    rows = list_sources(session, app.clock.now(), app.settings.alerts)
    return [source_status_out(row) for row in rows]


@router.post("/sources", response_model=SourceDetailOut, status_code=201,
             summary="Add a source", responses=SERVICE_ERRORS)  # fmt: skip
def post_source(
    app: AppDep, session: SessionDep, principal: PrincipalDep, body: SourceIn
) -> SourceDetailOut:
    """Create a source of any connector (``rss``, ``webhook``...): ``config`` is checked by the
    connector's model, and a wrong value answers ``400`` with a sentence naming the setting.
    Polled sources are polled for the first time at the scheduler's next tick."""
    source = create_source(
        app.db, app.clock, app.registry, principal.actor, name=body.name,
        connector=body.connector, config=body.config,
        poll_interval_seconds=body.poll_interval_seconds, purpose=body.purpose,
        box=app.credentials,
    )  # fmt: skip
    return one(app, session, source.id)


@router.get("/sources/{source_id}", response_model=SourceDetailOut, summary="Read a source",
            responses={**INVALID, **NOT_FOUND})  # fmt: skip
def get_source(app: AppDep, session: SessionDep, source_id: SourceId) -> SourceDetailOut:
    """A source's state and settings; credentials are masked (``••••••••`` and, for long
    values, their last four characters) and listed in ``credentials``."""
    return one(app, session, source_id)


@router.patch("/sources/{source_id}", response_model=SourceDetailOut, summary="Change a source",
              responses=SERVICE_ERRORS)  # fmt: skip
def patch_source(
    app: AppDep, session: SessionDep, principal: PrincipalDep, source_id: SourceId,
    body: SourcePatch,
) -> SourceDetailOut:  # fmt: skip
    """Only the fields sent change. ``config`` is merged into the saved settings (the keys sent
    replace theirs; send ``null`` to reset an optional setting to its default); credentials
    left out, empty or masked stay as saved, and new ones resume a source paused because its
    credentials were refused."""
    source = _stored(session, source_id)
    config = None
    if body.config is not None:
        config = {**(source.config or {}), **body.config}
        for key, value in body.config.items():
            if value is None:  # back to the model's default (a credential stays as saved)
                config.pop(key, None)
    if config is not None or body.poll_interval_seconds is not None:
        update_source(app.db, app.clock, app.registry, principal.actor, source_id, config=config,
                      poll_interval_seconds=body.poll_interval_seconds,
                      box=app.credentials)  # fmt: skip
    if body.enabled is not None and (body.enabled != source.enabled or source.paused_reason):
        set_source_enabled(app.db, app.clock, principal.actor, source_id, body.enabled)
    return one(app, session, source_id)


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
