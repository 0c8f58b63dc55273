"""What the owned-channel connectors share: their parts, a reply's single attempt, and the
checks of a reply's text."""

from __future__ import annotations

import pytest

from sbu.connectors.owned_connector import DEFAULT_POLL_SECONDS, OwnedConnector, check_reply_text
from sbu.core.errors import InvalidInput
from sbu.settings import ConnectorSettings
from tests.connectors.helpers import Waits


class PageConnector(OwnedConnector):
    default_base_url = "https://graph.example/v1/"


def test_the_parts_and_the_address_are_kept() -> None:
    waits = Waits()
    page = PageConnector(ConnectorSettings(), sleep=waits.sleep, clock=waits.clock)
    assert page.base_url == "https://graph.example/v1"
    assert (page.sleep, page.clock) == (waits.sleep, waits.clock)
    assert page.default_poll_seconds == DEFAULT_POLL_SECONDS
    replaced = PageConnector(ConnectorSettings(), base_url="http://127.0.0.1:9/v1/")
    assert replaced.base_url == "http://127.0.0.1:9/v1"
    assert PageConnector(ConnectorSettings()).clock().tzinfo is not None


def test_a_poll_retries_and_a_reply_is_sent_once() -> None:
    settings = ConnectorSettings(attempts=4)
    page = PageConnector(settings)
    assert page.client_settings(retries=True) is settings
    once = page.client_settings(retries=False)
    assert once.attempts == 1
    assert settings.attempts == 4


def test_a_reply_within_the_platform_s_length_passes() -> None:
    check_reply_text("Merci, on regarde.", "LinkedIn", 18)


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("  \n", "The reply is empty: write the text to post on Instagram."),
        (
            "x" * 2201,
            "The reply is 2,201 characters long; Instagram takes at most 2,200: shorten it.",
        ),
    ],
)
def test_an_empty_or_long_reply_is_refused_with_a_sentence(text: str, sentence: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_reply_text(text, "Instagram", 2200)
    assert str(caught.value) == sentence
