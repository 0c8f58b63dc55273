"""Signing in and out, and changing one's password (the profile is in sbu.web.pages.profile)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sbu.core.errors import InvalidInput, Unauthenticated
from sbu.org.services import change_password
from sbu.org.throttle import authenticate
from sbu.web.auth import SessionData, new_csrf
from sbu.web.deps import AppDep, PrincipalDep, StateDep, UiDep
from sbu.web.locales import COOKIE as LANGUAGE_COOKIE
from sbu.web.locales import LANGUAGES, safe_next
from sbu.web.messages import translate
from sbu.web.pages.language import ONE_YEAR
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)


def _login_page(
    request: Request, ui: UiDep, state: StateDep, *, next_page: str, email: str = "",
    error: str | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    existing: str | None = getattr(request.state, "csrf", None)
    fresh = existing is None
    csrf = existing or new_csrf()
    request.state.csrf = csrf
    response = render(request, ui, "account/login.html",
                      {"next": next_page, "email": email, "error": error},
                      status_code=status_code)  # fmt: skip
    if fresh:
        state.sessions.write(request, response, SessionData(None, 0, csrf))
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    ui: UiDep,
    state: StateDep,
    next_page: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> Response:
    if getattr(request.state, "principal", None) is not None:
        return RedirectResponse(safe_next(next_page), status_code=303)
    return _login_page(request, ui, state, next_page=safe_next(next_page))


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    ui: UiDep,
    state: StateDep,
    app: AppDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next_page: Annotated[str, Form(alias="next", max_length=2000)] = "/",
) -> Response:
    target = safe_next(next_page)
    try:
        member = authenticate(app.db, app.clock, app.settings.auth, email, password)
    except Unauthenticated as exc:
        return _login_page(request, ui, state, next_page=target, email=email,
                           error=translate(ui, str(exc)),
                           status_code=401)  # fmt: skip
    response = RedirectResponse(
        "/profile/password" if member.must_change_password else target, status_code=303
    )
    # A new CSRF token at sign-in: a token planted before cannot be reused.
    state.sessions.write(
        request, response, SessionData(member.id, member.session_epoch, new_csrf())
    )
    if member.language in LANGUAGES:  # the member's preferred language, until they switch
        response.set_cookie(LANGUAGE_COOKIE, member.language, max_age=ONE_YEAR, httponly=True,
                            samesite="lax")  # fmt: skip
    return response


@router.post("/logout")
def logout(state: StateDep) -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    state.sessions.clear(response)
    return response


@router.get("/profile/password", response_class=HTMLResponse)
def password_form(request: Request, ui: UiDep, principal: PrincipalDep) -> Response:
    return render(request, ui, "account/password.html",
                  {"forced": principal.must_change_password, "error": None}, section="profile")  # fmt: skip


@router.post("/profile/password", response_class=HTMLResponse)
def password_change(
    request: Request,
    ui: UiDep,
    state: StateDep,
    app: AppDep,
    principal: PrincipalDep,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    confirm: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    error = None
    if new != confirm:
        error = ui.gettext("The two new passwords differ: type the same one twice.")
    else:
        try:
            member = change_password(
                app.db, app.clock, principal.actor, principal.member_id, current=current, new=new
            )
        except InvalidInput as exc:
            error = translate(ui, str(exc))
    if error is not None:
        return render(request, ui, "account/password.html",
                      {"forced": principal.must_change_password, "error": error},
                      status_code=400, section="profile")  # fmt: skip
    response = RedirectResponse("/profile?done=password", status_code=303)
    # Every other session of the member ended; this one continues with the new epoch.
    state.sessions.write(
        request, response, SessionData(member.id, member.session_epoch, new_csrf())
    )
    return response
