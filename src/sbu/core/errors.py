"""The one exception tree of sbu.

Adapters translate foreign exceptions (HTTP, database, parsers) into these at the boundary, so
callers deal with a small, stable vocabulary. Every message is a full sentence that says what is
wrong and what to do next: it is shown to users as is.
"""

from __future__ import annotations


class SbuError(Exception):
    """Base of every error sbu raises on purpose."""


class ConfigError(SbuError):
    """The configuration is invalid or incomplete."""


class NotFound(SbuError):
    """The requested object does not exist."""


class Conflict(SbuError):
    """The change conflicts with the current state (for example a name already in use)."""


class InvalidInput(SbuError):
    """Input given by a user or a file is invalid."""


class BadPayload(InvalidInput):
    """An item from a platform or a file cannot be mapped to a mention."""


class ConnectorError(SbuError):
    """A connector could not talk to its platform."""


class AuthFailed(ConnectorError):
    """The platform refused the credentials."""


class RateLimited(ConnectorError):
    """The platform asks us to slow down."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Transient(ConnectorError):
    """A temporary failure (network, 5xx): retrying later may work."""


class Unauthenticated(SbuError):
    """The request carries no valid session or token (HTTP 401)."""


class Forbidden(SbuError):
    """The member is signed in but may not do this (HTTP 403)."""
