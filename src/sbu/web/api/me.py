"""``/api/v1/me`` and ``/api/v1/tokens``: who is calling, and the caller's own API tokens."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response
from sqlalchemy.orm import Session

from sbu.core.errors import Forbidden, NotFound
from sbu.org.api_tokens import create_token, revoke_token
from sbu.org.models import ApiToken, Member
from sbu.org.queries import tokens_of
from sbu.org.roles import Permission, allows, permissions_of
from sbu.org.services import update_member
from sbu.web.api.errors import SERVICE_ERRORS
from sbu.web.api.org_schemas import (
    MeOut,
    MePatch,
    TokenCreatedOut,
    TokenIn,
    TokenOut,
    token_out,
)
from sbu.web.auth import Principal
from sbu.web.deps import AppDep, PrincipalDep, SessionDep

router = APIRouter(tags=["me"])
TokenId = Annotated[int, Path(ge=1, le=2**53, description="The token's id.")]


def me_out(session: Session, principal: Principal) -> MeOut:
    member = session.get(Member, principal.member_id)
    assert member is not None  # the guard found this member a moment ago
    return MeOut(
        id=member.id, name=member.name, email=member.email,
        role=member.role,
        department_id=member.department_id, language=member.language or None,
        last_login_at=member.last_login_at,
        permissions=sorted(p.value for p in permissions_of(member.role)),
        via=principal.via,
        scopes=sorted(principal.scopes) if principal.scopes is not None else None,
    )  # fmt: skip


@router.get("/me", response_model=MeOut, summary="Who is calling")
def me(session: SessionDep, principal: PrincipalDep) -> MeOut:
    """The signed-in member (or the owner of the API token), their role and permissions."""
    return me_out(session, principal)


@router.patch("/me", response_model=MeOut, summary="Change one's name or language",
              responses=SERVICE_ERRORS)  # fmt: skip
def patch_me(app: AppDep, session: SessionDep, principal: PrincipalDep, body: MePatch) -> MeOut:
    """Members change their own name and UI language; the rest is changed by a manager."""
    update_member(app.db, app.clock, principal.actor, principal.member_id, name=body.name,
                  language=body.language)  # fmt: skip
    session.expire_all()
    return me_out(session, principal)


@router.get("/tokens", response_model=list[TokenOut], summary="List one's API tokens")
def list_tokens(session: SessionDep, principal: PrincipalDep) -> list[TokenOut]:
    """The caller's own tokens, newest first (never their values: those are shown once)."""
    return [token_out(token) for token, _email in tokens_of(session, principal.member_id)]


@router.post("/tokens", response_model=TokenCreatedOut, status_code=201,
             summary="Create an API token", responses=SERVICE_ERRORS)  # fmt: skip
def post_token(app: AppDep, principal: PrincipalDep, body: TokenIn) -> TokenCreatedOut:
    """A new token for the caller; ``token`` is in this response only. The admin scope is for
    administrators and SBU leads; a token that never expires (``days: 0``) for administrators."""
    token, value = create_token(app.db, app.clock, principal.actor, principal.member_id,
                                name=body.name, scopes=list(body.scopes), days=body.days)  # fmt: skip
    return TokenCreatedOut(**token_out(token).model_dump(), token=value)


@router.delete("/tokens/{token_id}", status_code=204, summary="Revoke an API token",
               responses=SERVICE_ERRORS)  # fmt: skip
def delete_token(
    app: AppDep, session: SessionDep, principal: PrincipalDep, token_id: TokenId
) -> Response:
    """Revoke one of the caller's tokens; administrators may revoke anyone's (with the admin
    scope when they call with a token). Revoking a revoked token changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None:
        msg = f"There is no API token {token_id}: list yours with GET /api/v1/tokens."
        raise NotFound(msg)
    owner = token.member_id
    if owner != principal.member_id and not allows(
        principal.role, Permission.TOKENS_MANAGE_ALL, principal.scopes
    ):
        msg = "You may revoke only your own API tokens (other members' need an administrator's admin-scoped token)."
        raise Forbidden(msg)
    revoke_token(app.db, app.clock, principal.actor, token_id)
    return Response(status_code=204)
