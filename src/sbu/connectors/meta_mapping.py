"""Comments and posts of owned Facebook Pages and Instagram accounts, as the Graph API gives them.

A Graph comment does not say which post it belongs to, so the owned-channel connectors hand
over an **envelope**: the post (or media) as sbu needs it, and the comment exactly as the Graph
API returned it. The envelope is the mention's raw payload.

``facebook``::

    {"page_id": "...", "post": {"id", "message", "created_time", "permalink_url", "from"},
     "comment": {"id", "message", "created_time", "from": {"id", "name"}, "parent": {"id"},
                 "permalink_url", "like_count", "comment_count"}}

``instagram``::

    {"account_id": "...", "media": {"id", "caption", "timestamp", "permalink", "username",
                                    "like_count", "comments_count"},
     "comment": {"id", "text", "timestamp", "username", "from": {"id", "username"},
                 "like_count", "parent_id", "replies": {"data": [...]}}}

Without ``comment`` the envelope is the post itself (a source with ``include_posts``). A
comment's parent is the comment it answers (Facebook ``parent.id``, Instagram ``parent_id``) or
else the post; its thread is the post. Graph dates look like ``2026-11-27T16:02:11+0000``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbu.connectors.fields import metrics, obj, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

INSTAGRAM = "https://www.instagram.com"


class FacebookMapper:
    """The ``facebook`` mapper: a comment on a Page's post, or the post."""

    key = "facebook"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        post = obj(payload, "post", required=True)
        post_id = req_str(post, "id")
        if payload.get("comment") is None:
            return self._post(payload, post, post_id)
        comment = obj(payload, "comment", required=True)
        author = obj(comment, "from")
        author_id = opt_str(author, "id")
        return MentionDraft(
            platform=self.key,
            external_id=req_str(comment, "id"),
            text=_text(comment, "message", "Facebook comment"),
            created_at=parse_time(comment.get("created_time"), "comment.created_time"),
            raw=dict(payload),
            url=_web(opt_str(comment, "permalink_url")),
            author=(
                AuthorDraft(external_id=author_id, display_name=opt_str(author, "name"))
                if author_id
                else None
            ),
            metrics=metrics(comment, {"likes": "like_count", "replies": "comment_count"}),
            parent_external_id=opt_str(obj(comment, "parent"), "id") or post_id,
            thread_external_id=post_id,
        )

    def _post(
        self, payload: Mapping[str, Any], post: Mapping[str, Any], post_id: str
    ) -> MentionDraft:
        author = obj(post, "from")
        page_id = opt_str(author, "id") or opt_str(payload, "page_id")
        return MentionDraft(
            platform=self.key,
            external_id=post_id,
            text=_text(post, "message", "Facebook post"),
            created_at=parse_time(post.get("created_time"), "post.created_time"),
            raw=dict(payload),
            url=_web(opt_str(post, "permalink_url")),
            author=(
                AuthorDraft(
                    external_id=page_id,
                    display_name=opt_str(author, "name"),
                    url=f"https://www.facebook.com/{page_id}",
                )
                if page_id
                else None
            ),
            thread_external_id=post_id,
        )


class InstagramMapper:
    """The ``instagram`` mapper: a comment (or reply) on a media of the account, or the media."""

    key = "instagram"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        media = obj(payload, "media", required=True)
        media_id = req_str(media, "id")
        if payload.get("comment") is None:
            return self._media(payload, media, media_id)
        comment = obj(payload, "comment", required=True)
        return MentionDraft(
            platform=self.key,
            external_id=req_str(comment, "id"),
            text=_text(comment, "text", "Instagram comment"),
            created_at=parse_time(comment.get("timestamp"), "comment.timestamp"),
            raw=dict(payload),
            url=_web(opt_str(media, "permalink")),
            author=_instagram_author(comment),
            metrics=metrics(comment, {"likes": "like_count"}),
            parent_external_id=opt_str(comment, "parent_id") or media_id,
            thread_external_id=media_id,
        )

    def _media(
        self, payload: Mapping[str, Any], media: Mapping[str, Any], media_id: str
    ) -> MentionDraft:
        username = opt_str(media, "username")
        account = opt_str(payload, "account_id") or username
        return MentionDraft(
            platform=self.key,
            external_id=media_id,
            text=_text(media, "caption", "Instagram media"),
            created_at=parse_time(media.get("timestamp"), "media.timestamp"),
            raw=dict(payload),
            url=_web(opt_str(media, "permalink")),
            author=(
                AuthorDraft(
                    external_id=account,
                    handle=f"@{username}" if username else None,
                    url=f"{INSTAGRAM}/{username}/" if username else None,
                )
                if account
                else None
            ),
            metrics=metrics(media, {"likes": "like_count", "replies": "comments_count"}),
            thread_external_id=media_id,
        )


def _instagram_author(comment: Mapping[str, Any]) -> AuthorDraft | None:
    author = obj(comment, "from")
    username = opt_str(comment, "username") or opt_str(author, "username")
    ident = opt_str(author, "id") or username
    if ident is None:
        return None
    return AuthorDraft(
        external_id=ident,
        handle=f"@{username}" if username else None,
        url=f"{INSTAGRAM}/{username}/" if username else None,
    )


def _text(item: Mapping[str, Any], name: str, what: str) -> str:
    """The text of a post or comment; refused when there is none (a photo or sticker alone)."""
    text = opt_str(item, name)
    if text is None or not text.strip():
        msg = (
            f"The {what} {item.get('id')!r} has no text (a photo, sticker or video alone): "
            "there is nothing to listen to."
        )
        raise BadPayload(msg)
    return text


def _web(url: str | None) -> str | None:
    return url if url is not None and url.startswith(("https://", "http://")) else None
