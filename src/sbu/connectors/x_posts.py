"""The posts X sends (a page of the recent search, a stream message) as raw items.

X answers with ``data`` (the posts) and ``includes.users`` (their authors):
:func:`~sbu.connectors.x_mapping.posts_of_page` pairs them into envelopes
``{"tweet": ..., "author": ...}``. Each envelope is checked with the ``x`` payload mapper before
it is handed over: a post the mapper refuses becomes a :class:`~sbu.listening.drafts.Rejected`
item with the mapper's sentence, and the others go on. A post without an ``id`` is refused
here; posts already known are left out; the others come oldest first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sbu.connectors.mapped_items import ItemBatch, check_payload, payload_id, payload_text
from sbu.connectors.x_cursor import id_key
from sbu.connectors.x_mapping import XPostMapper, posts_of_page
from sbu.core.errors import BadPayload, ConnectorError
from sbu.listening.drafts import RawItem, Rejected

TWEET_FIELDS = (
    "created_at,author_id,lang,conversation_id,referenced_tweets,public_metrics,entities,"
    "in_reply_to_user_id,note_tweet"
)
#: The fields sbu asks X for with each post, searched or streamed.
FIELDS = {
    "tweet.fields": TWEET_FIELDS,
    "expansions": "author_id",
    "user.fields": "username,name,public_metrics",
}
_MAPPER = XPostMapper()


@dataclass(slots=True)
class PostBatch(ItemBatch):
    #: Posts X sent (what it bills), including those already known.
    count: int = 0


def read_posts(envelopes: Sequence[dict[str, Any]], where: str, known: set[str]) -> PostBatch:
    """Sort envelopes (:func:`~sbu.connectors.x_mapping.posts_of_page`) into new items and
    rejected ones; ``known`` ids are left out and the new ones added to it."""
    batch = PostBatch(count=len(envelopes))
    accepted: list[RawItem] = []
    for position, envelope in enumerate(envelopes, start=1):
        tweet = envelope.get("tweet")
        post_id = payload_id(tweet)
        if post_id is None:
            reason = (
                "This X post has no 'id', so sbu cannot store it or tell it from others: it was "
                "skipped; if every post lacks it, the answer is not X's API v2."
            )
            batch.rejected.append(
                Rejected(f"item {position} of {where}", reason, payload_text(tweet))
            )
            continue
        if post_id in known:
            continue
        known.add(post_id)
        batch.ids.append(post_id)
        locator = f"post {post_id} of {where}"
        checked = check_payload(_MAPPER, envelope, locator, platform="X", thing="post")
        if isinstance(checked, Rejected):
            batch.rejected.append(checked)
        else:
            accepted.append(checked)
    batch.items = sorted(accepted, key=oldest_first)
    return batch


def oldest_first(item: RawItem) -> tuple[int, int, str]:
    """The sort key of an item of :func:`read_posts`: its post's id."""
    return id_key(str(item.payload["tweet"]["id"]))


def page_posts(body: Mapping[str, Any], where: str) -> list[dict[str, Any]]:
    """The envelopes of a page of the recent search; a page that is not X's is an error."""
    try:
        return posts_of_page(body)
    except BadPayload as exc:
        msg = f"X answered {where} with a page sbu cannot read ({exc}): sbu tries again later."
        raise ConnectorError(msg) from exc
