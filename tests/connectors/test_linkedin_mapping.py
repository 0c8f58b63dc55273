"""The ``linkedin`` payload mapper on the Community Management API fixtures (envelopes of a
post and, for comments, the comment as the API returns it), and the little text format."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sbu.connectors.linkedin_mapping import LinkedInMapper, comment_urn, little_text
from sbu.core.errors import BadPayload
from sbu.listening.drafts import check_draft
from tests.conftest import NOW
from tests.connectors.owned_payloads import ORGANIZATION, linkedin_items

POST = "urn:li:share:7266789012345678848"
ACTIVITY = "urn:li:activity:7266789013125603328"
QUESTION = f"urn:li:comment:({ACTIVITY},7266811129384761344)"


def test_every_linkedin_fixture_maps_to_a_valid_mention_keeping_the_envelope() -> None:
    items = linkedin_items()
    drafts = [LinkedInMapper().to_mention(item) for item in items]
    for item, draft in zip(items, drafts, strict=True):
        check_draft(draft, now=NOW, max_text_chars=100_000)
        assert draft.platform == "linkedin"
        assert draft.raw == item
    assert [d.external_id for d in drafts] == [
        POST,
        "urn:li:ugcPost:7266123456789012480",
        QUESTION,
        f"urn:li:comment:({ACTIVITY},7266985542019272704)",
        f"urn:li:comment:({ACTIVITY},7266993307745046528)",
    ]


def test_a_post_is_the_organization_speaking_in_plain_text() -> None:
    draft = LinkedInMapper().to_mention(linkedin_items()[0])
    assert draft.text == (
        "Nous recrutons 12 technicien·ne·s fibre en Finistère (CDI, Quimper et Brest). "
        "Rejoignez Télécom Ouest ! #recrutement"
    )
    assert draft.created_at == datetime(2026, 11, 27, 16, 5, tzinfo=UTC)
    assert draft.url == f"https://www.linkedin.com/feed/update/{POST}/"
    assert draft.author is not None
    assert draft.author.external_id == ORGANIZATION
    assert draft.thread_external_id == POST


def test_a_comment_hangs_under_the_post_and_a_reply_under_its_comment() -> None:
    question, _, answer = (LinkedInMapper().to_mention(i) for i in linkedin_items()[2:])
    assert question.text.startswith("Les postes sont-ils ouverts aux alternants")
    assert question.created_at == datetime(2026, 11, 27, 18, 20, 31, tzinfo=UTC)
    assert question.parent_external_id == POST
    assert question.thread_external_id == POST
    assert question.author is not None
    assert question.author.external_id == "urn:li:person:Xk3pL9qR2t"
    assert question.metrics == {"likes": 3, "replies": 1}
    assert question.url == (
        f"https://www.linkedin.com/feed/update/{POST}/?commentUrn="
        "urn%3Ali%3Acomment%3A%28urn%3Ali%3Aactivity%3A7266789013125603328%2C7266811129384761344%29"
    )
    assert answer.parent_external_id == QUESTION
    assert answer.thread_external_id == POST
    assert answer.author is not None
    assert answer.author.external_id == ORGANIZATION  # the page answered, through a member


def test_a_comment_without_urn_fields_gets_one_from_its_activity_and_id() -> None:
    comment = linkedin_items()[2]["comment"]
    del comment["commentUrn"], comment["$URN"]
    assert comment_urn(comment) == QUESTION
    del comment["object"]
    with pytest.raises(BadPayload, match="cannot be identified"):
        comment_urn(comment)


@pytest.mark.parametrize(
    ("text", "plain"),
    [
        ("Bravo \\(et merci\\) !", "Bravo (et merci) !"),
        ("Avec @[Ville de Brest](urn:li:organization:99) hier", "Avec Ville de Brest hier"),
        ("{hashtag|\\#|fibre} et {hashtag|#|5G}", "#fibre et #5G"),
        ("Sans rien de spécial", "Sans rien de spécial"),
    ],
)
def test_little_text_becomes_plain_text(text: str, plain: str) -> None:
    assert little_text(text) == plain


@pytest.mark.parametrize(
    ("index", "path", "value", "expected"),
    [
        (2, ("comment", "message"), {"text": "  ", "attributes": []}, "has no text"),
        (
            2,
            ("comment", "created"),
            {"actor": "urn:li:person:x"},
            "'comment.created.time' is missing",
        ),
        (2, ("comment", "likesSummary"), {"totalLikes": "beaucoup"}, "whole number"),
        (0, ("post", "commentary"), None, "has no text"),
    ],
)
def test_malformed_payloads_are_refused_with_a_sentence(
    index: int, path: tuple[str, str], value: object, expected: str
) -> None:
    item = linkedin_items()[index]
    item[path[0]][path[1]] = value
    with pytest.raises(BadPayload, match=expected):
        LinkedInMapper().to_mention(item)


def test_an_envelope_without_its_post_is_refused() -> None:
    with pytest.raises(BadPayload, match="'post' is missing"):
        LinkedInMapper().to_mention({"comment": linkedin_items()[2]["comment"]})
