"""The configuration of a YouTube source: channels as ids, handles or addresses, the search
fields, the API key, the quota budget and the OAuth trio; every mistake a sentence that never
quotes a secret."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sbu.connectors.youtube_source import YouTubeSourceConfig
from tests.connectors.youtube_resources import (
    API_KEY,
    CHANNEL_ID,
    CLIENT_ID,
    CLIENT_SECRET,
    REFRESH_TOKEN,
)


def make(**values: Any) -> YouTubeSourceConfig:
    return YouTubeSourceConfig.model_validate({"api_key": API_KEY, **values})


def refusal(**values: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        make(**values)
    (error,) = caught.value.errors()
    return str(error["msg"])


def test_the_defaults_follow_a_channel_within_googles_default_quota() -> None:
    source = make(channel_id="@techbreizh")
    assert source.mode == "channel"
    assert source.comments is False
    assert source.daily_quota == 10_000
    assert source.max_units_per_poll == 300
    assert source.can_reply is False
    assert source.label == "the channel @techbreizh"
    assert source.api_key.get_secret_value() == API_KEY
    assert API_KEY not in repr(source)


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        (CHANNEL_ID, CHANNEL_ID),
        ("  @techbreizh ", "@techbreizh"),
        ("@Télécom.Ouest-officiel", "@Télécom.Ouest-officiel"),
        (f"https://www.youtube.com/channel/{CHANNEL_ID}", CHANNEL_ID),
        (f"youtube.com/channel/{CHANNEL_ID}/videos", CHANNEL_ID),
        ("https://m.youtube.com/@techbreizh/featured", "@techbreizh"),
        ("https://www.youtube.com/%40t%C3%A9l%C3%A9com", "@télécom"),
    ],
)
def test_a_channel_may_be_an_id_a_handle_or_its_page(given: str, kept: str) -> None:
    assert make(channel_id=given).channel_id == kept


@pytest.mark.parametrize("given", ["techbreizh", "UCshort", "@ab", "https://vimeo.com/@techbreizh"])
def test_what_is_not_a_channel_is_refused_with_the_ways_to_give_one(given: str) -> None:
    assert refusal(channel_id=given) == (
        f"{given!r} is not a YouTube channel: give its handle with the @ (@telecomouest), its id "
        "(UC followed by 22 characters, shown in the channel's About > Share channel > Copy "
        "channel ID) or the address of its page"
    )


def test_a_legacy_custom_address_asks_for_the_handle() -> None:
    assert refusal(channel_id="https://www.youtube.com/c/TechBreizh").startswith(
        "'https://www.youtube.com/c/TechBreizh' is not the address of a channel page sbu can read"
    )


def test_the_channel_mode_needs_a_channel() -> None:
    assert refusal().startswith("the channel mode needs channel_id")


@pytest.mark.parametrize("field", ["query", "region_code", "relevance_language"])
def test_search_fields_are_refused_in_the_channel_mode(field: str) -> None:
    value = {"query": "box", "region_code": "FR", "relevance_language": "fr"}[field]
    assert refusal(channel_id="@techbreizh", **{field: value}) == (
        f"{field} is only used by the search mode: set mode=search, or remove it"
    )


def test_a_search_normalises_its_fields() -> None:
    source = make(
        mode=" Search ",
        query='  "télécom ouest"\n  box ',
        region_code="fr",
        relevance_language="ZH-hans",
    )
    assert source.mode == "search"
    assert source.query == '"télécom ouest" box'
    assert source.region_code == "FR"
    assert source.relevance_language == "zh-Hans"
    assert source.label == "the search '\"télécom ouest\" box'"


def test_the_search_mode_needs_a_query_and_no_channel() -> None:
    assert refusal(mode="search") == (
        "the search mode needs a query: set query to the words to look for"
    )
    assert refusal(mode="search", query="box", comments=True).startswith(
        "channel_id and comments are only used by the channel mode"
    )


@pytest.mark.parametrize(
    ("field", "value", "start"),
    [
        ("mode", "playlist", "the mode 'playlist' is not one sbu reads"),
        ("region_code", "FRA", "the region code 'FRA' is not a country code"),
        ("relevance_language", "français", "the language 'français' is not a language code"),
        ("query", "x" * 501, "the query is 501 characters long; sbu sends at most 500"),
    ],
)
def test_bad_search_values_are_refused(field: str, value: str, start: str) -> None:
    values: dict[str, Any] = {"mode": "search", "query": "box", field: value}
    assert refusal(**values).startswith(start)


def test_a_search_budget_must_pay_for_one_search() -> None:
    assert refusal(mode="search", query="box", max_units_per_poll=99) == (
        "a YouTube search costs 100 units: give max_units_per_poll at least 100 and a "
        "daily_quota of at least 106"
    )
    assert refusal(mode="search", query="box", daily_quota=100, max_units_per_poll=100).startswith(
        "a YouTube search costs 100 units"
    )


def test_budgets_are_checked() -> None:
    assert refusal(channel_id="@techbreizh", max_units_per_poll=4).startswith(
        "max_units_per_poll must be at least 5"
    )
    assert refusal(channel_id="@techbreizh", daily_quota=200, max_units_per_poll=300) == (
        "max_units_per_poll (300) is more than the daily quota (200): lower it"
    )
    assert refusal(channel_id="@techbreizh", daily_quota=5).startswith(
        "the daily quota 5 is not possible"
    )


@pytest.mark.parametrize("key", ["", "   ", "AIza key with spaces 0123456789", CLIENT_SECRET])
def test_what_is_not_an_api_key_is_refused_without_quoting_it(key: str) -> None:
    message = refusal(channel_id="@techbreizh", api_key=key)
    assert "https://console.cloud.google.com/apis/credentials" in message
    if key.strip():
        assert key not in message
        assert message.startswith("this is not a Google API key")


def test_the_oauth_trio_allows_replies() -> None:
    source = make(
        channel_id="@techbreizh",
        oauth_client_id=f" {CLIENT_ID} ",
        oauth_client_secret=CLIENT_SECRET,
        refresh_token=REFRESH_TOKEN,
    )
    assert source.can_reply is True
    assert source.oauth_client_id == CLIENT_ID
    assert CLIENT_SECRET not in repr(source)
    assert REFRESH_TOKEN not in repr(source)


def test_part_of_the_oauth_trio_is_refused() -> None:
    assert refusal(channel_id="@techbreizh", refresh_token=REFRESH_TOKEN) == (
        "to reply, give all of oauth_client_id, oauth_client_secret and refresh_token; to only "
        "listen, give none of them"
    )
    assert refusal(channel_id="@techbreizh", oauth_client_id="my-client").startswith(
        "the OAuth client id is not one Google gives"
    )


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(ValidationError):
        make(channel_id="@techbreizh", key=API_KEY)
