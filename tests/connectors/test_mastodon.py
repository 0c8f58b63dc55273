"""The Mastodon status mapper: statuses, boosts, HTML content, accounts; and every real sample."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from sbu.connectors.mastodon import MastodonStatusMapper, account_to_author
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft
from tests.connectors.payloads import load

MAPPER = MastodonStatusMapper()
STATUS: dict[str, Any] = load("mastodon", "status.json")
REBLOG: dict[str, Any] = load("mastodon", "reblog.json")


def test_a_status_maps_to_a_mention() -> None:
    draft = MAPPER.to_mention(STATUS)
    assert draft.platform == "mastodon"
    assert draft.external_id == "https://piaille.example/users/gwenola/statuses/113530207364418234"
    assert draft.url == "https://piaille.example/@gwenola/113530207364418234"
    assert draft.created_at == datetime(2026, 11, 27, 18, 42, 7, 512000, tzinfo=UTC)
    assert draft.language == "fr"
    assert draft.metrics == {"replies": 3, "reposts": 7, "likes": 21, "quotes": 1}
    assert draft.repost_of_external_id is None
    assert draft.raw == STATUS


def test_html_content_becomes_plain_text_and_scripts_never_survive() -> None:
    draft = MAPPER.to_mention(STATUS)
    assert draft.text == (
        "Troisième coupure de la fibre cette semaine à Quimper, @telecomouest vous comptez faire "
        "quelque chose\u00a0?\n\nLe télétravail, c'est pas avec la 4G du voisin. #panne"
    )
    assert "<" not in draft.text
    assert "alert" not in draft.text
    assert "vole-moi" not in draft.text


def test_escaped_markup_written_by_a_person_stays_text() -> None:
    status = {**STATUS, "content": "<p>Ils ont écrit &lt;b&gt;gratuit&lt;/b&gt; sur la pub</p>"}
    assert MAPPER.to_mention(status).text == "Ils ont écrit <b>gratuit</b> sur la pub"


def test_spoiler_text_becomes_the_title() -> None:
    assert MAPPER.to_mention(STATUS).title == "Coup de gueule"
    assert MAPPER.to_mention({**STATUS, "spoiler_text": ""}).title is None


def test_a_local_account_is_qualified_with_the_instance_host() -> None:
    author = MAPPER.to_mention(STATUS).author
    assert author == AuthorDraft(
        external_id="gwenola@piaille.example",
        handle="@gwenola@piaille.example",
        display_name="Gwenola K.",
        url="https://piaille.example/@gwenola",
        followers=412,
    )


def test_the_same_person_seen_from_two_instances_is_one_author() -> None:
    local = account_to_author(STATUS["account"])
    remote = account_to_author(REBLOG["reblog"]["account"])
    assert local.external_id == remote.external_id == "gwenola@piaille.example"


def test_an_account_without_url_keeps_its_acct() -> None:
    author = account_to_author({"acct": "gwenola", "url": None})
    assert (author.external_id, author.handle) == ("gwenola", "@gwenola")


def test_a_boost_is_a_repost_of_the_boosted_status() -> None:
    draft = MAPPER.to_mention(REBLOG)
    assert draft.external_id == (
        "https://mastodon.breizh.example/users/yannick/statuses/113530398210557601/activity"
    )
    assert draft.repost_of_external_id == (
        "https://piaille.example/users/gwenola/statuses/113530207364418234"
    )
    assert (
        draft.text
        == "Bonne nouvelle\u00a0: la fibre est revenue à Quimper, merci aux techniciens de Télécom Ouest\u00a0!"
    )
    assert draft.language == "fr"  # the boost itself has none
    assert draft.metrics == {"replies": 3, "reposts": 8, "likes": 22, "quotes": 1}
    assert draft.created_at == datetime(2026, 11, 27, 19, 30, 41, 3000, tzinfo=UTC)
    assert draft.author is not None
    assert draft.author.external_id == "yannick@mastodon.breizh.example"  # who boosted
    assert draft.author.display_name == "Yannick 📡"


def test_a_deleted_status_maps_its_source_text() -> None:
    draft = MAPPER.to_mention(load("mastodon", "deleted.json"))
    assert (
        draft.text
        == "Finalement la box redémarre toute seule toutes les nuits à 3h, c'est normal ?"
    )


def test_a_status_without_uri_is_identified_by_its_url() -> None:
    status = {**STATUS, "uri": None}
    draft = MAPPER.to_mention(status)
    assert draft.external_id == draft.url == "https://piaille.example/@gwenola/113530207364418234"


def test_a_payload_that_is_not_a_status_is_refused_with_a_sentence() -> None:
    notification = {
        "id": "5512",
        "type": "follow",
        "created_at": "2026-11-27T18:42:07.512Z",
        "account": STATUS["account"],
    }
    with pytest.raises(BadPayload, match=r"^This Mastodon payload has neither 'uri' nor 'url'"):
        MAPPER.to_mention(notification)


def test_a_status_without_account_is_refused() -> None:
    with pytest.raises(
        BadPayload, match=r"^The field 'account' is missing; it must be an object\.$"
    ):
        MAPPER.to_mention({**STATUS, "account": None})


def test_an_account_without_acct_is_refused() -> None:
    status = copy.deepcopy(STATUS)
    del status["account"]["acct"]
    with pytest.raises(BadPayload, match=r"^The field 'acct' is missing or empty\.$"):
        MAPPER.to_mention(status)


def test_a_status_without_date_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The field 'created_at' is missing"):
        MAPPER.to_mention({**STATUS, "created_at": None})


def test_a_negative_counter_is_refused() -> None:
    with pytest.raises(BadPayload, match=r"^The counter 'favourites_count' is negative"):
        MAPPER.to_mention({**STATUS, "favourites_count": -1})


def _map(payload: dict[str, Any]) -> MentionDraft | BadPayload:
    """The draft, or the BadPayload refusal; any other exception fails the test."""
    try:
        return MAPPER.to_mention(payload)
    except BadPayload as exc:
        return exc


def _statuses(document: Any) -> list[dict[str, Any]]:
    """The statuses in one API response: a status, a list of them, or notifications."""
    items = document if isinstance(document, list) else [document]
    found: list[dict[str, Any]] = []
    for item in items:
        if isinstance(item.get("status"), dict):  # a notification carries its status
            found.append(item["status"])
        elif "created_at" in item and "account" in item:
            found.append(item)
    return found


@pytest.mark.shared
def test_every_real_sample_status_maps_or_is_refused_with_a_sentence(shared_data: Path) -> None:
    files = sorted((shared_data / "payloads" / "mastodon").glob("test_*.json"))
    assert files, "no Mastodon samples found"
    mapped = 0
    refused: list[str] = []
    for path in files:
        for status in _statuses(orjson.loads(path.read_bytes())):
            outcome = _map(status)
            if isinstance(outcome, BadPayload):
                refused.append(f"{path.name}: {outcome}")
                continue
            mapped += 1
            assert outcome.external_id.startswith("http"), path.name
            assert outcome.created_at.tzinfo is not None
            assert outcome.author is not None
            assert "@" in outcome.author.external_id
            assert "<" not in outcome.text, f"{path.name}: markup left in {outcome.text!r}"
    assert mapped >= 20
    assert refused == []  # every real status maps
