"""The Graph API session: Meta's error objects, usage headers and edge paging, against a real
local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from sbu.connectors.api_client import ApiClient, ApiResponse
from sbu.connectors.meta_graph import GraphError, MetaGraph
from sbu.core.errors import AuthFailed, ConnectorError, RateLimited
from sbu.settings import ConnectorSettings
from tests.conftest import NOW
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.owned_payloads import Waits

WHO = "Facebook Page 104729381726354"


@pytest.fixture
def graph() -> Iterator[tuple[ApiServer, MetaGraph]]:
    waits = Waits()
    with running_api() as api:
        client = ApiClient(
            "Facebook",
            api.base,
            ConnectorSettings(timeout_seconds=5),
            sleep=waits.sleep,
            clock=waits.clock,
        )
        with client:
            yield api, MetaGraph(client, WHO, waits.clock)


def test_graph_errors_are_read_from_the_body() -> None:
    body = b'{"error": {"message": "Invalid  OAuth\\n access token.", "type": "OAuthException", "code": 190, "error_subcode": "463", "fbtrace_id": "AbC"}}'
    error = GraphError.of(ApiResponse(400, {}, body, "https://graph.example/x"))
    assert error == GraphError(190, 463, "Invalid OAuth access token.", "OAuthException")
    assert GraphError.of(ApiResponse(400, {}, b"<html>", "u")) is None
    assert GraphError.of(ApiResponse(400, {}, b'{"error": "nope"}', "u")) is None


def test_pages_follow_after_until_no_next(graph: tuple[ApiServer, MetaGraph]) -> None:
    api, meta = graph
    api.reply(
        "/p/comments",
        Reply(json={"data": [1, 2], "paging": {"cursors": {"after": "A2"}, "next": "https://x"}}),
        Reply(json={"data": [3], "paging": {"cursors": {"after": "A3"}}}),
    )
    assert list(meta.pages("/p/comments", {"limit": 2}, 5)) == [([1, 2], True), ([3], False)]
    assert [r.param("after") for r in api.requests_to("/p/comments")] == [None, "A2"]


def test_an_empty_page_ends_the_paging_even_with_next(graph: tuple[ApiServer, MetaGraph]) -> None:
    api, meta = graph
    api.reply(
        "/p/comments", Reply(json={"data": [], "paging": {"cursors": {"after": "A"}, "next": "x"}})
    )
    assert list(meta.pages("/p/comments", {}, 5)) == [([], False)]


def test_answers_that_are_not_graph_objects_are_connector_errors(
    graph: tuple[ApiServer, MetaGraph],
) -> None:
    api, meta = graph
    api.reply("/list", Reply(json=[1, 2]))
    api.reply("/nodata", Reply(json={"paging": {}}))
    with pytest.raises(
        ConnectorError,
        match=f"^{WHO}: the Graph API answered /list with something that is not an object",
    ):
        meta.get("/list", {})
    with pytest.raises(ConnectorError, match="without a list of data"):
        list(meta.pages("/nodata", {}, 3))


def test_a_refusal_without_a_graph_error_keeps_the_shared_sentence(
    graph: tuple[ApiServer, MetaGraph],
) -> None:
    api, meta = graph
    api.reply("/me", Reply(403, body=b"Forbidden"))
    with pytest.raises(AuthFailed, match=r"^Facebook refused access \(HTTP 403\)"):
        meta.get("/me", {})


def test_usage_reads_both_headers_and_the_time_to_regain_access(
    graph: tuple[ApiServer, MetaGraph],
) -> None:
    api, meta = graph
    assert meta.usage() is None
    api.reply(
        "/me",
        Reply(
            json={"id": "1"},
            headers={
                "X-App-Usage": '{"call_count": 5, "total_time": 2, "total_cputime": 1}',
                "X-Business-Use-Case-Usage": '{"1": [{"type": "pages", "call_count": 96, "total_time": 3, "total_cputime": 2, "estimated_time_to_regain_access": 12}], "2": "odd"}',
            },
        ),
    )
    meta.get("/me", {})
    usage = meta.usage()
    assert usage is not None
    assert usage.quota_used == 96.0
    assert usage.quota_limit == 100.0
    assert usage.resets_at == NOW + timedelta(minutes=12)
    assert usage.as_json()["unit"] == "% of the hourly app limit"


def test_a_throttle_waits_until_meta_says_access_comes_back(
    graph: tuple[ApiServer, MetaGraph],
) -> None:
    api, meta = graph
    api.reply(
        "/p/comments",
        Reply(
            400,
            json={"error": {"message": "(#32) Page request limit reached", "code": 32}},
            headers={
                "X-Business-Use-Case-Usage": '{"1": [{"call_count": 100, "estimated_time_to_regain_access": 45}]}'
            },
        ),
    )
    with pytest.raises(RateLimited) as caught:
        meta.get("/p/comments", {})
    assert caught.value.retry_after == 45 * 60
    assert str(caught.value).startswith(
        f"{WHO}: Meta's rate limit is reached (code 32: (#32) Page request limit reached)"
    )


def test_headers_that_are_not_json_are_ignored(graph: tuple[ApiServer, MetaGraph]) -> None:
    api, meta = graph
    api.reply("/me", Reply(json={}, headers={"X-App-Usage": "beaucoup"}))
    meta.get("/me", {})
    assert meta.usage() is None
