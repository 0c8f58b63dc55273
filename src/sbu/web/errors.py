"""Errors as the user's language and the client's kind expect them.

Under ``/api/`` every error is JSON ``{"detail": "<sentence>"}``; elsewhere it is an HTML page
(404, 500...) in the request's language. Validation errors become one sentence naming the
parameter and saying what to send instead.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from sbu.web.deps import ui_language
from sbu.web.security import apply_security_headers
from sbu.web.templating import render

log = logging.getLogger(__name__)


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
    response = _html_error(request, exc.status_code, message)
    response.headers.update(headers)
    return response


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    if is_api(request):
        return JSONResponse({"detail": validation_sentence(exc)}, status_code=422)
    # Only path parameters of pages are validated by FastAPI (/listening/mentions/abc):
    # such an address names no page.
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


def install_error_handlers(web: FastAPI) -> None:
    web.add_exception_handler(HTTPException, http_error)
    web.add_exception_handler(RequestValidationError, validation_error)
    web.add_exception_handler(Exception, server_error)
