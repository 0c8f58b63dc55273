"""The configuration of a Mastodon source, and what it asks of the instance.

:class:`MastodonSourceConfig` validates what a person enters (the instance's address, the
timeline, a hashtag or a query, a token, the page size, the lookback, and whether the source is
polled or streamed) with sentences that say what to do. Its methods name the REST and streaming
endpoints of the chosen timeline and the headers that carry the token.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import (
    https_address,
    one_of,
    optional_secret,
    page_size,
    short_query,
)

Timeline = Literal["public", "local", "hashtag", "search"]
TIMELINES: tuple[Timeline, ...] = ("public", "local", "hashtag", "search")
#: Mastodon serves at most 40 statuses a page.
MAX_LIMIT = 40
MAX_LOOKBACK_MINUTES = 120
_HASHTAG = re.compile(r"[\w\u00b7\u200c]+")


class MastodonSourceConfig(BaseModel):
    """Which instance and which of its timelines a Mastodon source reads."""

    model_config = ConfigDict(extra="forbid")

    #: The instance's address, for example https://mastodon.social.
    instance: str
    timeline: Timeline = "public"
    #: For ``timeline=hashtag``: the tag, without ``#``.
    hashtag: str | None = None
    #: For ``timeline=search``: the words to search.
    query: str | None = None
    #: A token of an account on the instance (read:statuses; write:statuses to reply).
    access_token: SecretStr | None = None
    #: Statuses per page (Mastodon serves at most 40).
    limit: int = MAX_LIMIT
    #: Each poll reads this much of the timeline again, for statuses that federate late.
    lookback_minutes: int = 5
    #: Follow the timeline live through the streaming API instead of polling; searches cannot
    #: stream.
    stream: bool = False

    # Messages end without a full stop: sbu lists them after "is invalid: instance: ...".
    @field_validator("instance")
    @classmethod
    def _instance(cls, value: str) -> str:
        text = value.strip()
        parts = https_address(text)
        example = "for example https://mastodon.social"
        if parts.scheme.lower() != "https" or not parts.hostname:
            raise PydanticCustomError(
                "mastodon_instance",
                "the instance {value} is not an https:// address: give the address of the "
                "Mastodon server, " + example,
                {"value": repr(text[:200])},
            )
        if parts.username or parts.password or parts.query or parts.fragment:
            raise PydanticCustomError(
                "mastodon_instance",
                "the instance {value} carries a name, a password, a query or a fragment: give "
                "only the server's address, " + example + " (a token goes in access_token)",
                {"value": repr(text[:200])},
            )
        if parts.path.strip("/"):
            raise PydanticCustomError(
                "mastodon_instance",
                "the instance {value} has a path ({path}): give only the server's address, "
                + example
                + ", and choose the timeline with timeline and hashtag",
                {"value": repr(text[:200]), "path": repr(parts.path)},
            )
        try:
            port_number = parts.port
        except ValueError:
            raise PydanticCustomError(
                "mastodon_instance",
                "the instance {value} has a port that is not a number: " + example,
                {"value": repr(text[:200])},
            ) from None
        host = parts.hostname.lower()
        host = f"[{host}]" if ":" in host else host
        port = f":{port_number}" if port_number not in (None, 443) else ""
        return f"https://{host}{port}"

    @field_validator("timeline", mode="before")
    @classmethod
    def _timeline(cls, value: Any) -> Any:
        return one_of(
            value,
            TIMELINES,
            code="mastodon_timeline",
            message="the timeline {value} is not one sbu reads: use public, local, hashtag or "
            "search",
        )

    @field_validator("hashtag")
    @classmethod
    def _hashtag(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        tag = value.strip().removeprefix("#")
        if not _HASHTAG.fullmatch(tag) or tag.isdigit() or len(tag) > 100:
            raise PydanticCustomError(
                "mastodon_hashtag",
                "the hashtag {value} is not a Mastodon hashtag: give one tag of letters, digits "
                "and underscores, not only digits, for example telecomouest",
                {"value": repr(value[:120])},
            )
        return tag

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        return short_query(value, code="mastodon_query")

    @field_validator("access_token")
    @classmethod
    def _token(cls, value: SecretStr | None) -> SecretStr | None:
        return optional_secret(value)

    @field_validator("limit")
    @classmethod
    def _limit(cls, value: int) -> int:
        return page_size(
            value, code="mastodon_limit", most=MAX_LIMIT, platform="Mastodon", things="statuses"
        )

    @field_validator("lookback_minutes")
    @classmethod
    def _lookback(cls, value: int) -> int:
        if not 0 <= value <= MAX_LOOKBACK_MINUTES:
            raise PydanticCustomError(
                "mastodon_lookback",
                "the lookback of {value} minutes is out of range: use 0 to 120 minutes",
                {"value": value},
            )
        return value

    @model_validator(mode="after")
    def _timeline_needs(self) -> MastodonSourceConfig:
        if self.timeline == "hashtag" and self.hashtag is None:
            raise PydanticCustomError(
                "mastodon_hashtag_missing",
                "the hashtag timeline needs a hashtag: add hashtag=yourtag (without #)",
            )
        if self.timeline != "hashtag" and self.hashtag is not None:
            raise PydanticCustomError(
                "mastodon_hashtag_unused",
                "a hashtag is only read with timeline=hashtag: set timeline=hashtag or remove "
                "the hashtag",
            )
        if self.timeline == "search" and self.query is None:
            raise PydanticCustomError(
                "mastodon_query_missing",
                "the search timeline needs a query: add query=your words",
            )
        if self.timeline != "search" and self.query is not None:
            raise PydanticCustomError(
                "mastodon_query_unused",
                "a query is only used with timeline=search: set timeline=search or remove the "
                "query",
            )
        if self.timeline == "search" and self.stream:
            raise PydanticCustomError(
                "mastodon_search_stream",
                "Mastodon has no stream for searches: set stream=false to poll the search, or "
                "stream a hashtag or the public or local timeline",
            )
        if self.timeline == "search" and self.access_token is None:
            raise PydanticCustomError(
                "mastodon_search_token",
                "Mastodon only searches statuses for a signed-in account: add the "
                "access_token of an account on this instance (scope read:search)",
            )
        return self

    @property
    def host(self) -> str:
        return urlsplit(self.instance).netloc

    def describe(self) -> str:
        """The timeline in words, for messages and locators."""
        if self.timeline == "hashtag":
            return f"the #{self.hashtag} timeline of {self.instance}"
        if self.timeline == "search":
            return f"the search {self.query!r} on {self.instance}"
        return f"the {self.timeline} timeline of {self.instance}"

    def lookback(self) -> timedelta:
        """How much of the timeline each poll reads again. Local statuses get their id when
        they are posted, so the local timeline has no late statuses and no lookback."""
        if self.timeline == "local":
            return timedelta(0)
        return timedelta(minutes=self.lookback_minutes)

    def rest_request(self) -> tuple[str, dict[str, Any]]:
        """The REST path and parameters of the timeline (without paging)."""
        limit = {"limit": self.limit}
        if self.timeline == "local":
            return "/api/v1/timelines/public", {"local": "true", **limit}
        if self.timeline == "hashtag":
            return f"/api/v1/timelines/tag/{quote(self.hashtag or '', safe='')}", limit
        if self.timeline == "search":
            return "/api/v2/search", {
                "q": self.query,
                "type": "statuses",
                "resolve": "false",
                **limit,
            }
        return "/api/v1/timelines/public", limit

    def stream_request(self) -> tuple[str, dict[str, Any]]:
        """The streaming path and parameters of the timeline (searches have none)."""
        if self.timeline == "local":
            return "/api/v1/streaming/public/local", {}
        if self.timeline == "hashtag":
            return "/api/v1/streaming/hashtag", {"tag": self.hashtag}
        return "/api/v1/streaming/public", {}

    def auth_headers(self) -> Callable[[], Mapping[str, str]]:
        """The headers that carry the token (none without one), for the API clients."""
        token = self.access_token

        def headers() -> dict[str, str]:
            if token is None:
                return {}
            return {"Authorization": f"Bearer {token.get_secret_value()}"}

        return headers
