"""``/language``: the language switch. Sets a cookie, then goes back to a page of this site."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import RedirectResponse

from sbu.web.locales import COOKIE, LANGUAGES, safe_next

router = APIRouter(include_in_schema=False)
ONE_YEAR = 365 * 24 * 3600


@router.get("/language")
def switch_language(
    lang: Annotated[str, Query(max_length=8)] = "",
    next_page: Annotated[str, Query(alias="next", max_length=2000)] = "/",
) -> RedirectResponse:
    """Remember ``lang`` (when we speak it) and redirect to ``next`` when it is a local path."""
    response = RedirectResponse(safe_next(next_page), status_code=303)
    if lang in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=ONE_YEAR, httponly=True, samesite="lax")
    return response
