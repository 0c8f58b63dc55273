"""Settings → API tokens: every member's tokens, for administrators (tokens.manage_all)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sbu.org.api_tokens import revoke_token
from sbu.org.queries import tokens_of
from sbu.web.deps import AppDep, PrincipalDep, SessionDep, UiDep
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)
TokenId = Annotated[int, Path(ge=1, le=2**53)]


@router.get("/settings/tokens", response_class=HTMLResponse)
def tokens_page(request: Request, app: AppDep, session: SessionDep, ui: UiDep) -> Response:
    return render(request, ui, "settings/tokens.html",
                  {"rows": tokens_of(session), "now": app.clock.now(),
                   "done": request.query_params.get("done")},
                  section="settings")  # fmt: skip


@router.post("/settings/tokens/{token_id}/revoke")
def revoke_any_token(app: AppDep, principal: PrincipalDep, token_id: TokenId) -> Response:
    """Revoke any member's token; an unknown id is a 404 page."""
    revoke_token(app.db, app.clock, principal.actor, token_id)
    return RedirectResponse("/settings/tokens?done=revoked", status_code=303)
