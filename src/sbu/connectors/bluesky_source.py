"""The configuration of a Bluesky source, validated with sentences that say what to do.

A Bluesky source runs in one of two modes:

- ``search``: polls ``app.bsky.feed.searchPosts`` for a ``query``, signed in as an account
  (``handle`` and an ``app_password``) on its ``service`` (the PDS or entryway, by default
  ``https://bsky.social``);
- ``jetstream``: follows the whole network's new posts over a Jetstream WebSocket
  (``jetstream_url``), optionally only those of ``wanted_dids``, and keeps the posts that
  contain one of the ``keywords``. Such a source is streamed (``stream`` is true) unless it is
  set to be polled.

Both modes can reply when the source has a handle and an app password.
"""

from __future__ import annotations

import re
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    ConfigDict,
    SecretStr,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import (
    https_address,
    one_of,
    optional_secret,
    page_size,
    short_query,
    stream_from_mode,
)
from sbu.connectors.fields import language

Mode = Literal["search", "jetstream"]
MODES: tuple[Mode, ...] = ("search", "jetstream")
DEFAULT_SERVICE = "https://bsky.social"
DEFAULT_JETSTREAM = "wss://jetstream2.us-east.bsky.network/subscribe"
#: searchPosts serves at most 100 posts a page.
MAX_LIMIT = 100
#: Jetstream accepts at most 10,000 wantedDids.
MAX_DIDS = 10_000
MAX_KEYWORDS = 200
MAX_KEYWORD_CHARS = 100
MAX_QUERY_CHARS = 500
APP_PASSWORDS_PAGE = "Settings → Privacy and security → App passwords"
_HANDLE = re.compile(
    r"([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]([a-z0-9-]{0,61}[a-z0-9])?", re.ASCII
)
_DID = re.compile(r"did:(plc:[a-z2-7]{24}|web:[a-zA-Z0-9.%:-]+)", re.ASCII)
_APP_PASSWORD = re.compile(r"[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}", re.ASCII)


class BlueskySourceConfig(BaseModel):
    """What a Bluesky source reads (a search or the Jetstream) and the account it signs in as."""

    # The inputs are left out of errors: one of them may be a password.
    model_config = ConfigDict(extra="forbid", hide_input_in_errors=True)

    mode: Mode = "search"
    #: For ``mode=search``: the words to search, in Bluesky's search syntax.
    query: str | None = None
    #: Only posts in this language (a code such as fr or en).
    lang: str | None = None
    #: The account sbu signs in as (for example ondine.bsky.social); required to search.
    handle: str | None = None
    #: An app password of that account (never the account's own password).
    app_password: SecretStr | None = None
    #: Where the account is hosted: its PDS or Bluesky's entryway.
    service: str = DEFAULT_SERVICE
    #: Posts per search page (1 to 100).
    limit: int = MAX_LIMIT
    #: For ``mode=jetstream``: the Jetstream instance's subscribe address.
    jetstream_url: str = DEFAULT_JETSTREAM
    #: For ``mode=jetstream``: only the posts of these accounts (DIDs).
    wanted_dids: list[str] = []
    #: For ``mode=jetstream``: only the posts whose text contains one of these words.
    keywords: list[str] = []
    #: Whether sbu follows the source live (true for jetstream unless set) or polls it.
    stream: bool = False

    @model_validator(mode="before")
    @classmethod
    def _stream_default(cls, data: Any) -> Any:
        """A jetstream source is streamed unless ``stream`` says otherwise."""
        return stream_from_mode(data, "jetstream")

    # Messages end without a full stop: sbu lists them after "is invalid: mode: ...".
    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return one_of(
            value,
            MODES,
            code="bluesky_mode",
            message="the mode {value} is not one sbu knows: use search (Bluesky's search, with "
            "an account) or jetstream (every new post of the network, live)",
        )

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        return short_query(value, code="bluesky_query", most=MAX_QUERY_CHARS)

    @field_validator("lang")
    @classmethod
    def _lang(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        code = language(value)
        if code is None:
            raise PydanticCustomError(
                "bluesky_lang",
                "the language {value} is not a language code: use a code such as fr, en or pt",
                {"value": repr(value[:40])},
            )
        return code

    @field_validator("handle")
    @classmethod
    def _handle(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        text = value.strip().removeprefix("@")
        if text.startswith("did:"):
            if _DID.fullmatch(text):
                return text
        elif len(text) <= 253 and _HANDLE.fullmatch(text.lower()):
            return text.lower()
        raise PydanticCustomError(
            "bluesky_handle",
            "the handle {value} is not a Bluesky handle: give the account's full handle, for "
            "example ondine.bsky.social (without @), or its DID",
            {"value": repr(value[:120])},
        )

    @field_validator("app_password")
    @classmethod
    def _app_password(cls, value: SecretStr | None) -> SecretStr | None:
        secret = optional_secret(value)
        if secret is not None and not _APP_PASSWORD.fullmatch(secret.get_secret_value()):
            # the message never quotes the secret
            raise PydanticCustomError(
                "bluesky_app_password",
                "the app password is not of the form xxxx-xxxx-xxxx-xxxx: create an app "
                f"password in Bluesky ({APP_PASSWORDS_PAGE}) and paste it here; sbu does not "
                "take the account's own password",
            )
        return secret

    @field_validator("service")
    @classmethod
    def _service(cls, value: str) -> str:
        parts = https_address(value.strip().rstrip("/"))
        if (
            parts.scheme.lower() != "https"
            or not parts.hostname
            or parts.path
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise PydanticCustomError(
                "bluesky_service",
                "the service {value} is not the https:// address of a Bluesky server: use "
                "https://bsky.social for accounts hosted by Bluesky, or your PDS's address",
                {"value": repr(value[:200])},
            )
        return f"https://{parts.netloc.lower()}"

    @field_validator("limit")
    @classmethod
    def _limit(cls, value: int) -> int:
        return page_size(
            value, code="bluesky_limit", most=MAX_LIMIT, platform="Bluesky", things="posts"
        )

    @field_validator("jetstream_url")
    @classmethod
    def _jetstream_url(cls, value: str) -> str:
        text = value.strip()
        parts = urlsplit(text)
        if (
            parts.scheme.lower() not in ("wss", "ws")
            or not parts.hostname
            or parts.query
            or parts.fragment
            or parts.username
        ):
            raise PydanticCustomError(
                "bluesky_jetstream_url",
                "the Jetstream address {value} is not a wss:// address without a query: use "
                "for example " + DEFAULT_JETSTREAM + " (sbu adds the filters itself)",
                {"value": repr(text[:200])},
            )
        path = parts.path.rstrip("/") or "/subscribe"
        return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}"

    @field_validator("wanted_dids", "keywords", mode="before")
    @classmethod
    def _split(cls, value: Any, info: ValidationInfo) -> Any:
        """A list typed as one text (``--set keywords=ondine,box fibre``): commas separate the
        items; spaces too for DIDs."""
        if not isinstance(value, str):
            return value
        pattern = r"[\s,]+" if info.field_name == "wanted_dids" else r","
        return [part for part in re.split(pattern, value) if part.strip()]

    @field_validator("wanted_dids")
    @classmethod
    def _wanted_dids(cls, value: list[str]) -> list[str]:
        dids = list(dict.fromkeys(d.strip() for d in value if d.strip()))
        for did in dids:
            if not _DID.fullmatch(did):
                raise PydanticCustomError(
                    "bluesky_did",
                    "{value} is not a DID: give accounts by their DID (did:plc:… or did:web:…), "
                    "shown on the account's profile under ⋯ → Copy DID, or by "
                    "https://bsky.social/xrpc/com.atproto.identity.resolveHandle?handle=HANDLE",
                    {"value": repr(did[:120])},
                )
        if len(dids) > MAX_DIDS:
            raise PydanticCustomError(
                "bluesky_dids",
                "{count} accounts are listed: Jetstream follows at most 10,000 accounts a "
                "connection; split them over several sources",
                {"count": len(dids)},
            )
        return dids

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str]) -> list[str]:
        words: dict[str, str] = {}
        for raw in value:
            word = " ".join(raw.split())
            if not word:
                continue
            if len(word) > MAX_KEYWORD_CHARS:
                raise PydanticCustomError(
                    "bluesky_keyword",
                    "the keyword {value} is longer than 100 characters: use short words or phrases",
                    {"value": repr(word[:40] + "…")},
                )
            words.setdefault(word.casefold(), word)
        if len(words) > MAX_KEYWORDS:
            raise PydanticCustomError(
                "bluesky_keywords",
                "{count} keywords are listed: keep at most 200, or split them over sources",
                {"count": len(words)},
            )
        return list(words.values())

    @model_validator(mode="after")
    def _mode_needs(self) -> BlueskySourceConfig:
        if (self.handle is None) != (self.app_password is None):
            raise PydanticCustomError(
                "bluesky_credentials",
                "the handle and the app password go together: give both (to search or reply) "
                "or neither",
            )
        if self.mode == "search":
            return self._search_needs()
        if self.query is not None:
            raise PydanticCustomError(
                "bluesky_query_unused",
                "a query is only used with mode=search: in jetstream mode list the words to "
                "keep in keywords, or set mode=search",
            )
        return self

    def _search_needs(self) -> BlueskySourceConfig:
        if self.query is None:
            raise PydanticCustomError(
                "bluesky_query_missing",
                "the search mode needs a query: add query=your words (Bluesky's search syntax)",
            )
        if self.handle is None:
            raise PydanticCustomError(
                "bluesky_search_account",
                "Bluesky only searches for a signed-in account: add the handle of an account "
                f"and an app password of it ({APP_PASSWORDS_PAGE})",
            )
        if self.wanted_dids or self.keywords:
            raise PydanticCustomError(
                "bluesky_jetstream_only",
                "wanted_dids and keywords filter the Jetstream: set mode=jetstream, or put the "
                "words in query (from:handle selects an account in a search)",
            )
        if self.stream:
            raise PydanticCustomError(
                "bluesky_search_stream",
                "a search cannot be streamed: set stream=false, or mode=jetstream to follow "
                "new posts live",
            )
        return self

    @property
    def service_host(self) -> str:
        return urlsplit(self.service).netloc

    @property
    def jetstream_host(self) -> str:
        return urlsplit(self.jetstream_url).netloc

    def describe(self) -> str:
        """What the source reads, in words, for messages and locators."""
        if self.mode == "search":
            return f"the Bluesky search {self.query!r}"
        return f"the Jetstream of {self.jetstream_host}"
