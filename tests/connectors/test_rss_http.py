"""Downloading feeds from a real local HTTP server: conditional GET, limits, failures."""

from __future__ import annotations

import gzip
import socket
from collections.abc import Iterator

import pytest

from sbu.connectors.rss_http import MAX_RETRY_AFTER, download, parse_retry_after
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited, Transient
from sbu.settings import FeedSettings
from tests.conftest import NOW
from tests.connectors.feeds.server import FeedServer, Route, feed_bytes, running_server

SETTINGS = FeedSettings(user_agent="sbu-test/1.0 (+https://sbu.example)", timeout_seconds=5)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with running_server() as running:
        yield running


def test_a_feed_is_downloaded_with_its_validators(server: FeedServer) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"v1"')
    response = download(url, SETTINGS, now=NOW)
    assert response.status == 200
    assert response.body == feed_bytes("ouest-actu.rss")
    assert response.etag == '"v1"'
    assert response.last_modified == "Fri, 27 Nov 2026 18:05:00 GMT"
    assert response.content_type == "application/rss+xml; charset=utf-8"
    assert response.moved_to is None
    sent = server.requests_to("/rss")[0].headers
    assert sent["user-agent"] == "sbu-test/1.0 (+https://sbu.example)"
    assert "application/rss+xml" in sent["accept"]
    assert "if-none-match" not in sent
    assert "if-modified-since" not in sent


def test_conditional_get_with_etag_gets_304(server: FeedServer) -> None:
    url = server.serve_file("/rss", "ouest-actu.rss", etag='"v1"')
    response = download(
        url, SETTINGS, etag='"v1"', last_modified="Fri, 27 Nov 2026 18:05:00 GMT", now=NOW
    )
    assert response.not_modified
    assert response.body == b""
    sent = server.requests_to("/rss")[0].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Fri, 27 Nov 2026 18:05:00 GMT"


def test_conditional_get_with_last_modified_only_gets_304(server: FeedServer) -> None:
    url = server.serve(
        "/rss",
        Route(body=feed_bytes("ouest-actu.rss"), last_modified="Fri, 27 Nov 2026 18:05:00 GMT"),
    )
    response = download(url, SETTINGS, last_modified="Fri, 27 Nov 2026 18:05:00 GMT", now=NOW)
    assert response.not_modified


def test_a_stale_etag_gets_the_new_document(server: FeedServer) -> None:
    url = server.serve_file("/rss", "ouest-actu-later.rss", etag='"v2"')
    response = download(url, SETTINGS, etag='"v1"', now=NOW)
    assert response.status == 200
    assert response.etag == '"v2"'
    assert response.body == feed_bytes("ouest-actu-later.rss")


def test_429_with_retry_after_seconds_is_rate_limited(server: FeedServer) -> None:
    url = server.serve("/rss", Route(status=429, headers={"Retry-After": "120"}))
    with pytest.raises(RateLimited, match="slow down") as caught:
        download(url, SETTINGS, now=NOW)
    assert caught.value.retry_after == 120


def test_429_without_retry_after_is_rate_limited_without_a_delay(server: FeedServer) -> None:
    url = server.serve("/rss", Route(status=429))
    with pytest.raises(RateLimited) as caught:
        download(url, SETTINGS, now=NOW)
    assert caught.value.retry_after is None


def test_503_with_an_http_date_is_rate_limited_until_then(server: FeedServer) -> None:
    url = server.serve(
        "/rss", Route(status=503, headers={"Retry-After": "Sat, 28 Nov 2026 09:10:00 GMT"})
    )
    with pytest.raises(RateLimited) as caught:
        download(url, SETTINGS, now=NOW)
    assert caught.value.retry_after == 600


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_server_errors_are_transient(server: FeedServer, status: int) -> None:
    url = server.serve("/rss", Route(status=status, body=b"oops"))
    with pytest.raises(Transient, match=f"HTTP {status}") as caught:
        download(url, SETTINGS, now=NOW)
    assert url in str(caught.value)


@pytest.mark.parametrize("status", [401, 403])
def test_refused_access_is_auth_failed(server: FeedServer, status: int) -> None:
    url = server.serve("/rss", Route(status=status))
    with pytest.raises(AuthFailed, match="refused access"):
        download(url, SETTINGS, now=NOW)


@pytest.mark.parametrize("status", [404, 410])
def test_a_missing_feed_is_gone(server: FeedServer, status: int) -> None:
    url = server.serve("/rss", Route(status=status))
    with pytest.raises(ConnectorError, match=r"is gone .*check the URL") as caught:
        download(url, SETTINGS, now=NOW)
    assert not isinstance(caught.value, Transient)


def test_other_client_errors_are_connector_errors(server: FeedServer) -> None:
    url = server.serve("/rss", Route(status=400))
    with pytest.raises(ConnectorError, match="HTTP 400"):
        download(url, SETTINGS, now=NOW)


def test_a_permanent_redirect_is_followed_and_reported(server: FeedServer) -> None:
    target = server.serve_file("/new", "forum-fibre.atom")
    url = server.serve("/old", Route(status=301, headers={"Location": target}))
    response = download(url, SETTINGS, now=NOW)
    assert response.status == 200
    assert response.url == target
    assert response.moved_to == target
    assert response.body == feed_bytes("forum-fibre.atom")


def test_a_temporary_redirect_is_followed_silently(server: FeedServer) -> None:
    target = server.serve_file("/today", "forum-fibre.atom")
    url = server.serve("/latest", Route(status=302, headers={"Location": "/today"}))
    response = download(url, SETTINGS, now=NOW)
    assert response.url == target
    assert response.moved_to is None


def test_a_redirect_loop_is_refused(server: FeedServer) -> None:
    server.serve("/a", Route(status=302, headers={"Location": "/b"}))
    url = server.serve("/b", Route(status=302, headers={"Location": "/a"}))
    with pytest.raises(ConnectorError, match="redirect loop"):
        download(url, SETTINGS, now=NOW)


def test_a_redirect_to_another_scheme_is_refused(server: FeedServer) -> None:
    url = server.serve("/ftp", Route(status=301, headers={"Location": "ftp://files.example/feed"}))
    with pytest.raises(ConnectorError, match="http:// or https://"):
        download(url, SETTINGS, now=NOW)


def test_a_document_larger_than_the_limit_is_refused(server: FeedServer) -> None:
    url = server.serve_file("/big", "ouest-actu.rss")
    small = FeedSettings(max_bytes=1024)
    with pytest.raises(ConnectorError, match="larger than the limit of 1,024 bytes"):
        download(url, small, now=NOW)


def test_the_limit_holds_without_content_length(server: FeedServer) -> None:
    url = server.serve("/endless", Route(endless=50_000_000))
    with pytest.raises(ConnectorError, match="SBU_FEEDS__MAX_BYTES"):
        download(url, FeedSettings(max_bytes=200_000), now=NOW)


def test_the_limit_counts_decompressed_bytes(server: FeedServer) -> None:
    bomb = gzip.compress(b"<rss>" + b" " * 5_000_000 + b"</rss>")
    assert len(bomb) < 10_000
    url = server.serve("/bomb", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(ConnectorError, match="larger than the limit"):
        download(url, FeedSettings(max_bytes=1_000_000), now=NOW)


def test_a_gzipped_feed_is_decompressed(server: FeedServer) -> None:
    body = feed_bytes("forum-fibre.atom")
    url = server.serve("/gz", Route(body=gzip.compress(body), headers={"Content-Encoding": "gzip"}))
    assert download(url, SETTINGS, now=NOW).body == body


def test_a_server_that_drips_bytes_is_abandoned(server: FeedServer) -> None:
    url = server.serve("/slow", Route(body=feed_bytes("ouest-actu.rss"), drip=(16, 0.02)))
    with pytest.raises(Transient, match="too slowly"):
        download(url, FeedSettings(timeout_seconds=0.2), now=NOW)


def test_a_server_that_stops_answering_times_out(server: FeedServer) -> None:
    url = server.serve("/stuck", Route(body=feed_bytes("ouest-actu.rss"), drip=(64, 2.0)))
    with pytest.raises(Transient, match=r"did not answer within 0\.2 seconds"):
        download(url, FeedSettings(timeout_seconds=0.2), now=NOW)


def test_an_unreachable_server_is_transient() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(Transient, match="could not be reached"):
        download(f"http://127.0.0.1:{port}/rss", SETTINGS, now=NOW)


def test_parse_retry_after() -> None:
    assert parse_retry_after(None, NOW) is None
    assert parse_retry_after("", NOW) is None
    assert parse_retry_after(" 30 ", NOW) == 30
    assert parse_retry_after("Sat, 28 Nov 2026 10:00:00 GMT", NOW) == 3600
    assert parse_retry_after("Fri, 27 Nov 2026 10:00:00 GMT", NOW) == 0
    assert parse_retry_after("9999999", NOW) == MAX_RETRY_AFTER
    assert parse_retry_after("demain", NOW) is None
