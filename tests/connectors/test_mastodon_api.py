"""The Mastodon connector: configuration, polling, errors and replies, against a real local
HTTP server that answers like a Mastodon instance."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs

import pytest

from sbu.connectors.base import Capability, FetchContext
from sbu.connectors.mastodon_api import MastodonConnector
from sbu.connectors.mastodon_paging import snowflake_ms
from sbu.connectors.mastodon_source import MastodonSourceConfig
from sbu.core.errors import AuthFailed, ConfigError, ConnectorError, InvalidInput
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.helpers import Waits, local_connector
from tests.connectors.mastodon_statuses import (
    INSTANCE,
    T0,
    link,
    newest_first,
    snowflake,
    status,
    statuses,
)

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
CONTEXT = FetchContext(now=NOW, source_id=1, source_name="Piaille")
PUBLIC = "/api/v1/timelines/public"
TOKEN = "tok-4f1c9a27e6b34d0a8c51"


def connector(api: ApiServer, waits: Waits | None = None, **options: Any) -> MastodonConnector:
    return local_connector(MastodonConnector, api, waits, **options)


def config(**fields: Any) -> MastodonSourceConfig:
    return MastodonSourceConfig.model_validate(
        {"instance": INSTANCE, "lookback_minutes": 0, **fields}
    )


def ids_of(result: Any) -> list[str]:
    return [item.payload["id"] for item in result.items]


# -- the connector ------------------------------------------------------------------------------


def test_the_connector_declares_its_key_capabilities_and_model() -> None:
    mastodon = MastodonConnector(ConnectorSettings())
    assert mastodon.key == "mastodon"
    assert mastodon.capabilities == {Capability.POLL, Capability.REPLY, Capability.STREAM}
    assert mastodon.settings_model is MastodonSourceConfig


# -- polling ------------------------------------------------------------------------------------


def test_the_first_poll_takes_the_newest_page_only_oldest_first(api: ApiServer) -> None:
    page = statuses(3)
    api.reply(
        PUBLIC,
        Reply(
            json=newest_first(page), headers={"Link": link(PUBLIC, newer=page[2], older=page[0])}
        ),
    )
    result = connector(api).fetch(config(), None, CONTEXT)
    (seen,) = api.requests_to(PUBLIC)  # no paging back through the instance's history
    assert seen.query == {"limit": ["40"]}
    assert "authorization" not in seen.headers
    assert ids_of(result) == page
    assert {item.mapper for item in result.items} == {"mastodon"}
    assert result.items[0].locator == f"status {page[0]} of the public timeline of {INSTANCE}"
    assert result.cursor is not None
    assert result.cursor["newest_id"] == page[2]
    assert result.more is False
    assert result.rejected == []


def test_the_next_poll_sends_min_id_and_follows_the_link_header(api: ApiServer) -> None:
    old, *new = statuses(6)
    # with min_id Mastodon answers the statuses just after it, a page at a time (newest first
    # within the page), and its Link header's "prev" page goes on to newer ones
    api.reply(
        PUBLIC,
        Reply(
            json=newest_first(new[0:2]), headers={"Link": link(PUBLIC, newer=new[1], older=new[0])}
        ),
        Reply(
            json=newest_first(new[2:4]), headers={"Link": link(PUBLIC, newer=new[3], older=new[2])}
        ),
        Reply(
            json=newest_first(new[4:5]), headers={"Link": link(PUBLIC, newer=new[4], older=new[4])}
        ),
    )
    result = connector(api).fetch(config(limit=2), {"newest_id": old, "seen": [old]}, CONTEXT)
    assert [r.param("min_id") for r in api.requests_to(PUBLIC)] == [old, new[1], new[3]]
    assert {r.param("limit") for r in api.requests_to(PUBLIC)} == {"2"}
    assert ids_of(result) == new
    assert result.cursor is not None
    assert result.cursor["newest_id"] == new[4]
    assert "resume_min_id" not in result.cursor
    assert result.more is False


def test_a_link_header_to_another_host_only_lends_its_id(api: ApiServer) -> None:
    old, a, b, c = statuses(4)
    foreign = f'<https://evil.example/steal?min_id={b}>; rel="prev"'
    api.reply(
        PUBLIC,
        Reply(json=newest_first([a, b]), headers={"Link": foreign}),
        Reply(json=newest_first([c])),
    )
    result = connector(api).fetch(config(limit=2), {"newest_id": old}, CONTEXT)
    assert [r.param("min_id") for r in api.requests_to(PUBLIC)] == [old, b]
    assert ids_of(result) == [a, b, c]


def test_a_fetch_stops_after_its_pages_and_says_more_is_waiting(api: ApiServer) -> None:
    old, *new = statuses(6)
    api.reply(
        PUBLIC,
        Reply(
            json=newest_first(new[0:2]), headers={"Link": link(PUBLIC, newer=new[1], older=new[0])}
        ),
        Reply(
            json=newest_first(new[2:4]), headers={"Link": link(PUBLIC, newer=new[3], older=new[2])}
        ),
        Reply(
            json=newest_first(new[4:5]), headers={"Link": link(PUBLIC, newer=new[4], older=new[4])}
        ),
    )
    mastodon = connector(api, pages_per_fetch=2)
    first = mastodon.fetch(config(limit=2), {"newest_id": old}, CONTEXT)
    assert first.more is True
    assert ids_of(first) == new[:4]
    assert first.cursor is not None
    assert first.cursor["resume_min_id"] == new[3]
    second = mastodon.fetch(config(limit=2), first.cursor, CONTEXT)
    assert api.requests_to(PUBLIC)[-1].param("min_id") == new[3]
    assert ids_of(second) == new[4:]
    assert second.more is False
    assert second.cursor is not None
    assert "resume_min_id" not in second.cursor


def test_nothing_new_gives_nothing_and_keeps_the_cursor(api: ApiServer) -> None:
    (old,) = statuses(1)
    api.reply(PUBLIC, Reply(json=[]))
    result = connector(api).fetch(config(), {"newest_id": old, "seen": [old]}, CONTEXT)
    assert result.items == []
    assert result.cursor == {"newest_id": old, "seen": [old]}


def test_the_hashtag_and_local_timelines_use_their_paths(api: ApiServer) -> None:
    tag_path = "/api/v1/timelines/tag/t%C3%A9l%C3%A9comouest"
    (one,) = statuses(1)
    api.reply(tag_path, Reply(json=newest_first([one])))
    api.reply(PUBLIC, Reply(json=newest_first([one])))
    mastodon = connector(api)
    tagged = mastodon.fetch(config(timeline="hashtag", hashtag="télécomouest"), None, CONTEXT)
    local = mastodon.fetch(config(timeline="local"), None, CONTEXT)
    assert ids_of(tagged) == ids_of(local) == [one]
    (tag_request,) = api.requests_to(tag_path)  # the tag travels percent-encoded
    assert tag_request.query == {"limit": ["40"]}
    (local_request,) = api.requests_to(PUBLIC)
    assert local_request.query == {"local": ["true"], "limit": ["40"]}
    assert tagged.items[0].locator.endswith(f"the #télécomouest timeline of {INSTANCE}")


def test_search_sends_the_token_and_pages_by_offset_after_the_cursor(api: ApiServer) -> None:
    old, a, b, c = statuses(4)
    api.reply(
        "/api/v2/search",
        Reply(json={"accounts": [], "statuses": newest_first([b, a]), "hashtags": []}),
        Reply(json={"accounts": [], "statuses": newest_first([c]), "hashtags": []}),
    )
    source = config(timeline="search", query="télécom ouest", access_token=TOKEN, limit=2)
    result = connector(api).fetch(source, {"newest_id": old}, CONTEXT)
    first, second = api.requests_to("/api/v2/search")
    assert first.query == {
        "q": ["télécom ouest"],
        "type": ["statuses"],
        "resolve": ["false"],
        "limit": ["2"],
        "min_id": [old],
    }
    assert second.param("offset") == "2"
    assert second.param("min_id") == old
    assert first.headers["authorization"] == f"Bearer {TOKEN}"
    assert ids_of(result) == [a, b, c]
    assert result.cursor is not None
    assert result.cursor["newest_id"] == c


def test_a_search_left_unfinished_resumes_at_its_offset(api: ApiServer) -> None:
    old, a, b, c = statuses(4)
    api.reply(
        "/api/v2/search",
        Reply(json={"accounts": [], "statuses": newest_first([b, a]), "hashtags": []}),
        Reply(json={"accounts": [], "statuses": newest_first([c]), "hashtags": []}),
    )
    source = config(timeline="search", query="ondine", access_token=TOKEN, limit=2)
    mastodon = connector(api, pages_per_fetch=1)
    first = mastodon.fetch(source, {"newest_id": old}, CONTEXT)
    assert first.more is True
    assert first.cursor is not None
    assert (first.cursor["resume_min_id"], first.cursor["resume_offset"]) == (old, 2)
    second = mastodon.fetch(source, first.cursor, CONTEXT)
    last = api.requests_to("/api/v2/search")[-1]
    assert (last.param("min_id"), last.param("offset")) == (old, "2")
    assert ids_of(first) + ids_of(second) == [a, b, c]
    assert second.more is False
    assert second.cursor is not None
    assert "resume_offset" not in second.cursor


def test_late_statuses_are_found_by_reading_the_lookback_window_again(api: ApiServer) -> None:
    # A remote status published at 08:00:05 reaches the instance after the poll that saw the
    # 08:00:10 one: its snowflake is older than the cursor, yet it must not be missed.
    seen_before = snowflake(T0 + timedelta(seconds=10))
    late = snowflake(T0 + timedelta(seconds=5), 7)
    newer = snowflake(T0 + timedelta(seconds=30))
    api.reply(PUBLIC, Reply(json=[status(newer), status(seen_before), status(late)]))
    cursor = {"newest_id": seen_before, "seen": [seen_before]}
    result = connector(api).fetch(config(lookback_minutes=5), cursor, CONTEXT)
    (request,) = api.requests_to(PUBLIC)
    min_id = request.param("min_id")
    assert min_id is not None
    assert snowflake_ms(min_id) == int((T0 + timedelta(seconds=10)).timestamp() * 1000) - 300_000
    assert ids_of(result) == [late, newer]  # the one already handed over is not repeated
    assert result.cursor is not None
    assert result.cursor["newest_id"] == newer
    assert set(result.cursor["seen"]) == {seen_before, late, newer}


def test_the_local_timeline_has_no_lookback(api: ApiServer) -> None:
    (old,) = statuses(1)
    api.reply(PUBLIC, Reply(json=[]))
    connector(api).fetch(config(timeline="local", lookback_minutes=30), {"newest_id": old}, CONTEXT)
    assert api.requests_to(PUBLIC)[0].param("min_id") == old


def test_a_malformed_status_is_rejected_and_the_page_goes_on(api: ApiServer) -> None:
    old, good, undated, last = statuses(4)
    no_date = status(undated)
    del no_date["created_at"]
    no_id = status(last)
    del no_id["id"]
    page = [status(good), no_date, no_id, "not a status"]
    api.reply(PUBLIC, Reply(json=page))
    result = connector(api).fetch(config(), {"newest_id": old}, CONTEXT)
    assert ids_of(result) == [good]
    reasons = {r.locator: r.reason for r in result.rejected}
    assert reasons[f"status {undated} of the public timeline of {INSTANCE}"] == (
        "The field 'created_at' is missing; it must be a date and time."
    )
    assert "has no 'id'" in reasons[f"item 3 read from the public timeline of {INSTANCE}"]
    assert "not a Mastodon status" in reasons[f"item 4 read from the public timeline of {INSTANCE}"]
    assert all(r.payload for r in result.rejected)
    assert result.cursor is not None
    assert result.cursor["newest_id"] == undated  # the rejected status is not read again
    again = connector(api).fetch(config(), result.cursor, CONTEXT)
    assert [r.locator for r in again.rejected] == [
        f"item 3 read from the public timeline of {INSTANCE}",
        f"item 4 read from the public timeline of {INSTANCE}",
    ]


# -- failures -----------------------------------------------------------------------------------


def test_a_refused_token_is_auth_failed_with_a_sentence(api: ApiServer) -> None:
    api.reply(PUBLIC, Reply(401, json={"error": "The access token is invalid"}))
    with pytest.raises(AuthFailed) as caught:
        connector(api).fetch(config(access_token=TOKEN), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith("Mastodon (piaille.example) refused the credentials (HTTP 401")
    assert "Enter new credentials" in message
    assert TOKEN not in message
    assert len(api.requests_to(PUBLIC)) == 1  # not retried


def test_a_timeline_that_needs_a_token_says_to_add_one(api: ApiServer) -> None:
    api.reply(PUBLIC, Reply(401, json={"error": "This method requires an authenticated user"}))
    with pytest.raises(AuthFailed) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert str(caught.value).startswith(
        "Mastodon (piaille.example) asks for an access token to read the public timeline of "
        "https://piaille.example: create one on the instance"
    )
    assert str(caught.value).endswith("add it to the source as access_token.")


def test_retry_after_is_honoured(api: ApiServer) -> None:
    (one,) = statuses(1)
    api.reply(
        PUBLIC,
        Reply(429, json={"error": "Too many requests"}, headers={"Retry-After": "3"}),
        Reply(json=newest_first([one])),
    )
    waits = Waits()
    result = connector(api, waits).fetch(config(), None, CONTEXT)
    assert waits.slept == [3.0]
    assert ids_of(result) == [one]


def test_a_server_error_is_retried(api: ApiServer) -> None:
    (one,) = statuses(1)
    api.reply(PUBLIC, Reply(500), Reply(json=newest_first([one])))
    waits = Waits()
    result = connector(api, waits).fetch(config(), None, CONTEXT)
    assert len(api.requests_to(PUBLIC)) == 2
    assert len(waits.slept) == 1
    assert ids_of(result) == [one]


def test_an_address_without_the_api_is_a_sentence(api: ApiServer) -> None:
    # nothing answers /api/v1/timelines/public: the replay server's 404
    with pytest.raises(ConnectorError) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    message = str(caught.value)
    assert message.startswith("Mastodon (piaille.example) has nothing at")
    assert "(HTTP 404: Record not found): check the source's address, instance" in message


def test_a_web_page_instead_of_the_api_is_a_sentence(api: ApiServer) -> None:
    html = b"<!DOCTYPE html><html><body>Bienvenue sur mon blog</body></html>"
    api.reply(PUBLIC, Reply(body=html, headers={"Content-Type": "text/html; charset=utf-8"}))
    with pytest.raises(ConnectorError) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert str(caught.value) == (
        f"{INSTANCE} answered /api/v1/timelines/public with a web page, not the Mastodon API: "
        "check that the source's instance is the address of a Mastodon server (for example "
        "https://mastodon.social)."
    )


def test_json_that_is_not_a_timeline_is_a_sentence(api: ApiServer) -> None:
    api.reply(PUBLIC, Reply(json={"statuses": []}))
    with pytest.raises(ConnectorError) as caught:
        connector(api).fetch(config(), None, CONTEXT)
    assert "answered /api/v1/timelines/public with dict instead of a list of statuses" in str(
        caught.value
    )


# -- replies ------------------------------------------------------------------------------------


def test_a_reply_posts_the_form_with_an_idempotency_key(api: ApiServer) -> None:
    api.reply("/api/v1/statuses", Reply(json=status("113530207364419999")), method="POST")
    text = "@gwenola Bonjour, nous regardons la coupure de Brest, écrivez-nous en message privé."
    new_id = connector(api).reply(config(access_token=TOKEN), "113530207364418234", text)
    assert new_id == "113530207364419999"
    (seen,) = api.requests_to("/api/v1/statuses", method="POST")
    assert parse_qs(seen.body.decode()) == {
        "status": [text],
        "in_reply_to_id": ["113530207364418234"],
    }
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert seen.headers["idempotency-key"].startswith("sbu-reply-")


def test_a_retried_reply_keeps_its_idempotency_key(api: ApiServer) -> None:
    api.reply("/api/v1/statuses", Reply(503), Reply(json={"id": "42"}), method="POST")
    mastodon = connector(api)
    assert mastodon.reply(config(access_token=TOKEN), "7", "Merci !") == "42"
    first, second = api.requests_to("/api/v1/statuses", method="POST")
    assert first.headers["idempotency-key"] == second.headers["idempotency-key"]
    mastodon.reply(config(access_token=TOKEN), "7", "Merci !", idempotency_key="case-12-msg-3")
    assert api.requests_to("/api/v1/statuses", method="POST")[-1].headers["idempotency-key"] == (
        "case-12-msg-3"
    )
    mastodon.reply(config(access_token=TOKEN), "8", "Merci !")
    keys = {
        r.headers["idempotency-key"] for r in api.requests_to("/api/v1/statuses", method="POST")
    }
    assert len(keys) == 3  # another status, another key


def test_a_reply_needs_a_token_a_status_and_a_text(api: ApiServer) -> None:
    mastodon = connector(api)
    with pytest.raises(ConfigError) as caught:
        mastodon.reply(config(), "7", "Merci !")
    assert "needs an access token with the write:statuses scope" in str(caught.value)
    with pytest.raises(InvalidInput):
        mastodon.reply(config(access_token=TOKEN), " ", "Merci !")
    with pytest.raises(InvalidInput):
        mastodon.reply(config(access_token=TOKEN), "7", "  ")
    assert api.requests_to("/api/v1/statuses", method="POST") == []


def test_a_reply_without_an_id_in_the_answer_is_a_sentence(api: ApiServer) -> None:
    api.reply("/api/v1/statuses", Reply(json={"error": None}), method="POST")
    with pytest.raises(ConnectorError) as caught:
        connector(api).reply(config(access_token=TOKEN), "7", "Merci !")
    assert "accepted the reply but sent back no status id" in str(caught.value)
