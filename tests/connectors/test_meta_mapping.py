"""The ``facebook`` and ``instagram`` payload mappers on the Graph API fixtures (envelopes of a
post or media and, for comments, the comment as the API returns it)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.connectors.meta_mapping import FacebookMapper, InstagramMapper
from sbu.core.errors import BadPayload
from sbu.listening.drafts import check_draft
from tests.conftest import NOW
from tests.connectors.owned_payloads import IG_ACCOUNT, PAGE_ID, facebook_items, instagram_items

POST = "104729381726354_918273645501928"
MEDIA = "17984512367290144"


def test_every_facebook_fixture_maps_to_a_valid_mention_keeping_the_envelope() -> None:
    items = facebook_items()
    drafts = [FacebookMapper().to_mention(item) for item in items]
    for item, draft in zip(items, drafts, strict=True):
        check_draft(draft, now=NOW, max_text_chars=100_000)
        assert draft.platform == "facebook"
        assert draft.raw == item
    assert [d.external_id for d in drafts] == [
        POST,
        "104729381726354_918273645501777",
        "918273645501928_1187364512093851",
        "918273645501928_1187364512093849",
        "918273645501928_1187364512093843",
    ]


def test_a_facebook_post_is_the_page_speaking() -> None:
    draft = FacebookMapper().to_mention(facebook_items()[0])
    assert draft.text.startswith("Travaux sur le réseau fibre à Quimper")
    assert draft.created_at == datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
    assert draft.url == "https://www.facebook.com/104729381726354/posts/918273645501928"
    assert draft.author is not None
    assert draft.author.external_id == PAGE_ID
    assert draft.author.display_name == "Télécom Ouest"
    assert draft.author.url == f"https://www.facebook.com/{PAGE_ID}"
    assert draft.thread_external_id == POST
    assert draft.parent_external_id is None


def test_a_facebook_comment_hangs_under_its_post_and_a_reply_under_its_comment() -> None:
    reply, top, anonymous = (FacebookMapper().to_mention(i) for i in facebook_items()[2:])
    assert top.parent_external_id == POST
    assert top.thread_external_id == POST
    assert top.author is not None
    assert (top.author.external_id, top.author.display_name) == (
        "7310254488119036",
        "Yannick Le Goff",
    )
    assert top.metrics == {"likes": 4, "replies": 1}
    assert top.created_at == datetime(2026, 11, 28, 8, 15, 55, tzinfo=UTC)
    assert top.url is not None
    assert top.url.endswith("comment_id=1187364512093849")
    assert reply.parent_external_id == "918273645501928_1187364512093849"
    assert reply.thread_external_id == POST
    # Without pages_read_user_content Meta leaves out `from`: the comment has no author.
    assert anonymous.author is None
    assert anonymous.text == "Merci pour l'info, c'est rare d'être prévenu à l'avance !"


def test_every_instagram_fixture_maps_to_a_valid_mention_keeping_the_envelope() -> None:
    items = instagram_items()
    drafts = [InstagramMapper().to_mention(item) for item in items]
    for item, draft in zip(items, drafts, strict=True):
        check_draft(draft, now=NOW, max_text_chars=100_000)
        assert draft.platform == "instagram"
        assert draft.raw == item
    assert len(drafts) == 5


def test_instagram_media_comment_and_reply() -> None:
    media, comment, reply, _other = (
        InstagramMapper().to_mention(i) for i in instagram_items()[0:1] + instagram_items()[2:]
    )
    assert media.external_id == MEDIA
    assert media.text.startswith("La fibre arrive à Douarnenez")
    assert media.url == "https://www.instagram.com/p/DCx7Yq2sAbC/"
    assert media.metrics == {"likes": 48, "replies": 3}
    assert media.author is not None
    assert (media.author.external_id, media.author.handle) == (IG_ACCOUNT, "@telecomouest")

    assert comment.parent_external_id == MEDIA
    assert comment.thread_external_id == MEDIA
    assert comment.url == "https://www.instagram.com/p/DCx7Yq2sAbC/"
    assert comment.author is not None
    assert comment.author.external_id == "17841452736150093"
    assert comment.author.handle == "@maelle.kb"
    assert comment.author.url == "https://www.instagram.com/maelle.kb/"
    assert comment.metrics == {"likes": 5}

    assert reply.external_id == "18046281739502240"
    assert reply.parent_external_id == "18046281739502231"
    assert reply.thread_external_id == MEDIA


def test_an_instagram_comment_without_from_is_known_by_its_username() -> None:
    item = instagram_items()[2]
    del item["comment"]["from"]
    draft = InstagramMapper().to_mention(item)
    assert draft.author is not None
    assert draft.author.external_id == "maelle.kb"


@pytest.mark.parametrize(
    ("mapper", "item", "change", "expected"),
    [
        (FacebookMapper(), facebook_items()[3], ("comment", "message", ""), "has no text"),
        (
            FacebookMapper(),
            facebook_items()[3],
            ("comment", "created_time", "hier"),
            "not an ISO 8601",
        ),
        (FacebookMapper(), facebook_items()[3], ("comment", "id", None), "'id' is missing"),
        (FacebookMapper(), facebook_items()[0], ("post", "message", None), "has no text"),
        (
            InstagramMapper(),
            instagram_items()[2],
            ("comment", "timestamp", None),
            "'comment.timestamp' is missing",
        ),
        (InstagramMapper(), instagram_items()[2], ("comment", "like_count", -3), "negative"),
    ],
)
def test_malformed_payloads_are_refused_with_a_sentence(
    mapper: FacebookMapper | InstagramMapper,
    item: dict[str, object],
    change: tuple[str, str, object],
    expected: str,
) -> None:
    part, name, value = change
    target = item[part]
    assert isinstance(target, dict)
    target[name] = value
    with pytest.raises(BadPayload, match=expected):
        mapper.to_mention(item)


def test_an_envelope_without_its_post_is_refused() -> None:
    with pytest.raises(BadPayload, match="'post' is missing"):
        FacebookMapper().to_mention({"comment": facebook_items()[3]["comment"]})
    with pytest.raises(BadPayload, match="'media' is missing"):
        InstagramMapper().to_mention({"comment": instagram_items()[2]["comment"]})
