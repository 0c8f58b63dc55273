"""``POST /api/v1/ingest/{source}``: posts pushed by another platform or tool, signed.

The request is authenticated by its HMAC signature (sbu.connectors.webhook), not by a session
or an API token: the access table marks the route ``SIGNED``. Everything after the signature is
the ordinary ingest path: items mapped with the source's payload format, malformed items to the
dead letters, idempotent on platform and id, ``mention.collected`` published after the commit,
and one ingest run (kind ``pushed``) recorded per request that brought something.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request
from pydantic import BaseModel, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from sbu.bootstrap import App
from sbu.connectors.records import RecordMapper
from sbu.connectors.webhook import MAX_BODY_BYTES, WebhookSourceConfig, parse_items, verify
from sbu.core.audit import Actor
from sbu.core.credentials import with_secrets
from sbu.core.errors import InvalidInput, NotFound, Unauthenticated
from sbu.listening.drafts import Rejected
from sbu.listening.services import finish_run, get_source, start_run
from sbu.web.api.schemas import ErrorOut
from sbu.web.deps import AppDep

router = APIRouter(tags=["sources"])


class RejectedOut(BaseModel):
    locator: str = Field(description="Which item: 'item 3' is the third of the request.")
    reason: str


class IngestOut(BaseModel):
    imported: int = Field(description="New mentions stored.")
    duplicates: int = Field(description="Items already stored (same platform and id).")
    rejected: list[RejectedOut] = Field(description="Items that went to the dead letters.")


@router.post(
    "/ingest/{source}",
    response_model=IngestOut,
    status_code=202,
    summary="Push signed posts into a webhook source",
    responses={
        400: {"model": ErrorOut, "description": "The body is not JSON items."},
        401: {"model": ErrorOut, "description": "The signature is missing, wrong or too old."},
        404: {"model": ErrorOut, "description": "No webhook source has this name or id."},
        409: {"model": ErrorOut, "description": "The source is disabled or misconfigured."},
        413: {"model": ErrorOut, "description": "The body is larger than 5 MB."},
        422: {"model": ErrorOut, "description": "The source name is too long."},
    },
)
async def ingest(
    request: Request,
    app: AppDep,
    source: Annotated[str, Path(description="The webhook source's name or id.", max_length=100)],
) -> IngestOut:
    """Store the posts of a request signed with the source's secret (see
    docs/listening/connectors/webhook.md): `X-Sbu-Timestamp` and `X-Sbu-Signature`."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, TOO_LARGE)
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise HTTPException(413, TOO_LARGE)
    return await run_in_threadpool(_store, app, source, request.headers, bytes(body))


TOO_LARGE = f"The body is larger than {MAX_BODY_BYTES:,} bytes: send fewer items per request."


def _store(app: App, name: str, headers: Mapping[str, str], body: bytes) -> IngestOut:
    with app.db.session() as session:
        try:
            found = get_source(session, name)
        except NotFound:
            found = None
        if found is None or found.connector != "webhook":
            raise HTTPException(404, f"There is no webhook source called {name!r}.")
        source_id, source_name, enabled = found.id, found.name, found.enabled
        config_data, sealed = dict(found.config), found.credentials
    if not enabled:
        msg = f"The webhook source {source_name!r} is disabled: enable it to receive posts."
        raise HTTPException(409, msg)
    secrets = app.credentials.open(sealed, owner=f"the source {source_name!r}")
    try:
        config = WebhookSourceConfig.model_validate(with_secrets(config_data, secrets))
    except ValidationError as exc:
        msg = (
            f"The webhook source {source_name!r} is misconfigured ({exc.error_count()} "
            "problems): fix it with `sbu sources edit`."
        )
        raise HTTPException(409, msg) from exc
    try:
        verify(config, headers, body, app.clock.now())
    except Unauthenticated as exc:
        raise HTTPException(401, str(exc)) from exc
    try:
        items, rejected = parse_items(body, config.payload_format)
    except InvalidInput as exc:
        raise HTTPException(400, str(exc)) from exc
    mappers = dict(app.registry.mappers)
    mappers["sbu"] = RecordMapper(config.platform)
    if config.payload_format not in mappers:
        known = ", ".join(sorted(mappers))
        msg = (
            f"The payload format {config.payload_format!r} of this source is unknown (known: "
            f"{known}): fix it with `sbu sources edit`."
        )
        raise HTTPException(409, msg)
    if not items and not rejected:
        return IngestOut(imported=0, duplicates=0, rejected=[])
    actor = Actor("webhook", source_name)
    run_id = start_run(app.db, app.clock, source_id, "pushed")
    result = app.ingest.ingest(source_id, items, rejected=rejected, mappers=mappers)
    finish_run(
        app.db,
        app.clock,
        actor,
        run_id,
        status="completed",
        imported=result.imported,
        duplicates=result.duplicates,
        flagged=sum(1 for m in result.stored if m.duplicate_kind),
        rejected=len(result.rejected),
    )
    return IngestOut(
        imported=result.imported,
        duplicates=result.duplicates,
        rejected=[
            RejectedOut(locator=r.locator, reason=r.reason)
            for r in sorted(result.rejected, key=_position)
        ],
    )


def _position(rejected: Rejected) -> int:
    """The item number of ``item N`` locators, to list rejections in the body's order."""
    number = rejected.locator.removeprefix("item ")
    return int(number) if number.isdigit() else 0
