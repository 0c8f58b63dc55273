"""What a Reddit source needs: which subreddits, which listing, and the app's credentials.

Every mistake is refused with a sentence before anything is saved. Subreddits may be given as a
list or, from the command line, as one string (``bretagne,france`` or ``bretagne+france``); an
``r/`` in front of a name is dropped. Messages end without a full stop: sbu lists them after
"is invalid: subreddits: ...". They never quote a secret.
"""

from __future__ import annotations

import re
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import one_of, required_secret
from sbu.connectors.reddit_oauth import APPS_PAGE, RedditCredentials

#: Subreddit names: letters, digits and underscores, not starting with an underscore (a few
#: old subreddits have two letters, such as r/de).
SUBREDDIT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_]{1,20}", re.ASCII)
USERNAME = re.compile(r"[A-Za-z0-9_-]{3,20}", re.ASCII)
CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{5,64}", re.ASCII)
MAX_SUBREDDITS = 100
#: Reddit's search refuses longer queries.
MAX_QUERY_CHARS = 512
#: The most things Reddit returns in one page of a listing.
MAX_LIMIT = 100
LISTINGS = ("new", "comments", "search")

Listing = Literal["new", "comments", "search"]


class RedditSourceConfig(BaseModel):
    """Subreddits to listen to, through one listing, with a Reddit app's credentials."""

    model_config = ConfigDict(extra="forbid")

    #: Names as in the address after r/ ("bretagne"), read together as r/bretagne+france.
    subreddits: list[str]
    #: "new" (posts), "comments" (comments) or "search" (posts matching ``query``).
    listing: Listing = "new"
    #: Reddit search syntax, for the "search" listing only.
    query: str | None = None
    client_id: str
    client_secret: SecretStr
    #: With ``password``: the app signs in as this account (a "script" app); can then reply.
    username: str | None = None
    password: SecretStr | None = None
    #: Things asked per request (1 to 100); one request counts the same whatever the size.
    limit: int = MAX_LIMIT

    @field_validator("subreddits", mode="before")
    @classmethod
    def _subreddits(cls, value: Any) -> list[str]:
        if isinstance(value, str):
            value = re.split(r"[\s,+]+", value)
        if not isinstance(value, list | tuple):
            raise PydanticCustomError(
                "reddit_subreddits",
                "give the subreddits as a list of names, for example bretagne,france",
            )
        names: dict[str, str] = {}
        for raw in value:
            if not isinstance(raw, str):
                raise PydanticCustomError(
                    "reddit_subreddit",
                    "each subreddit must be a name such as bretagne, not {value}",
                    {"value": repr(raw)[:40]},
                )
            name = re.sub(r"^/?r/", "", raw.strip(), flags=re.IGNORECASE).strip("/")
            if not name:
                continue
            if not SUBREDDIT_NAME.fullmatch(name):
                raise PydanticCustomError(
                    "reddit_subreddit",
                    "{value} is not a subreddit name: give the name as it appears after r/ in "
                    "the subreddit's address, for example bretagne (letters, digits and "
                    "underscores, at most 21)",
                    {"value": repr(raw.strip()[:60])},
                )
            names.setdefault(name.lower(), name)
        if not names:
            raise PydanticCustomError(
                "reddit_subreddits",
                "give at least one subreddit, for example subreddits=bretagne,france",
            )
        if len(names) > MAX_SUBREDDITS:
            raise PydanticCustomError(
                "reddit_subreddits",
                "{count} subreddits are too many for one source: split them into sources of at "
                "most {most}",
                {"count": len(names), "most": MAX_SUBREDDITS},
            )
        return list(names.values())

    @field_validator("listing", mode="before")
    @classmethod
    def _listing(cls, value: Any) -> Any:
        return one_of(
            value,
            LISTINGS,
            code="reddit_listing",
            message="the listing {value} is not one sbu reads: choose new (posts), comments or "
            "search",
            cut=40,
        )

    @field_validator("query")
    @classmethod
    def _query(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if len(value) > MAX_QUERY_CHARS:
            raise PydanticCustomError(
                "reddit_query",
                "the query is {length} characters long; Reddit's search takes at most {most}: "
                "shorten it or split it into several sources",
                {"length": len(value), "most": MAX_QUERY_CHARS},
            )
        return value

    @field_validator("client_id")
    @classmethod
    def _client_id(cls, value: str) -> str:
        value = value.strip()
        if not CLIENT_ID.fullmatch(value):
            raise PydanticCustomError(
                "reddit_client_id",
                "the client id is not one Reddit gives: copy the string shown under the app's "
                "name at {page}",
                {"page": APPS_PAGE},
            )
        return value

    @field_validator("client_secret")
    @classmethod
    def _client_secret(cls, value: SecretStr) -> SecretStr:
        return required_secret(
            value,
            code="reddit_client_secret",
            message="the client secret is empty: copy the app's secret from {page}",
            context={"page": APPS_PAGE},
        )

    @field_validator("username")
    @classmethod
    def _username(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        name = re.sub(r"^/?u/", "", value.strip(), flags=re.IGNORECASE)
        if not USERNAME.fullmatch(name):
            raise PydanticCustomError(
                "reddit_username",
                "{value} is not a Reddit username: give the account's name without u/ (3 to 20 "
                "letters, digits, - or _)",
                {"value": repr(value.strip()[:40])},
            )
        return name

    @field_validator("password")
    @classmethod
    def _password(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value():
            return None
        return value

    @field_validator("limit")
    @classmethod
    def _limit(cls, value: int) -> int:
        if not 1 <= value <= MAX_LIMIT:
            raise PydanticCustomError(
                "reddit_limit",
                "the limit {value} is not a page size Reddit gives: use a number from 1 to {most}",
                {"value": value, "most": MAX_LIMIT},
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.username is None) != (self.password is None):
            raise PydanticCustomError(
                "reddit_account",
                "give both username and password (a script app signing in as its developer's "
                "account) or neither (read-only access as the app)",
            )
        if self.listing == "search" and self.query is None:
            raise PydanticCustomError(
                "reddit_query",
                "the search listing needs a query: set query to the words to look for, in "
                "Reddit's search syntax",
            )
        if self.listing != "search" and self.query is not None:
            raise PydanticCustomError(
                "reddit_query",
                "a query is only used by the search listing: set listing=search, or remove the "
                "query to read every {what} of the subreddits",
                {"what": "comment" if self.listing == "comments" else "new post"},
            )
        return self

    @property
    def credentials(self) -> RedditCredentials:
        return RedditCredentials(self.client_id, self.client_secret, self.username, self.password)
