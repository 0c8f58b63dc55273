"""``create_app(app)``: the FastAPI application serving the pages, the API and the assets.

Nothing is global: the :class:`~sbu.bootstrap.App` given here (its settings, database, clock)
is stored on ``fastapi_app.state.web`` and reached through the dependencies of
:mod:`sbu.web.deps`. The lifespan starts and stops the scheduler when one is given, and closes
nothing it did not open (the caller owns ``app``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from sbu import __version__
from sbu.bootstrap import App
from sbu.db.migrate import head_revision
from sbu.listening.scheduler import Scheduler
from sbu.web.auth import SessionCodec
from sbu.web.deps import WebState
from sbu.web.errors import install_error_handlers
from sbu.web.facets import FacetCache
from sbu.web.locales import load_translations
from sbu.web.policy import route_index
from sbu.web.routes import include_routes
from sbu.web.security import SecurityHeadersMiddleware
from sbu.web.templating import build_languages

STATIC_DIR = Path(__file__).parent / "static"


def create_app(app: App, scheduler: Scheduler | None = None) -> FastAPI:
    """Build the web application around ``app``; start ``scheduler`` while it serves."""

    @asynccontextmanager
    async def lifespan(_web: FastAPI) -> AsyncIterator[None]:
        if scheduler is not None:
            scheduler.start()
        try:
            yield
        finally:
            if scheduler is not None:
                await asyncio.to_thread(scheduler.stop)

    web = FastAPI(
        title="sbu API",
        version=__version__,
        description=(
            "The JSON API of sbu, the platform of a Social Business Unit. "
            "Errors are JSON objects with one sentence in `detail`."
        ),
        openapi_url=None,  # served by sbu.web.api.docs, behind the access guard
        docs_url=None,
        redoc_url=None,
        swagger_ui_oauth2_redirect_url=None,
        lifespan=lifespan,
    )
    web.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    include_routes(web)
    web.state.web = WebState(
        app=app,
        languages=build_languages(load_translations(), app.clock.now),
        head_revision=head_revision(app.db),
        facets=FacetCache(),
        sessions=SessionCodec(app),
        route_paths=route_index(web.routes),
    )
    web.add_middleware(SecurityHeadersMiddleware)
    install_error_handlers(web)
    return web
