"""A YouTube search source against a real local HTTP server replaying the Data API: the first
poll's newest page, ``publishedAfter`` from the cursor (less the overlap), every page of a later
poll, the full video resources, the budget that stops the paging and the poll that goes on."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sbu.connectors.base import FetchResult
from sbu.connectors.youtube_api import YouTubeConnector
from sbu.connectors.youtube_search import search_key
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.youtube_resources import (
    CONTEXT,
    SEARCH,
    VIDEOS,
    Waits,
    google_error,
    make_connector,
    result,
    search,
    search_config,
    video,
    videos,
    when,
)

QUERY = '"télécom ouest" box'
KEY = f"{QUERY}||"


@pytest.fixture
def api() -> Iterator[ApiServer]:
    with running_api() as server:
        server.reply(VIDEOS, Reply(json=videos()))
        yield server


@pytest.fixture
def connector(api: ApiServer) -> YouTubeConnector:
    return make_connector(api, Waits())


def ids(fetched: FetchResult) -> list[str]:
    return [
        item.payload["id"]["videoId"]
        if isinstance(item.payload["id"], dict)
        else item.payload["id"]
        for item in fetched.items
    ]


def search_cursor(**search_state: object) -> dict[str, object]:
    return {"search": {"key": KEY, **search_state}, "quota_day": "2026-11-28", "units": 0}


def test_the_first_poll_takes_the_newest_page_without_published_after(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        SEARCH,
        Reply(
            json=search(
                result("srch0000002", 20, "J'ai testé la box"),
                result("srch0000001", 10, "Fibre en Bretagne"),
                next_token="S2",
            )
        ),
    )
    fetched = connector.fetch(
        search_config(region_code="fr", relevance_language="FR"), None, CONTEXT
    )

    assert ids(fetched) == ["srch0000001", "srch0000002"]
    assert fetched.items[0].locator == "video srch0000001 found by the search"
    (page,) = api.requests_to(SEARCH)  # no backfill: one page even with a next page
    assert page.query == {
        "part": ["snippet"],
        "q": [QUERY],
        "type": ["video"],
        "order": ["date"],
        "maxResults": ["50"],
        "regionCode": ["FR"],
        "relevanceLanguage": ["fr"],
    }
    assert fetched.cursor == {
        "search": {
            "key": f"{QUERY}|FR|fr",
            "after": when(20),
            "seen": ["srch0000002", "srch0000001"],
        },
        "quota_day": "2026-11-28",
        "units": 101,  # a search page and a videos.list
    }


def test_new_results_are_handed_over_as_full_videos_when_youtube_gives_them(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        SEARCH,
        Reply(json=search(result("srch0000002", 20, "Box"), result("srch0000001", 10, "Fibre"))),
    )
    full = video("srch0000002", 20, "Box", description="La description complète, pas tronquée.")
    api.reply(VIDEOS, Reply(json=videos(full)))
    fetched = connector.fetch(search_config(), None, CONTEXT)

    assert [item.payload["kind"] for item in fetched.items] == [
        "youtube#searchResult",  # not returned by videos.list: kept as found
        "youtube#video",
    ]
    assert fetched.items[1].payload == full
    assert api.requests_to(VIDEOS)[0].param("id") == "srch0000001,srch0000002"


def test_the_next_poll_asks_since_the_newest_less_an_hour_and_reads_every_page(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        SEARCH,
        Reply(
            json=search(
                result("srch0000005", 50, "Panne"),
                result("srch0000004", 40, "Débit"),
                next_token="S2",
            )
        ),
        Reply(json=search(result("srch0000003", 30, "Wifi"), result("srch0000002", 20, "Box"))),
    )
    cursor = search_cursor(after=when(20), seen=["srch0000002"])
    fetched = connector.fetch(search_config(), cursor, CONTEXT)

    assert ids(fetched) == ["srch0000003", "srch0000004", "srch0000005"]  # srch0000002 was seen
    pages = api.requests_to(SEARCH)
    assert [page.param("publishedAfter") for page in pages] == [when(-40), when(-40)]
    assert [page.param("pageToken") for page in pages] == [None, "S2"]
    assert fetched.cursor is not None
    assert fetched.cursor["search"]["after"] == when(50)
    assert "pending" not in fetched.cursor["search"]
    assert fetched.cursor["units"] == 201


def test_the_poll_budget_stops_the_paging_and_the_next_poll_goes_on(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        SEARCH,
        Reply(json=search(result("srch0000009", 90, "i"), next_token="S2")),
        Reply(json=search(result("srch0000008", 80, "h"), next_token="S3")),
        Reply(json=search(result("srch0000007", 70, "g"))),
    )
    source = search_config(max_units_per_poll=201)
    first = connector.fetch(source, search_cursor(after=when(20)), CONTEXT)

    assert ids(first) == ["srch0000008", "srch0000009"]
    assert first.notes == [
        "sbu stopped after 200 YouTube quota units, the most one poll of this source may spend "
        "(max_units_per_poll = 201): the next poll goes on from there; raise max_units_per_poll "
        "if polls often stop here."
    ]
    assert first.cursor is not None
    assert first.cursor["search"]["after"] == when(20)  # not moved before the scan ends
    assert first.cursor["search"]["pending"] == {
        "token": "S3",
        "after": when(20),
        "newest": when(90),
    }
    assert first.cursor["units"] == 201

    second = connector.fetch(source, first.cursor, CONTEXT)
    assert ids(second) == ["srch0000007"]
    last = api.requests_to(SEARCH)[-1]
    assert last.param("pageToken") == "S3"
    assert last.param("publishedAfter") == when(-40)
    assert second.cursor is not None
    assert second.cursor["search"]["after"] == when(90)
    assert "pending" not in second.cursor["search"]


def test_a_page_token_youtube_forgot_restarts_from_the_newest(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(
        SEARCH,
        google_error(
            400,
            "invalidPageToken",
            "The request specifies an invalid page token.",
            domain="youtube.parameter",
        ),
        Reply(json=search(result("srch0000006", 60, "f"))),
    )
    cursor = search_cursor(
        after=when(20), pending={"token": "OLD", "after": when(20), "newest": when(50)}
    )
    fetched = connector.fetch(search_config(), cursor, CONTEXT)
    assert ids(fetched) == ["srch0000006"]
    assert [page.param("pageToken") for page in api.requests_to(SEARCH)] == ["OLD", None]
    assert fetched.notes[0].startswith("YouTube no longer knew the page of the search")
    assert fetched.cursor is not None
    assert fetched.cursor["search"]["after"] == when(60)


def test_another_query_starts_afresh(api: ApiServer, connector: YouTubeConnector) -> None:
    api.reply(SEARCH, Reply(json=search(result("srch0000001", 10, "a"))))
    fetched = connector.fetch(
        search_config(query="fibre bretagne"), search_cursor(after=when(20)), CONTEXT
    )
    assert api.requests_to(SEARCH)[0].param("publishedAfter") is None
    assert fetched.cursor is not None
    assert fetched.cursor["search"]["key"] == search_key(search_config(query="fibre bretagne"))


def test_a_result_that_is_not_a_video_is_rejected_and_the_page_goes_on(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    channel = {
        "kind": "youtube#searchResult",
        "etag": "s-channel",
        "id": {"kind": "youtube#channel", "channelId": "UCz4Lk8Pq2Wm6Xn0Rb3Tv5Yc"},
        "snippet": {"publishedAt": when(15), "title": "Breizh Geek", "description": ""},
    }
    api.reply(
        SEARCH,
        Reply(json=search(result("srch0000002", 20, "b"), channel, result("srch0000001", 10, "a"))),
    )
    fetched = connector.fetch(search_config(), None, CONTEXT)
    assert ids(fetched) == ["srch0000001", "srch0000002"]
    (rejected,) = fetched.rejected
    assert rejected.locator == f"result 2 of the search {QUERY!r}"
    assert "'youtube#channel', not a video" in rejected.reason


def test_a_poll_with_nothing_new_keeps_the_cursor_and_stays_not_first(
    api: ApiServer, connector: YouTubeConnector
) -> None:
    api.reply(SEARCH, Reply(json=search()))
    fetched = connector.fetch(search_config(), search_cursor(after=when(20)), CONTEXT)
    assert fetched.items == []
    assert api.requests_to(VIDEOS) == []  # nothing to ask
    assert fetched.cursor is not None
    assert fetched.cursor["search"]["after"] == when(20)
    assert fetched.cursor["units"] == 100
