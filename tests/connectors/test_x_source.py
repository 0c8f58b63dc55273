"""The configuration of an X source: defaults, the mode and the stream, and the sentences that
refuse a bad one."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import SecretStr, ValidationError

from sbu.connectors.x_source import XSourceConfig
from tests.connectors.x_tweets import (
    TOKEN,
    config,
)


def test_a_configuration_with_defaults() -> None:
    source = config()
    assert source.mode == "search"
    assert source.stream is False
    assert source.price_per_post == 0.005
    assert source.max_results == 100
    assert source.allowed_posts() == 10_000
    assert source.bearer_token.get_secret_value() == TOKEN


def test_mode_stream_follows_the_source_live() -> None:
    assert config(mode="stream").stream is True
    assert config(mode=" Stream ").mode == "stream"
    assert config(mode="stream", stream=True).stream is True


def test_mode_stream_with_stream_off_is_polled_and_checked_against_the_search_limit() -> None:
    source = config(mode="stream", stream=False)
    assert (source.mode, source.stream) == ("stream", False)
    long_query = " OR ".join(f"panne{n:03d}" for n in range(60)) + " ondine"
    assert config(query=long_query, mode="stream").stream is True  # a rule may be 1,024 long
    with pytest.raises(ValidationError, match="at most 512 in a recent search"):
        config(query=long_query, mode="stream", stream=False)


def test_a_bearer_prefix_and_spaces_are_removed_from_the_token() -> None:
    assert config(bearer_token=f"  Bearer {TOKEN} ").bearer_token.get_secret_value() == TOKEN


@pytest.mark.parametrize(
    ("fields", "words"),
    [
        ({"mode": "firehose"}, "the mode 'firehose' is not one sbu knows: use search"),
        ({"stream": True}, "stream: true follows X's filtered stream: set mode to stream"),
        ({"price_per_post": 0}, "the price per post 0.0 USD is out of range"),
        ({"price_per_post": 5}, "above 0 and at most 1"),
        ({"monthly_budget": 0}, "the monthly budget 0.0 USD is not above 0"),
        ({"monthly_budget": -10}, "is not above 0"),
        ({"monthly_budget": 0.04}, "pays for 8 posts at 0.005 USD each, less than one page of 10"),
        ({"max_results": 5}, "max_results 5 is out of range"),
        ({"max_results": 101}, "10 to 100 posts a page"),
        ({"bearer_token": "  "}, "the bearer_token is empty: copy the Bearer Token"),
        ({"query": "  "}, "the query is empty"),
        ({"query": "connect* ondine"}, "has a wildcard (connect*), and X's search has none"),
        ({"max_query_length": 5000}, "X accepts at most 4096 characters in a recent search"),
        ({"max_query_length": 3000, "mode": "stream"}, "at most 2048 characters"),
        ({"unknown": 1}, "Extra inputs are not permitted"),
    ],
)
def test_a_bad_configuration_is_refused_with_a_sentence(fields: dict[str, Any], words: str) -> None:
    with pytest.raises(ValidationError) as caught:
        config(**fields)
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value)


def test_a_long_query_is_checked_against_the_limit_of_its_mode() -> None:
    long_query = " OR ".join(f"panne{n:03d}" for n in range(60)) + " ondine"
    with pytest.raises(ValidationError, match="at most 512 in a recent search"):
        config(query=long_query)
    assert config(query=long_query, mode="stream").mode == "stream"  # rules allow 1,024
    assert config(query=long_query, max_query_length=4096).max_query_length == 4096


def test_a_source_may_follow_a_topic_instead_of_a_query() -> None:
    config = XSourceConfig(
        topic="Box  Ondine", bearer_token=SecretStr("t" * 40), monthly_budget=50.0
    )
    assert config.topic == "Box Ondine"
    assert config.query == ""
    with pytest.raises(ValidationError, match="or name a topic to follow"):
        XSourceConfig(bearer_token=SecretStr("t" * 40), monthly_budget=50.0)
