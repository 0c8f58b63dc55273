"""Where every route is mounted: one place to protect them all.

Authentication arrives in the next release: it will add ONE dependency to :data:`PROTECTED`,
and every page and API route mounted by :func:`include_routes` will require it. Public on
purpose: the health check (load balancers), the language switch (the login page will need it),
the static assets, and the OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.params import Depends

from sbu.web.api import docs, health, mentions, sources
from sbu.web.pages import language, mention, missions, settings, stream

API_PREFIX = "/api/v1"
#: The dependencies every protected route runs (empty until authentication exists).
PROTECTED: tuple[Depends, ...] = ()


def include_routes(web: FastAPI, protected: Sequence[Any] | None = None) -> None:
    """Mount the public routes, then every other route behind ``protected`` (:data:`PROTECTED`)."""
    if protected is None:
        protected = PROTECTED
    web.include_router(health.router, prefix=API_PREFIX)
    web.include_router(language.router)

    guarded = APIRouter(dependencies=list(protected))
    for api_router in (mentions.router, sources.router, docs.router):
        guarded.include_router(api_router, prefix=API_PREFIX)
    for page_router in (missions.router, stream.router, mention.router, settings.router):
        guarded.include_router(page_router)
    web.include_router(guarded)
