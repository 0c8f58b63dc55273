"""FastAPI dependencies: the application, a read session and the UI language of a request.

Everything comes from the :class:`~sbu.bootstrap.App` that :func:`sbu.web.app.create_app` stores on
``fastapi_app.state``; nothing here is global. Routes declare what they need with the
``Annotated`` aliases (``AppDep``, ``SessionDep``, ``UiDep``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session
from starlette.requests import HTTPConnection

from sbu.bootstrap import App
from sbu.web.auth import Principal, SessionCodec
from sbu.web.facets import FacetCache
from sbu.web.locales import COOKIE, choose_language
from sbu.web.templating import UiLanguage


@dataclass(frozen=True, slots=True)
class WebState:
    """What the web app keeps for its lifetime, on ``fastapi_app.state.web``."""

    app: App
    languages: dict[str, UiLanguage]
    #: The newest schema revision this code knows (read once: it never changes at runtime).
    head_revision: str | None
    #: The Stream's filter menus, recomputed every few seconds at most.
    facets: FacetCache
    #: Signs and reads the session cookie.
    sessions: SessionCodec
    #: Full path (prefixes included) of each route object, for the access guard.
    route_paths: dict[int, str]


def web_state(connection: HTTPConnection) -> WebState:
    state: WebState = connection.app.state.web
    return state


def get_app(connection: HTTPConnection) -> App:
    return web_state(connection).app


def get_session(app: Annotated[App, Depends(get_app)]) -> Iterator[Session]:
    """One read session per request, closed (and rolled back) when the response is done."""
    with app.db.session() as session:
        yield session


def ui_language(connection: HTTPConnection) -> UiLanguage:
    """The language of the request: the switch's cookie, else the signed-in member's preference,
    else Accept-Language, else the default."""
    state = web_state(connection)
    principal: Principal | None = getattr(connection.state, "principal", None)
    code = choose_language(
        connection.cookies.get(COOKIE) or (principal.language if principal else None),
        connection.headers.get("accept-language"),
        state.app.settings.web.default_language,
    )
    return state.languages[code]


def current_principal(connection: HTTPConnection) -> Principal:
    """The signed-in member; the guard (sbu.web.policy) has already refused anonymous callers."""
    principal: Principal | None = getattr(connection.state, "principal", None)
    if principal is None:  # pragma: no cover - only on a route the policy marks public
        msg = "This route needs a signed-in member."
        raise RuntimeError(msg)
    return principal


AppDep = Annotated[App, Depends(get_app)]
PrincipalDep = Annotated[Principal, Depends(current_principal)]
SessionDep = Annotated[Session, Depends(get_session)]
UiDep = Annotated[UiLanguage, Depends(ui_language)]
StateDep = Annotated[WebState, Depends(web_state)]
