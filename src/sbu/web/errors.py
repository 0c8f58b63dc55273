"""Errors as the user's language and the client's kind expect them.

Under ``/api/`` every error is JSON ``{"detail": "<sentence>"}``; elsewhere it is an HTML page
(404, 500...) in the request's language. Validation errors become one sentence naming the
parameter and saying what to send instead. Errors the services raise on purpose
(:mod:`sbu.core.errors`) keep their sentence and get their HTTP status here: not found 404,
invalid input 400, conflict 409, forbidden 403, unauthenticated 401.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from sbu.core.errors import Conflict, Forbidden, InvalidInput, NotFound, SbuError, Unauthenticated
from sbu.web.deps import ui_language
from sbu.web.messages import N_, translate
from sbu.web.security import apply_security_headers
from sbu.web.templating import render

log = logging.getLogger(__name__)


FORM_UNREADABLE = N_(
    "A field of this form is too long or cannot be read, so nothing was changed: go back, "
    "shorten it and send the form again."
)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def validation_sentence(exc: RequestValidationError) -> str:
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(part) for part in first.get("loc", ())]
    where = location[0] if location else "request"
    name = ".".join(location[1:]) or where
    problem = str(first.get("msg", "is not valid")).rstrip(".")
    return (
        f"The {where} parameter '{name}' is not valid ({problem}): fix it and send the "
        "request again; /api/v1/docs describes every parameter."
    )


def _html_error(request: Request, status: int, message: str | None) -> Response:
    ui = ui_language(request)
    template = "errors/404.html" if status == 404 else "errors/error.html"
    return render(request, ui, template, {"status": status, "message": message}, status_code=status)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if is_api(request):
        detail = exc.detail if exc.status_code != 404 or exc.detail != "Not Found" else None
        detail = detail or (
            f"There is no API route at {request.url.path}: /api/v1/docs lists the routes."
        )
        return JSONResponse({"detail": str(detail)}, status_code=exc.status_code, headers=headers)
    message = None if exc.detail in ("Not Found", "Method Not Allowed") else str(exc.detail)
    if message is not None:
        message = translate(ui_language(request), message)
    response = _html_error(request, exc.status_code, message)
    response.headers.update(headers)
    return response


#: HTTP status of each error the services raise on purpose (the first matching class wins).
SERVICE_STATUS: tuple[tuple[type[SbuError], int], ...] = (
    (NotFound, 404),
    (Conflict, 409),
    (Forbidden, 403),
    (Unauthenticated, 401),
    (InvalidInput, 400),
)


def service_status(exc: SbuError) -> int:
    for kind, status in SERVICE_STATUS:
        if isinstance(exc, kind):
            return status
    return 500


async def service_error(request: Request, exc: Exception) -> Response:
    """A service refused (not found, invalid, conflict, forbidden): its sentence and status."""
    assert isinstance(exc, SbuError)
    status = service_status(exc)
    if status == 500:
        return await server_error(request, exc)
    if is_api(request):
        return JSONResponse({"detail": str(exc)}, status_code=status)
    return _html_error(request, status, translate(ui_language(request), str(exc)))


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        return JSONResponse({"detail": validation_sentence(exc)}, status_code=422)
    if any(error.get("loc", ("",))[0] == "body" for error in exc.errors()):
        ui = ui_language(request)
        return _html_error(request, 400, ui.gettext(FORM_UNREADABLE))
    # Otherwise a path parameter of a page is wrong (/listening/mentions/abc): such an
    # address names no page.
    return _html_error(request, 404, None)


async def server_error(request: Request, exc: Exception) -> Response:
    log.exception("Unexpected error on %s %s", request.method, request.url.path, exc_info=exc)
    if is_api(request):
        response: Response = JSONResponse(
            {
                "detail": "The server failed to answer this request: try again, and if it keeps "
                "failing, tell your administrator (the server log has the details)."
            },
            status_code=500,
        )
    else:
        try:
            response = _html_error(request, 500, None)
        except Exception:
            log.exception("The error page itself failed")
            response = Response("Internal server error.", status_code=500, media_type="text/plain")
    # The 500 response leaves from outside the middleware stack: add the headers here too.
    apply_security_headers(response.headers)
    return response


async def redirect(request: Request, exc: Exception) -> Response:
    from sbu.web.policy import RedirectTo

    assert isinstance(exc, RedirectTo)
    response = RedirectResponse(exc.location, status_code=303)
    apply_security_headers(response.headers)
    return response


def install_error_handlers(web: FastAPI) -> None:
    from sbu.web.policy import RedirectTo

    web.add_exception_handler(RedirectTo, redirect)
    web.add_exception_handler(HTTPException, http_error)
    web.add_exception_handler(SbuError, service_error)
    web.add_exception_handler(RequestValidationError, validation_error)
    web.add_exception_handler(Exception, server_error)
