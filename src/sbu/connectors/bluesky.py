"""Bluesky posts: ``app.bsky.feed.defs#postView`` (search, feeds) and Jetstream commits.

A post is identified by its ``at://`` URI. Replies carry the URIs of their parent and of the
thread root, so threads link up across sources.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbu.connectors.fields import language, metrics, obj, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

PLATFORM = "bluesky"
POST_COLLECTION = "app.bsky.feed.post"
METRICS = {
    "replies": "replyCount",
    "reposts": "repostCount",
    "likes": "likeCount",
    "quotes": "quoteCount",
}


class BlueskyPostMapper:
    key = "bluesky"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        kind = payload.get("kind")
        if kind == "commit":
            return self._from_jetstream(payload)
        if kind is not None:  # Jetstream "identity" and "account" events
            msg = (
                f"This Jetstream event is of kind {kind!r}; only commits that create posts "
                "become mentions."
            )
            raise BadPayload(msg)
        uri = req_str(payload, "uri")
        record = obj(payload, "record", required=True)
        author = obj(payload, "author", required=True)
        handle = req_str(author, "handle")
        did = req_str(author, "did")
        return MentionDraft(
            platform=PLATFORM,
            external_id=uri,
            text=_text(record),
            created_at=parse_time(record.get("createdAt"), "record.createdAt"),
            raw=dict(payload),
            url=post_url(handle, uri),
            language=_language(record),
            author=AuthorDraft(
                external_id=did,
                handle=f"@{handle}",
                display_name=opt_str(author, "displayName"),
                url=f"https://bsky.app/profile/{handle}",
            ),
            metrics=metrics(payload, METRICS),
            parent_external_id=_reply_uri(record, "parent"),
            thread_external_id=_reply_uri(record, "root"),
        )

    def _from_jetstream(self, payload: Mapping[str, Any]) -> MentionDraft:
        did = req_str(payload, "did")
        commit = obj(payload, "commit", required=True)
        if commit.get("collection") != POST_COLLECTION or commit.get("operation") != "create":
            msg = (
                f"This Jetstream event is a {commit.get('operation')!r} of "
                f"{commit.get('collection')!r}; only the creation of posts becomes a mention."
            )
            raise BadPayload(msg)
        record = obj(commit, "record", required=True)
        uri = f"at://{did}/{POST_COLLECTION}/{req_str(commit, 'rkey')}"
        return MentionDraft(
            platform=PLATFORM,
            external_id=uri,
            text=_text(record),
            created_at=parse_time(record.get("createdAt"), "record.createdAt"),
            raw=dict(payload),
            url=post_url(did, uri),
            language=_language(record),
            author=AuthorDraft(external_id=did, url=f"https://bsky.app/profile/{did}"),
            parent_external_id=_reply_uri(record, "parent"),
            thread_external_id=_reply_uri(record, "root"),
        )


def post_url(actor: str, uri: str) -> str:
    return f"https://bsky.app/profile/{actor}/post/{uri.rsplit('/', 1)[-1]}"


def _text(record: Mapping[str, Any]) -> str:
    text = record.get("text", "")
    if not isinstance(text, str):
        msg = "The field 'record.text' must be a string."
        raise BadPayload(msg)
    return text


def _language(record: Mapping[str, Any]) -> str | None:
    langs = record.get("langs")
    if isinstance(langs, list) and langs:
        return language(langs[0])
    return None


def _reply_uri(record: Mapping[str, Any], which: str) -> str | None:
    reply = obj(record, "reply")
    return opt_str(obj(reply, which), "uri") if reply else None
