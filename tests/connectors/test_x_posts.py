"""The posts of a page of X as raw items: a malformed post is rejected and the page goes on."""

from __future__ import annotations

from sbu.connectors.x_search import SEARCH
from tests.connectors.api_server import ApiServer, Reply
from tests.connectors.x_tweets import (
    CONTEXT,
    config,
    connector,
    ids,
    page,
    tweet,
)


def test_a_malformed_post_is_rejected_and_the_page_goes_on(api: ApiServer) -> None:
    good = tweet(1)
    undated = tweet(2)
    del undated["created_at"]
    nameless = tweet(3)
    del nameless["id"]
    body = page(good, undated)
    body["data"].append(nameless)
    api.reply(SEARCH, Reply(json=body))
    result = connector(api).fetch(config(), None, CONTEXT)
    assert ids(result) == [good["id"]]
    dated, anonymous = result.rejected
    assert dated.locator == f"post {undated['id']} of the X recent search of 'X Ondine'"
    assert "has no 'created_at'" in dated.reason
    assert '"text"' in dated.payload
    assert anonymous.locator == "item 3 of the X recent search of 'X Ondine'"
    assert "has no 'id'" in anonymous.reason
    assert result.cursor is not None
    assert result.cursor["posts"] == 3  # X bills what it sends
