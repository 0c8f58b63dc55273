"""Where every route is mounted: every one behind the access guard of sbu.web.policy.

The guard looks the route up in :data:`sbu.web.policy.ROUTES` (public, any signed-in member, or
a permission) and refuses routes that are not listed. Static assets are not routes: they are
served without the guard.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI

from sbu.web.api import audit as audit_api
from sbu.web.api import departments as departments_api
from sbu.web.api import docs, health, ingest, me, mentions, sources
from sbu.web.api import members as members_api
from sbu.web.api import search as search_api
from sbu.web.api import topics as topics_api
from sbu.web.pages import (
    account,
    audit,
    departments,
    language,
    members,
    mention,
    missions,
    profile,
    search,
    settings,
    source_pages,
    stream,
    tokens,
    topic_editor,
    topic_history,
    topics,
)
from sbu.web.policy import guard

API_PREFIX = "/api/v1"
API_ROUTERS: tuple[APIRouter, ...] = (
    health.router, me.router, mentions.router, sources.router, departments_api.router,
    members_api.router, audit_api.router, topics_api.router, search_api.router, ingest.router,
    docs.router,
)  # fmt: skip
PAGE_ROUTERS: tuple[APIRouter, ...] = (
    account.router, profile.router, language.router, missions.router, stream.router,
    mention.router, search.router, settings.router, source_pages.router, departments.router,
    members.router, tokens.router, audit.router, topic_editor.router, topics.router,
    topic_history.router,
)  # fmt: skip


def include_routes(web: FastAPI) -> None:
    """Mount every API and page router behind the access guard."""
    guarded = APIRouter(dependencies=[Depends(guard)])
    for api_router in API_ROUTERS:
        guarded.include_router(api_router, prefix=API_PREFIX)
    for page_router in PAGE_ROUTERS:
        guarded.include_router(page_router)
    web.include_router(guarded)
