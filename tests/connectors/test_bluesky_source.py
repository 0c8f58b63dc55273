"""The configuration of a Bluesky source: modes, credentials, filters, and the sentences that say
what to fix."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sbu.connectors.bluesky_source import DEFAULT_JETSTREAM, BlueskySourceConfig

PASSWORD = "k2vq-7hxm-p4ta-zr3e"
DID = "did:plc:q7ynvzc3xk5wb2hjdm4tlr6e"


def search(**fields: Any) -> BlueskySourceConfig:
    values = {"query": "ondine box", "handle": "ondine.bsky.social", "app_password": PASSWORD}
    return BlueskySourceConfig.model_validate({**values, **fields})


def jetstream(**fields: Any) -> BlueskySourceConfig:
    return BlueskySourceConfig.model_validate({"mode": "jetstream", **fields})


def problem(**fields: Any) -> str:
    with pytest.raises(ValidationError) as caught:
        BlueskySourceConfig.model_validate(fields)
    return str(caught.value)


def test_a_search_source_is_normalised_and_polled() -> None:
    config = search(handle="@Ondine.bsky.social", query="  ondine   box  ", lang="FR-fr")
    assert config.mode == "search"
    assert config.handle == "ondine.bsky.social"
    assert config.query == "ondine box"
    assert config.lang == "fr"
    assert config.app_password is not None
    assert config.app_password.get_secret_value() == PASSWORD
    assert config.service == "https://bsky.social"
    assert config.limit == 100
    assert config.stream is False
    assert config.describe() == "the Bluesky search 'ondine box'"


def test_a_jetstream_source_is_streamed_unless_told_otherwise() -> None:
    config = jetstream(keywords=["Ondine", " box  fibre ", "ondine"], wanted_dids=[DID, DID])
    assert config.stream is True
    assert config.jetstream_url == DEFAULT_JETSTREAM
    assert config.keywords == ["Ondine", "box fibre"]  # repeats in any case are dropped
    assert config.wanted_dids == [DID]
    assert config.describe() == "the Jetstream of jetstream2.us-east.bsky.network"
    assert jetstream(stream=False).stream is False


def test_lists_typed_as_one_text_are_split() -> None:
    config = jetstream(keywords="Ondine, box fibre,,", wanted_dids=f"{DID}, did:web:ondine.example")
    assert config.keywords == ["Ondine", "box fibre"]
    assert config.wanted_dids == [DID, "did:web:ondine.example"]
    assert jetstream(stream="false", limit="20").stream is False


def test_a_jetstream_address_gets_its_subscribe_path() -> None:
    assert jetstream(jetstream_url="wss://Jetstream1.us-west.bsky.network").jetstream_url == (
        "wss://jetstream1.us-west.bsky.network/subscribe"
    )
    assert "is not a wss:// address" in problem(
        mode="jetstream", jetstream_url="https://jetstream1.us-west.bsky.network/subscribe"
    )
    assert "sbu adds the filters itself" in problem(
        mode="jetstream", jetstream_url=DEFAULT_JETSTREAM + "?wantedCollections=x"
    )


def test_an_unknown_mode_is_refused_with_the_choices() -> None:
    assert "use search (Bluesky's search, with an account) or jetstream" in problem(mode="firehose")


def test_a_search_needs_a_query_and_an_account() -> None:
    assert "the search mode needs a query" in problem(
        handle="ondine.bsky.social", app_password=PASSWORD
    )
    assert "Bluesky only searches for a signed-in account" in problem(query="ondine")


def test_the_handle_and_app_password_go_together() -> None:
    assert "give both (to search or reply) or neither" in problem(
        mode="jetstream", handle="ondine.bsky.social"
    )


def test_an_account_password_is_refused_without_being_quoted() -> None:
    message = problem(query="ondine", handle="ondine.bsky.social", app_password="MonMotDePasse!")
    assert "is not of the form xxxx-xxxx-xxxx-xxxx" in message
    assert "Settings → Privacy and security → App passwords" in message
    assert "MonMotDePasse" not in message


def test_handles_and_dids_are_checked() -> None:
    assert search(handle=DID).handle == DID
    assert "is not a Bluesky handle" in problem(query="x", handle="ondine", app_password=PASSWORD)
    assert "is not a DID" in problem(mode="jetstream", wanted_dids=["ondine.bsky.social"])


def test_the_service_must_be_an_https_server_address() -> None:
    assert search(service="pds.ondine.example/").service == "https://pds.ondine.example"
    assert "is not the https:// address of a Bluesky server" in problem(
        query="x", handle="ondine.bsky.social", app_password=PASSWORD, service="http://bsky.social"
    )
    assert "is not the https:// address" in problem(
        query="x", handle="a.bsky.social", app_password=PASSWORD, service="https://bsky.social/xrpc"
    )


def test_the_page_size_is_between_1_and_100() -> None:
    assert search(limit=1).limit == 1
    assert "use 1 to 100" in problem(
        query="x", handle="ondine.bsky.social", app_password=PASSWORD, limit=101
    )


def test_filters_of_one_mode_are_refused_in_the_other() -> None:
    assert "wanted_dids and keywords filter the Jetstream" in problem(
        query="x", handle="ondine.bsky.social", app_password=PASSWORD, keywords=["box"]
    )
    assert "a query is only used with mode=search" in problem(mode="jetstream", query="box")
    assert "a search cannot be streamed" in problem(
        query="x", handle="ondine.bsky.social", app_password=PASSWORD, stream=True
    )


def test_keywords_and_languages_are_checked() -> None:
    assert "longer than 100 characters" in problem(mode="jetstream", keywords=["x" * 101])
    assert "is not a language code" in problem(mode="jetstream", lang="français")
    assert jetstream(lang=" ", keywords=[" ", ""]).lang is None


def test_unknown_fields_are_refused() -> None:
    assert "extra" in problem(mode="jetstream", hashtag="ondine").lower()
