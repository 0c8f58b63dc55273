"""OpenAPI descriptions of the errors the organisation's routes answer with.

The errors themselves are turned into JSON ``{"detail": "<sentence>"}`` by
:func:`sbu.web.errors.service_error`, from the exceptions the services raise.
"""

from __future__ import annotations

from typing import Any

from sbu.web.api.schemas import ErrorOut

SERVICE_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "A value cannot be used; see the detail."},
    403: {"model": ErrorOut, "description": "Your role or your token's scopes do not allow this."},
    404: {"model": ErrorOut, "description": "Nothing has this id."},
    409: {
        "model": ErrorOut,
        "description": "The change conflicts with what exists (a name in use).",
    },
    422: {"model": ErrorOut, "description": "The body or a parameter has the wrong shape."},
}
