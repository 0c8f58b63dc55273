"""The profile: one's own details and language, and one's own API tokens (created, shown once,
revoked). Changing the password is in sbu.web.pages.account."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from sbu.core.errors import Forbidden, NotFound, SbuError
from sbu.org.api_tokens import create_token, revoke_token
from sbu.org.models import ApiToken, Department, Member
from sbu.org.queries import tokens_of
from sbu.org.roles import Role
from sbu.org.services import DEFAULT_TOKEN_DAYS, update_member
from sbu.org.tokens import SCOPES
from sbu.web.auth import Principal
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.errors import service_status
from sbu.web.forms import FormError, no_store, whole_number
from sbu.web.locales import COOKIE, LANGUAGES
from sbu.web.messages import translate
from sbu.web.pages.language import ONE_YEAR
from sbu.web.templating import UiLanguage, render

router = APIRouter(include_in_schema=False)
TokenId = Annotated[int, Path(ge=1, le=2**53)]


class DetailsForm(BaseModel):
    name: str = Field(default="", max_length=300)
    language: str = Field(default="", max_length=8)


class TokenForm(BaseModel):
    name: str = Field(default="", max_length=200)
    scopes: list[str] = Field(default_factory=list, max_length=3)
    days: str = Field(default=str(DEFAULT_TOKEN_DAYS), max_length=10)


def allowed_scopes(role: str) -> list[str]:
    """The admin scope is offered to administrators and SBU leads only."""
    return [s for s in SCOPES if s != "admin" or role in (Role.ADMIN, Role.SBU_LEAD)]


def _profile(
    request: Request, ui: UiLanguage, session: Session, principal: Principal, now: datetime, *,
    details: dict[str, Any] | None = None, token_form: dict[str, Any] | None = None,
    details_error: str | None = None, token_error: str | None = None,
    created: tuple[ApiToken, str] | None = None, status_code: int = 200,
) -> Response:  # fmt: skip
    member = session.get(Member, principal.member_id)
    assert member is not None  # the guard let a signed-in, existing member in
    department = session.get(Department, member.department_id) if member.department_id else None
    context = {
        "member": member,
        "department": department.name if department else None,
        "details": details or {"name": member.name, "language": member.language or ""},
        "languages": LANGUAGES,
        "tokens": [token for token, _email in tokens_of(session, member.id)],
        "token_form": token_form
        or {"name": "", "scopes": ["read"], "days": str(DEFAULT_TOKEN_DAYS)},
        "scopes": allowed_scopes(member.role),
        "details_error": details_error,
        "token_error": token_error,
        "created": created,
        "now": now,
        "done": request.query_params.get("done"),
        "never_expires_allowed": member.role == Role.ADMIN,
    }
    return render(request, ui, "account/profile.html", context, status_code=status_code,
                  section="profile")  # fmt: skip


@router.get("/profile", response_class=HTMLResponse)
def profile(
    request: Request, app: AppDep, ui: UiDep, session: SessionDep, principal: PrincipalDep
) -> Response:
    return _profile(request, ui, session, principal, app.clock.now())


@router.post("/profile", response_class=HTMLResponse)
def save_details(
    request: Request, app: AppDep, ui: UiDep, session: SessionDep, principal: PrincipalDep,
    form: Annotated[DetailsForm, Form()],
) -> Response:  # fmt: skip
    language = form.language if form.language in LANGUAGES else ""
    try:
        update_member(app.db, app.clock, principal.actor, principal.member_id, name=form.name,
                      language=language)  # fmt: skip
    except SbuError as exc:
        return _profile(request, ui, session, principal, app.clock.now(), details=form.model_dump(),
                        details_error=translate(ui, str(exc)), status_code=service_status(exc))  # fmt: skip
    response = RedirectResponse("/profile?done=details", status_code=303)
    if language:  # the language switch's cookie follows the preference
        response.set_cookie(COOKIE, language, max_age=ONE_YEAR, httponly=True, samesite="lax")
    else:
        response.delete_cookie(COOKIE)
    return response


@router.post("/profile/tokens", response_class=HTMLResponse)
def create_own_token(
    request: Request, app: AppDep, ui: UiDep, session: SessionDep, principal: PrincipalDep,
    form: Annotated[TokenForm, Form()],
) -> Response:  # fmt: skip
    """Create a token: its value is in this response only (never stored, never shown again)."""
    now = app.clock.now()
    try:
        days = whole_number(ui, form.days, ui.gettext("The number of days"))
        created = create_token(app.db, app.clock, principal.actor, principal.member_id,
                               name=form.name, scopes=form.scopes, days=days)  # fmt: skip
    except FormError as exc:
        return _profile(request, ui, session, principal, now, token_form=form.model_dump(),
                        token_error=exc.message, status_code=400)  # fmt: skip
    except SbuError as exc:
        return _profile(request, ui, session, principal, now, token_form=form.model_dump(),
                        token_error=translate(ui, str(exc)), status_code=service_status(exc))  # fmt: skip
    session.expire_all()  # list the new token too
    return no_store(_profile(request, ui, session, principal, now, created=created))


@router.post("/profile/tokens/{token_id}/revoke", response_class=HTMLResponse)
def revoke_own_token(
    app: AppDep, session: SessionDep, principal: PrincipalDep, token_id: TokenId
) -> Response:
    """Revoke one of one's own tokens (other members' tokens: Settings → API tokens)."""
    token = session.get(ApiToken, token_id)
    if token is None:
        msg = f"There is no API token {token_id}."
        raise NotFound(msg)
    if token.member_id != principal.member_id:
        msg = "You may manage only your own API tokens: ask an administrator for the others."
        raise Forbidden(msg)
    revoke_token(app.db, app.clock, principal.actor, token_id)
    return RedirectResponse("/profile?done=revoked", status_code=303)
