"""What an owned-channel source needs: the page or account, a token, and which posts to watch.

The ``facebook``, ``instagram`` and ``linkedin`` connectors share :class:`OwnedSourceConfig`
(the token, when it expires, how many recent posts to watch, whether the posts themselves
become mentions); each adds the id of what it reads. Every mistake is refused with a sentence
before anything is saved; messages end without a full stop (sbu lists them after "is invalid:
page_id: ...") and never quote the token.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import required_secret

#: Graph API and LinkedIn ids are decimal numbers.
NUMERIC_ID = re.compile(r"[0-9]{1,30}", re.ASCII)
#: LinkedIn-Version: a month, YYYYMM.
VERSION = re.compile(r"(20[2-9][0-9])(0[1-9]|1[0-2])", re.ASCII)
MAX_POSTS = 100
ORGANIZATION_URN = "urn:li:organization:"


class OwnedSourceConfig(BaseModel):
    """The settings every owned-channel source has."""

    model_config = ConfigDict(extra="forbid")

    access_token: SecretStr
    #: When the token expires, if known (shown on the Sources page, and alerted before).
    token_expires_at: datetime | None = None
    #: How many of the most recent posts have their comments read at each poll.
    posts_to_watch: int = 20
    #: Only posts published in the last this many days are watched.
    watch_days: int = 30
    #: The page's own posts become mentions too (not only the comments on them).
    include_posts: bool = False

    @field_validator("access_token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        secret = required_secret(
            value,
            code="owned_token",
            message="the access token is empty: paste the token the connector's page tells how "
            "to create",
            schemes=("bearer", "oauth"),
        )
        token = secret.get_secret_value()
        if any(c.isspace() for c in token) or not token.isascii():
            raise PydanticCustomError(
                "owned_token",
                "the access token holds spaces or non-ASCII characters: paste the token alone, "
                "as the platform shows it",
            )
        return secret

    @field_validator("token_expires_at")
    @classmethod
    def _expiry(cls, value: datetime | None) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)

    @field_validator("posts_to_watch")
    @classmethod
    def _posts(cls, value: int) -> int:
        if not 1 <= value <= MAX_POSTS:
            raise PydanticCustomError(
                "owned_posts",
                "posts_to_watch is {value}: watch from 1 to {most} recent posts (each costs one "
                "request per poll)",
                {"value": value, "most": MAX_POSTS},
            )
        return value

    @field_validator("watch_days")
    @classmethod
    def _days(cls, value: int) -> int:
        if not 1 <= value <= 3650:
            raise PydanticCustomError(
                "owned_days",
                "watch_days is {value}: give a number of days from 1 to 3650, such as 30",
                {"value": value},
            )
        return value


class FacebookSourceConfig(OwnedSourceConfig):
    """A Facebook Page, read with a Page access token."""

    page_id: str

    @field_validator("page_id", mode="before")
    @classmethod
    def _page(cls, value: Any) -> str:
        return _numeric(
            value,
            "the Page id {value} is not a number: give the Page's numeric id (the Page's About "
            "section, Page transparency, or GET /me with the Page token)",
        )


class InstagramSourceConfig(OwnedSourceConfig):
    """An Instagram professional account linked to a Facebook Page."""

    account_id: str

    @field_validator("account_id", mode="before")
    @classmethod
    def _account(cls, value: Any) -> str:
        return _numeric(
            value,
            "the Instagram account id {value} is not a number: give the id of the Instagram "
            "professional account as GET /<page-id>?fields=instagram_business_account "
            "returns it, not the @username",
        )


class LinkedInSourceConfig(OwnedSourceConfig):
    """A LinkedIn organization (company page), read with a member's 3-legged OAuth token."""

    organization_id: str
    #: The LinkedIn-Version header: the month of the API version (YYYYMM).
    linkedin_version: str = "202411"

    @field_validator("organization_id", mode="before")
    @classmethod
    def _organization(cls, value: Any) -> str:
        if isinstance(value, str) and value.strip().startswith(ORGANIZATION_URN):
            value = value.strip().removeprefix(ORGANIZATION_URN)
        return _numeric(
            value,
            "the organization id {value} is not a number: give the number in the page's admin "
            "address (linkedin.com/company/12345678/admin) or its urn:li:organization:12345678",
        )

    @field_validator("linkedin_version", mode="before")
    @classmethod
    def _version(cls, value: Any) -> str:
        text = str(value).strip().replace("-", "") if isinstance(value, str | int) else ""
        if not VERSION.fullmatch(text):
            raise PydanticCustomError(
                "linkedin_version",
                "the LinkedIn version {value} is not a month written YYYYMM: use an active "
                "version from LinkedIn's versioning page, such as 202411",
                {"value": repr(value)[:40]},
            )
        return text

    @property
    def organization_urn(self) -> str:
        return f"{ORGANIZATION_URN}{self.organization_id}"


def _numeric(value: Any, message: str) -> str:
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not NUMERIC_ID.fullmatch(text):
        raise PydanticCustomError("owned_id", message, {"value": repr(value)[:60]})
    return text
