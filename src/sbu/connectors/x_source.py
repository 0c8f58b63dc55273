"""The configuration of an X source: its query, mode, token and what it may spend.

:class:`XSourceConfig` validates what a person enters with sentences that say what to do. The
query is written in sbu's query language and must translate into X's syntax
(:mod:`sbu.connectors.x_rules`) within the limit of the source's mode: the recent search's for
a polled source, a filtered-stream rule's for a streamed one. The monthly budget must pay for at
least one page of posts at ``price_per_post``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from sbu.connectors.config_checks import folded, one_of, required_secret, stream_from_mode
from sbu.connectors.x_rules import (
    ENTERPRISE_MAX_CHARS,
    MAX_CHARS,
    Target,
    XQuery,
    XQueryRefused,
    translate,
)

#: X's price of one post read on pay-per-use in 2026, in USD: check your plan.
DEFAULT_PRICE = 0.005
#: The recent search serves 10 to 100 posts a page.
MIN_RESULTS, MAX_RESULTS = 10, 100
Mode = Literal["search", "stream"]


class XSourceConfig(BaseModel):
    """What an X source reads (its query and mode), with which token, and what it may spend."""

    model_config = ConfigDict(extra="forbid")

    #: The query in sbu's query language (a topic's query can be copied as is).
    query: str = ""
    #: Follow this topic instead: its current query is used at every poll, version after
    #: version, and a query written here is replaced by it.
    topic: str | None = None
    #: The app's Bearer Token (app-only authentication).
    bearer_token: SecretStr
    mode: Mode = "search"
    #: USD per post read: check your plan (X's pay-per-use price).
    price_per_post: float = DEFAULT_PRICE
    #: USD the source may spend per calendar month (UTC).
    monthly_budget: float
    #: Posts per page of the recent search (10 to 100).
    max_results: int = MAX_RESULTS
    #: Follow the source live (sbu's stream supervisor, not the poller). Set from the mode when
    #: left out; false in mode stream switches the source to polling the recent search.
    stream: bool = False
    #: X's limit on the translated query, when the plan allows more than pay-per-use.
    max_query_length: int | None = None

    # Messages end without a full stop: sbu lists them after "is invalid: query: ...".
    @model_validator(mode="before")
    @classmethod
    def _stream_from_mode(cls, data: Any) -> Any:
        return stream_from_mode(data, "stream")

    @field_validator("query")
    @classmethod
    def _query(cls, value: str) -> str:
        return folded(value) or ""

    @field_validator("topic")
    @classmethod
    def _topic(cls, value: str | None) -> str | None:
        return folded(value) if value is not None else None

    @field_validator("bearer_token")
    @classmethod
    def _token(cls, value: SecretStr) -> SecretStr:
        return required_secret(
            value,
            code="x_token_empty",
            message="the bearer_token is empty: copy the Bearer Token of your app from the X "
            "developer console (your app, Keys and tokens)",
            schemes=("bearer",),
        )

    @field_validator("mode", mode="before")
    @classmethod
    def _mode(cls, value: Any) -> Any:
        return one_of(
            value,
            ("search", "stream"),
            code="x_mode",
            message="the mode {value} is not one sbu knows: use search (poll X's recent search) "
            "or stream (follow X's filtered stream)",
        )

    @field_validator("price_per_post")
    @classmethod
    def _price(cls, value: float) -> float:
        if not 0 < value <= 1:
            raise PydanticCustomError(
                "x_price",
                "the price per post {value} USD is out of range: give X's price of one post "
                "read on your plan, above 0 and at most 1 (0.005 on pay-per-use in 2026)",
                {"value": value},
            )
        return value

    @field_validator("monthly_budget")
    @classmethod
    def _budget(cls, value: float) -> float:
        if not value > 0 or not math.isfinite(value):
            raise PydanticCustomError(
                "x_budget",
                "the monthly budget {value} USD is not above 0: give what the source may "
                "spend on X per month, for example 50",
                {"value": value},
            )
        return value

    @field_validator("max_results")
    @classmethod
    def _max_results(cls, value: int) -> int:
        if not MIN_RESULTS <= value <= MAX_RESULTS:
            raise PydanticCustomError(
                "x_max_results",
                "max_results {value} is out of range: X's recent search serves 10 to 100 "
                "posts a page",
                {"value": value},
            )
        return value

    @model_validator(mode="after")
    def _consistent(self) -> XSourceConfig:
        if not self.query and not self.topic:
            raise PydanticCustomError(
                "x_query_empty",
                "the query is empty: write what to look for in sbu's query language, for "
                'example "télécom ouest" OR #TelecomOuest, or name a topic to follow',
            )
        if self.stream and self.mode != "stream":
            raise PydanticCustomError(
                "x_stream_mode",
                "stream: true follows X's filtered stream: set mode to stream, or set stream "
                "to false to poll the recent search",
            )
        target: Target = "stream" if self.stream else "search"
        if self.max_query_length is not None and not (
            1 <= self.max_query_length <= ENTERPRISE_MAX_CHARS[target]
        ):
            raise PydanticCustomError(
                "x_query_length",
                "max_query_length {value} is out of range: X accepts at most {limit} "
                "characters in a {what} even on Enterprise access; leave it out for "
                "pay-per-use ({default})",
                {
                    "value": self.max_query_length,
                    "limit": ENTERPRISE_MAX_CHARS[target],
                    "what": "filtered-stream rule" if target == "stream" else "recent search",
                    "default": MAX_CHARS[target],
                },
            )
        try:
            if self.query:  # a followed topic's query is checked when the poll fills it in
                self.translated(target)
        except XQueryRefused as exc:
            raise PydanticCustomError("x_query", "{problem}", {"problem": str(exc)}) from None
        if self.allowed_posts() < MIN_RESULTS:
            raise PydanticCustomError(
                "x_budget_small",
                "the monthly budget of {budget} USD pays for {posts} posts at {price} USD "
                "each, less than one page of {page}: raise monthly_budget to at least "
                "{minimum} USD",
                {
                    "budget": usd(self.monthly_budget),
                    "posts": self.allowed_posts(),
                    "price": price_text(self.price_per_post),
                    "page": MIN_RESULTS,
                    "minimum": usd(MIN_RESULTS * self.price_per_post),
                },
            )
        return self

    def translated(self, target: Target) -> XQuery:
        """The query in X's syntax (raises XQueryRefused when X cannot express it)."""
        return translate(self.query, target, max_chars=self.max_query_length)

    def allowed_posts(self) -> int:
        """The posts the monthly budget pays for."""
        return math.floor(self.monthly_budget / self.price_per_post + 1e-9)

    def auth_headers(self) -> Callable[[], Mapping[str, str]]:
        token = self.bearer_token

        def headers() -> dict[str, str]:
            return {"Authorization": f"Bearer {token.get_secret_value()}"}

        return headers


# -- amounts in sentences (the configuration's and the budget guard's) ---------------------------


def usd(value: float) -> str:
    """An amount in USD with cents, halves rounded up (0.975 is 0.98, not float's 0.97)."""
    cents = Decimal(repr(round(value, 9))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return f"{cents:,.2f}"


def price_text(value: float) -> str:
    """A price per post without trailing zeros (0.005)."""
    return f"{value:.6f}".rstrip("0").rstrip(".")
