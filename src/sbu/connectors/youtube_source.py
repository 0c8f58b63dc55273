"""What a YouTube source needs: a channel or a search, an API key and a quota budget.

Every mistake is refused with a sentence before anything is saved. A channel may be given by
its id (``UC`` and 22 characters), its handle (``@telecomouest``) or the address of its page
(``https://www.youtube.com/@telecomouest``, ``https://www.youtube.com/channel/UC…``). Messages
end without a full stop (sbu lists them after "is invalid: channel_id: ...") and never quote a
secret.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Self
from urllib.parse import unquote

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import (
    folded,
    https_address,
    one_of,
    optional_secret,
    required_secret,
)
from sbu.connectors.youtube_quota import COSTS, DEFAULT_DAILY_QUOTA, USABLE_SHARE

CHANNEL_ID = re.compile(r"UC[A-Za-z0-9_-]{22}", re.ASCII)
#: Handles: 3 to 30 letters (of any script), digits, underscores, hyphens and periods.
HANDLE = re.compile(r"@[\w.\-]{3,30}")
API_KEY = re.compile(r"[A-Za-z0-9_\-]{20,100}", re.ASCII)
OAUTH_CLIENT_ID = re.compile(r"[0-9]+-[A-Za-z0-9_]+\.apps\.googleusercontent\.com", re.ASCII)
REGION_CODE = re.compile(r"[A-Za-z]{2}", re.ASCII)
LANGUAGE = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z]{2,4})?", re.ASCII)
MAX_QUERY_CHARS = 500
YOUTUBE_HOSTS = frozenset({"youtube.com", "www.youtube.com", "m.youtube.com"})
CREDENTIALS_PAGE = "https://console.cloud.google.com/apis/credentials"
#: A channel poll needs up to 4 requests of 1 unit (channel, uploads, videos, comments).
MIN_CHANNEL_UNITS = 5

Mode = Literal["channel", "search"]


class YouTubeSourceConfig(BaseModel):
    """A channel's uploads (and comment threads) or a search, read with a Google API key."""

    model_config = ConfigDict(extra="forbid")

    #: "channel": the new uploads of ``channel_id``; "search": videos matching ``query``.
    mode: Mode = "channel"
    #: ``UC…`` id, ``@handle`` or the channel page's address; for the channel mode.
    channel_id: str | None = None
    #: Also collect the comment threads of the channel's videos (channel mode).
    comments: bool = False
    #: YouTube search words (``"télécom ouest" -jeu``, ``box|fibre``); for the search mode.
    query: str | None = None
    #: Search results for viewers of this country (ISO 3166-1 alpha-2: FR, BE...).
    region_code: str | None = None
    #: Prefer results in this language (ISO 639-1: fr, br, en...).
    relevance_language: str | None = None
    api_key: SecretStr
    #: The Google Cloud project's quota in units per day, or this source's share of it.
    daily_quota: int = DEFAULT_DAILY_QUOTA
    #: The most units one poll may spend.
    max_units_per_poll: int = 300
    #: OAuth client and refresh token of the channel's account: needed to reply only.
    oauth_client_id: str | None = None
    oauth_client_secret: SecretStr | None = None
    refresh_token: SecretStr | None = None

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return one_of(
            value,
            ("channel", "search"),
            code="youtube_mode",
            message="the mode {value} is not one sbu reads: choose channel (a channel's new "
            "videos and comments) or search (videos matching a query)",
            cut=40,
        )

    @field_validator("channel_id")
    @classmethod
    def _channel(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return channel_ref(value)

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        query = folded(value)
        if query is not None and len(query) > MAX_QUERY_CHARS:
            raise PydanticCustomError(
                "youtube_query",
                "the query is {length} characters long; sbu sends at most {most}: shorten it or "
                "split it into several sources",
                {"length": len(query), "most": MAX_QUERY_CHARS},
            )
        return query

    @field_validator("region_code")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not REGION_CODE.fullmatch(value.strip()):
            raise PydanticCustomError(
                "youtube_region",
                "the region code {value} is not a country code: use two letters such as FR, BE "
                "or CA (ISO 3166-1 alpha-2)",
                {"value": repr(value.strip()[:20])},
            )
        return value.strip().upper()

    @field_validator("relevance_language")
    @classmethod
    def _language(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not LANGUAGE.fullmatch(value.strip()):
            raise PydanticCustomError(
                "youtube_language",
                "the language {value} is not a language code: use a code such as fr, br, en or "
                "zh-Hans",
                {"value": repr(value.strip()[:20])},
            )
        base, _, script = value.strip().partition("-")
        return f"{base.lower()}-{script.title()}" if script else base.lower()

    @field_validator("api_key")
    @classmethod
    def _api_key(cls, value: SecretStr) -> SecretStr:
        secret = required_secret(
            value,
            code="youtube_api_key",
            message="the API key is empty: create one at {page} and paste it here",
            context={"page": CREDENTIALS_PAGE},
        )
        key = secret.get_secret_value()
        if key.startswith("GOCSPX-") or not API_KEY.fullmatch(key):
            raise PydanticCustomError(
                "youtube_api_key",
                "this is not a Google API key (about 39 letters, digits, - and _, starting with "
                "AIza): copy the key shown under API keys at {page}, not an OAuth client secret",
                {"page": CREDENTIALS_PAGE},
            )
        return secret

    @field_validator("daily_quota")
    @classmethod
    def _daily_quota(cls, value: int) -> int:
        if not 10 <= value <= 1_000_000_000:
            raise PydanticCustomError(
                "youtube_daily_quota",
                "the daily quota {value} is not possible: give the units per day of the Google "
                "Cloud project (10000 unless Google granted more), or this source's share of it "
                "(at least 10)",
                {"value": value},
            )
        return value

    @field_validator("oauth_client_id")
    @classmethod
    def _client_id(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        if not OAUTH_CLIENT_ID.fullmatch(value.strip()):
            raise PydanticCustomError(
                "youtube_client_id",
                "the OAuth client id is not one Google gives: copy the whole client id ending "
                "in .apps.googleusercontent.com from {page}",
                {"page": CREDENTIALS_PAGE},
            )
        return value.strip()

    @field_validator("oauth_client_secret", "refresh_token")
    @classmethod
    def _secret(cls, value: SecretStr | None) -> SecretStr | None:
        return optional_secret(value)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.mode == "channel":
            self._check_channel_mode()
        else:
            self._check_search_mode()
        if self.max_units_per_poll > self.daily_quota:
            raise PydanticCustomError(
                "youtube_budget",
                "max_units_per_poll ({budget}) is more than the daily quota ({quota}): lower it",
                {"budget": self.max_units_per_poll, "quota": self.daily_quota},
            )
        oauth = (self.oauth_client_id, self.oauth_client_secret, self.refresh_token)
        if any(part is not None for part in oauth) and not all(part is not None for part in oauth):
            raise PydanticCustomError(
                "youtube_oauth",
                "to reply, give all of oauth_client_id, oauth_client_secret and refresh_token; "
                "to only listen, give none of them",
            )
        return self

    def _check_channel_mode(self) -> None:
        if self.channel_id is None:
            raise PydanticCustomError(
                "youtube_channel",
                "the channel mode needs channel_id: the channel's handle (@telecomouest), its id "
                "(UC followed by 22 characters) or the address of its page",
            )
        for name in ("query", "region_code", "relevance_language"):
            if getattr(self, name) is not None:
                raise PydanticCustomError(
                    "youtube_search_field",
                    "{name} is only used by the search mode: set mode=search, or remove it",
                    {"name": name},
                )
        if self.max_units_per_poll < MIN_CHANNEL_UNITS:
            raise PydanticCustomError(
                "youtube_budget",
                "max_units_per_poll must be at least {least}: a channel poll may need a request "
                "for the channel, the uploads, the videos and the comments",
                {"least": MIN_CHANNEL_UNITS},
            )

    def _check_search_mode(self) -> None:
        if self.query is None:
            raise PydanticCustomError(
                "youtube_query",
                "the search mode needs a query: set query to the words to look for",
            )
        if self.channel_id is not None or self.comments:
            raise PydanticCustomError(
                "youtube_channel_field",
                "channel_id and comments are only used by the channel mode: remove them, or set "
                "mode=channel to follow a channel",
            )
        cost = COSTS["search.list"]
        if self.max_units_per_poll < cost or int(self.daily_quota * USABLE_SHARE) < cost:
            raise PydanticCustomError(
                "youtube_budget",
                "a YouTube search costs {cost} units: give max_units_per_poll at least {cost} "
                "and a daily_quota of at least {least}",
                {"cost": cost, "least": int(cost / USABLE_SHARE) + 1},
            )

    @property
    def can_reply(self) -> bool:
        return (
            self.oauth_client_id is not None
            and self.oauth_client_secret is not None
            and self.refresh_token is not None
        )

    @property
    def label(self) -> str:
        """What the source reads, for messages: "@telecomouest", "search 'box fibre'"."""
        if self.mode == "channel":
            return f"the channel {self.channel_id}"
        return f"the search {(self.query or '')[:60]!r}"


def channel_ref(value: str) -> str:
    """A channel id (``UC…``) or handle (``@name``) from what a person typed or pasted."""
    text = value.strip()
    if CHANNEL_ID.fullmatch(text) or HANDLE.fullmatch(text):
        return text
    if "/" not in text:
        raise _channel_error(text)
    parts = https_address(text)
    if (parts.hostname or "").lower() not in YOUTUBE_HOSTS:
        raise _channel_error(text)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if len(segments) >= 2 and segments[0] == "channel" and CHANNEL_ID.fullmatch(segments[1]):
        return segments[1]
    if segments and HANDLE.fullmatch(segments[0]):
        return segments[0]
    raise PydanticCustomError(
        "youtube_channel",
        "{value} is not the address of a channel page sbu can read: open the channel on "
        "YouTube and copy its handle (@name) or an address of the form "
        "https://www.youtube.com/@name",
        {"value": repr(text[:80])},
    )


def _channel_error(text: str) -> PydanticCustomError:
    return PydanticCustomError(
        "youtube_channel",
        "{value} is not a YouTube channel: give its handle with the @ (@telecomouest), its id "
        "(UC followed by 22 characters, shown in the channel's About > Share channel > Copy "
        "channel ID) or the address of its page",
        {"value": repr(text[:80])},
    )
