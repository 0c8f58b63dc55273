"""The LinkedIn API session: paging with start and count, LinkedIn's refusals as sentences, the
last answer's status, against a real local HTTP server."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime

import pytest

from sbu.connectors.api_client import ApiClient
from sbu.connectors.linkedin_api import LastAnswer, LinkedInApi, urn_path
from sbu.core.errors import ConnectorError, RateLimited
from sbu.settings import ConnectorSettings
from tests.connectors.api_server import ApiServer, Reply, running_api
from tests.connectors.owned_payloads import Waits

WHO = "LinkedIn organization 2414183"


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def linkedin(waits: Waits) -> Iterator[tuple[ApiServer, LinkedInApi]]:
    with running_api() as api:
        answers = LastAnswer()
        client = ApiClient(
            "LinkedIn",
            api.base,
            ConnectorSettings(timeout_seconds=5, attempts=2),
            transport=answers,
            sleep=waits.sleep,
            clock=waits.clock,
        )
        with client:
            yield api, LinkedInApi(client, answers, WHO, waits.clock)


def test_urns_are_one_path_segment() -> None:
    assert (
        urn_path("urn:li:comment:(urn:li:activity:1,2)")
        == "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A1%2C2%29"
    )


def test_the_last_answer_is_remembered(linkedin: tuple[ApiServer, LinkedInApi]) -> None:
    api, session = linkedin
    api.reply("/me", Reply(json={}, headers={"Retry-After": "5"}))
    session.get("/me")
    assert (session.answers.status, session.answers.retry_after) == (200, "5")


def test_paging_uses_the_total_or_a_short_page(linkedin: tuple[ApiServer, LinkedInApi]) -> None:
    api, session = linkedin
    api.reply(
        "/t",
        Reply(json={"elements": [1, 2], "paging": {"total": 3}}),
        Reply(json={"elements": [3], "paging": {"total": 3}}),
    )
    assert list(session.pages("/t", {}, 2, 5)) == [([1, 2], True), ([3], False)]
    assert [r.param("start") for r in api.requests_to("/t")] == ["0", "2"]
    api.reply("/s", Reply(json={"elements": [1, 2]}), Reply(json={"elements": [3]}))
    assert list(session.pages("/s", {"q": "x"}, 2, 5)) == [([1, 2], True), ([3], False)]
    api.reply("/capped", Reply(json={"elements": [1], "paging": {"total": 50}}))
    assert len(list(session.pages("/capped", {}, 1, 3))) == 3


def test_answers_that_are_not_collections_are_connector_errors(
    linkedin: tuple[ApiServer, LinkedInApi],
) -> None:
    api, session = linkedin
    api.reply("/list", Reply(json=[1]))
    api.reply("/bare", Reply(json={"paging": {}}))
    with pytest.raises(
        ConnectorError,
        match=f"^{WHO}: LinkedIn answered /list with something that is not an object",
    ):
        session.get("/list")
    with pytest.raises(ConnectorError, match="without a list of elements"):
        list(session.pages("/bare", {}, 10, 2))


def test_a_missing_post_names_the_path(linkedin: tuple[ApiServer, LinkedInApi]) -> None:
    api, session = linkedin
    api.reply(
        "/socialActions/urn%3Ali%3Ashare%3A9/comments",
        Reply(404, json={"status": 404, "code": "NOT_FOUND", "message": "Not found"}),
    )
    with pytest.raises(ConnectorError) as caught:
        session.get("/socialActions/urn%3Ali%3Ashare%3A9/comments")
    assert str(caught.value) == (
        f"{WHO}: LinkedIn has nothing at /socialActions/urn:li:share:9/comments (HTTP 404, "
        "NOT_FOUND: Not found): check the organization id; a post or comment may have been deleted."
    )


def test_another_refusal_quotes_linkedin(linkedin: tuple[ApiServer, LinkedInApi]) -> None:
    api, session = linkedin
    api.reply("/posts", Reply(400, json={"status": 400, "message": "Invalid param author"}))
    with pytest.raises(
        ConnectorError,
        match=r"refused the request \(HTTP 400: Invalid param author\); check the source's settings",
    ):
        session.get("/posts")


def test_a_429_with_a_retry_after_date_waits_until_then(
    linkedin: tuple[ApiServer, LinkedInApi], waits: Waits
) -> None:
    api, session = linkedin
    when = waits.now + timedelta(
        seconds=20
    )  # short: slept by the shared client, then refused again
    api.reply("/posts", Reply(429, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    with pytest.raises(RateLimited) as caught:
        session.get("/posts")
    assert len(api.requests_to("/posts")) == 2
    assert waits.slept[0] == pytest.approx(20, abs=1)
    assert caught.value.retry_after == 60  # the date has passed: sbu waits a minute at least
