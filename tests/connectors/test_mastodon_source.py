"""The configuration of Mastodon sources: validation sentences, and what it asks of the
instance."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from sbu.connectors.mastodon_source import MastodonSourceConfig

INSTANCE = "https://piaille.example"
TOKEN = "tok-4f1c9a27e6b34d0a8c51"


def config(**fields: Any) -> MastodonSourceConfig:
    return MastodonSourceConfig.model_validate({"instance": INSTANCE, **fields})


def test_a_configuration_is_normalised() -> None:
    source = MastodonSourceConfig.model_validate(
        {
            "instance": " Piaille.Example/ ",
            "timeline": "Hashtag",
            "hashtag": "#TélécomOuest",
            "access_token": f"  {TOKEN} ",
        }
    )
    assert source.instance == "https://piaille.example"
    assert source.timeline == "hashtag"
    assert source.hashtag == "TélécomOuest"
    assert source.access_token is not None
    assert source.access_token.get_secret_value() == TOKEN
    assert source.limit == 40
    assert source.lookback_minutes == 5
    blank = MastodonSourceConfig.model_validate({"instance": INSTANCE, "access_token": ""})
    assert blank.access_token is None


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"instance": "http://piaille.example"}, "is not an https:// address"),
        ({"instance": "https://piaille.example/@gwenola"}, "give only the server's address"),
        ({"instance": "https://me:pw@piaille.example"}, "a token goes in access_token"),
        ({"instance": "https://piaille.example:abc"}, "has a port that is not a number"),
        ({"timeline": "home"}, "use public, local, hashtag or search"),
        ({"timeline": "hashtag"}, "the hashtag timeline needs a hashtag"),
        ({"timeline": "hashtag", "hashtag": "panne fibre"}, "is not a Mastodon hashtag"),
        ({"timeline": "hashtag", "hashtag": "2026"}, "is not a Mastodon hashtag"),
        ({"hashtag": "panne"}, "a hashtag is only read with timeline=hashtag"),
        ({"timeline": "search", "access_token": TOKEN}, "the search timeline needs a query"),
        ({"query": "télécom ouest"}, "a query is only used with timeline=search"),
        ({"limit": 41}, "use 1 to 40"),
        ({"lookback_minutes": 500}, "use 0 to 120 minutes"),
        (
            {"timeline": "search", "query": "panne", "access_token": TOKEN, "stream": True},
            "Mastodon has no stream for searches: set stream=false to poll the search",
        ),
        ({"stream": "sometimes"}, "stream"),
        ({"urll": "x"}, "Extra inputs are not permitted"),
    ],
)
def test_a_wrong_configuration_is_refused_with_what_to_do(
    fields: dict[str, Any], expected: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        MastodonSourceConfig.model_validate({"instance": INSTANCE, **fields})
    assert expected in str(caught.value)


def test_a_timeline_is_polled_unless_it_streams() -> None:
    assert config().stream is False
    assert config(stream=True).stream is True
    assert config(timeline="hashtag", hashtag="panne", stream="true").stream is True
    assert config(timeline="local", stream=True).stream_request() == (
        "/api/v1/streaming/public/local",
        {},
    )


def test_search_needs_a_token() -> None:
    with pytest.raises(ValidationError) as caught:
        MastodonSourceConfig.model_validate(
            {"instance": INSTANCE, "timeline": "search", "query": "télécom ouest"}
        )
    assert "Mastodon only searches statuses for a signed-in account: add the access_token" in str(
        caught.value
    )


def test_the_token_never_shows_in_the_configuration() -> None:
    source = config(access_token=TOKEN)
    assert TOKEN not in repr(source)
    assert TOKEN not in str(source.model_dump())


def test_each_timeline_names_its_endpoints() -> None:
    assert config().rest_request() == ("/api/v1/timelines/public", {"limit": 40})
    assert config(timeline="local", limit=20).rest_request() == (
        "/api/v1/timelines/public",
        {"local": "true", "limit": 20},
    )
    assert config(timeline="hashtag", hashtag="FCEstuaire").rest_request() == (
        "/api/v1/timelines/tag/FCEstuaire",
        {"limit": 40},
    )
    search = config(timeline="search", query="box  ondine", access_token=TOKEN)
    assert search.rest_request() == (
        "/api/v2/search",
        {"q": "box ondine", "type": "statuses", "resolve": "false", "limit": 40},
    )
    assert config().stream_request() == ("/api/v1/streaming/public", {})
    assert config(timeline="local").stream_request() == ("/api/v1/streaming/public/local", {})
    assert config(timeline="hashtag", hashtag="panne").stream_request() == (
        "/api/v1/streaming/hashtag",
        {"tag": "panne"},
    )


def test_the_lookback_is_none_on_the_local_timeline() -> None:
    assert config(lookback_minutes=7).lookback() == timedelta(minutes=7)
    assert config(timeline="local", lookback_minutes=7).lookback() == timedelta(0)


def test_the_token_travels_as_a_bearer_header_only() -> None:
    assert config().auth_headers()() == {}
    assert config(access_token=TOKEN).auth_headers()() == {"Authorization": f"Bearer {TOKEN}"}


def test_the_timeline_is_described_for_messages() -> None:
    assert config().describe() == f"the public timeline of {INSTANCE}"
    assert config(timeline="hashtag", hashtag="panne").describe() == (
        f"the #panne timeline of {INSTANCE}"
    )
    assert config(timeline="search", query="ondine", access_token=TOKEN).describe() == (
        f"the search 'ondine' on {INSTANCE}"
    )
    assert config(instance="piaille.example:8443").host == "piaille.example:8443"
