"""Comments and posts of an owned LinkedIn organization page, as the Community Management API
gives them (``/rest/posts`` and ``/rest/socialActions/{urn}/comments``).

A comment's ``object`` names the post's *activity* (``urn:li:activity:…``), not the post's own
URN (``urn:li:share:…`` or ``urn:li:ugcPost:…``), so the ``linkedin`` connector hands over an
**envelope**, the mention's raw payload::

    {"organization": "urn:li:organization:2414183",
     "post": {"id": "urn:li:share:…", ...},               # the post as listed (or only its id)
     "comment": {"id", "commentUrn", "$URN", "actor", "object", "parentComment",
                 "message": {"text", "attributes"}, "created": {"actor", "time"},
                 "likesSummary": {...}, "commentsSummary": {...}}}    # as the API returned it

Without ``comment`` the envelope is the post (a source with ``include_posts``). A comment's id
is its comment URN (``urn:li:comment:(urn:li:activity:…,…)``); its parent is ``parentComment``
or else the post; its thread is the post. Dates are milliseconds since 1970. Post texts are in
LinkedIn's "little text format": mentions ``@[Name](urn:li:…)`` become the name, hashtag
templates ``{hashtag|\\#|fibre}`` become ``#fibre`` and backslash escapes are removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from sbu.connectors.fields import metrics, obj, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

FEED = "https://www.linkedin.com/feed/update/"
_MENTION = re.compile(r"@\[([^\]]*)\]\((urn:li:[^)]*)\)")
_HASHTAG = re.compile(r"\{hashtag\|\\?#\|([^}]*)\}")
_ESCAPE = re.compile(r"\\([\\|{}@\[\]()<>#*_~])")


class LinkedInMapper:
    """The ``linkedin`` mapper: a comment on an organization's post, or the post."""

    key = "linkedin"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        post = obj(payload, "post", required=True)
        post_urn = req_str(post, "id")
        if payload.get("comment") is None:
            return self._post(payload, post, post_urn)
        comment = obj(payload, "comment", required=True)
        urn = comment_urn(comment)
        actor = opt_str(comment, "actor") or opt_str(obj(comment, "created"), "actor")
        return MentionDraft(
            platform=self.key,
            external_id=urn,
            text=_text(opt_str(obj(comment, "message"), "text"), f"comment {urn}"),
            created_at=parse_time(obj(comment, "created").get("time"), "comment.created.time"),
            raw=dict(payload),
            url=f"{FEED}{post_urn}/?commentUrn={quote(urn, safe='')}",
            author=AuthorDraft(external_id=actor) if actor else None,
            metrics=metrics(obj(comment, "likesSummary"), {"likes": "totalLikes"})
            | metrics(obj(comment, "commentsSummary"), {"replies": "aggregatedTotalComments"}),
            parent_external_id=opt_str(comment, "parentComment") or post_urn,
            thread_external_id=post_urn,
        )

    def _post(
        self, payload: Mapping[str, Any], post: Mapping[str, Any], post_urn: str
    ) -> MentionDraft:
        author = opt_str(post, "author") or opt_str(payload, "organization")
        when = post.get("publishedAt") or post.get("createdAt")
        return MentionDraft(
            platform=self.key,
            external_id=post_urn,
            text=_text(little_text(opt_str(post, "commentary")), f"post {post_urn}"),
            created_at=parse_time(when, "post.publishedAt"),
            raw=dict(payload),
            url=f"{FEED}{post_urn}/",
            author=AuthorDraft(external_id=author) if author else None,
            thread_external_id=post_urn,
        )


def comment_urn(comment: Mapping[str, Any]) -> str:
    """The comment's URN: ``commentUrn`` or ``$URN``, or built from its activity and id."""
    urn = opt_str(comment, "commentUrn") or opt_str(comment, "$URN")
    if urn is not None:
        return urn
    activity, ident = opt_str(comment, "object"), opt_str(comment, "id")
    if activity is None or ident is None:
        msg = "The LinkedIn comment has neither 'commentUrn' nor 'object' and 'id': it cannot be identified."
        raise BadPayload(msg)
    return f"urn:li:comment:({activity},{ident})"


def little_text(text: str | None) -> str | None:
    """LinkedIn's little text format as plain text (see the module docstring)."""
    if text is None:
        return None
    text = _MENTION.sub(lambda m: m.group(1), text)
    text = _HASHTAG.sub(lambda m: f"#{m.group(1)}", text)
    return _ESCAPE.sub(lambda m: m.group(1), text)


def _text(text: str | None, what: str) -> str:
    if text is None or not text.strip():
        msg = f"The LinkedIn {what} has no text (an image or a document alone): there is nothing to listen to."
        raise BadPayload(msg)
    return text
