"""Reddit things: submissions (``t3``) and comments (``t1``) as the listing API returns them.

Things are identified by their fullname (``t3_abc``); a comment's ``parent_id`` and ``link_id``
are fullnames too, so threads link up. A crosspost is a repost of its ``crosspost_parent``.
A score below zero (a downvoted thing) is left out of the metrics, which count from zero; it
stays in the raw payload. Comments from older listings carry no ``permalink``: their address
is built from the submission and comment ids.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbu.connectors.fields import metrics, obj, opt_int, opt_str, parse_time, req_str
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

PLATFORM = "reddit"
SITE = "https://www.reddit.com"
DELETED_AUTHORS = frozenset({"[deleted]", "[removed]"})


class RedditThingMapper:
    key = "reddit"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        kind = payload.get("kind")
        data = obj(payload, "data", required=True)
        if kind == "t3":
            return self._submission(payload, data)
        if kind == "t1":
            return self._comment(payload, data)
        msg = f"A Reddit thing of kind {kind!r} is not a post: only t3 and t1 become mentions."
        raise BadPayload(msg)

    def _submission(self, payload: Mapping[str, Any], data: Mapping[str, Any]) -> MentionDraft:
        name = opt_str(data, "name") or f"t3_{req_str(data, 'id')}"
        return MentionDraft(
            platform=PLATFORM,
            external_id=name,
            text=opt_str(data, "selftext") or "",
            title=opt_str(data, "title"),
            created_at=parse_time(data.get("created_utc"), "created_utc"),
            raw=dict(payload),
            url=_permalink(data),
            author=_author(data),
            metrics=_score(data) | metrics(data, {"replies": "num_comments"}),
            repost_of_external_id=opt_str(data, "crosspost_parent"),
        )

    def _comment(self, payload: Mapping[str, Any], data: Mapping[str, Any]) -> MentionDraft:
        name = opt_str(data, "name") or f"t1_{req_str(data, 'id')}"
        return MentionDraft(
            platform=PLATFORM,
            external_id=name,
            text=opt_str(data, "body") or "",
            created_at=parse_time(data.get("created_utc"), "created_utc"),
            raw=dict(payload),
            url=_permalink(data) or _comment_url(data),
            author=_author(data),
            metrics=_score(data),
            parent_external_id=opt_str(data, "parent_id"),
            thread_external_id=opt_str(data, "link_id"),
        )


def _permalink(data: Mapping[str, Any]) -> str | None:
    permalink = opt_str(data, "permalink")
    if permalink is None:
        return None
    return permalink if permalink.startswith("http") else f"{SITE}{permalink}"


def _comment_url(data: Mapping[str, Any]) -> str | None:
    link = opt_str(data, "link_id")
    comment = opt_str(data, "id")
    if link is None or comment is None:
        return None
    subreddit = opt_str(data, "subreddit")
    prefix = f"{SITE}/r/{subreddit}" if subreddit else SITE
    return f"{prefix}/comments/{link.removeprefix('t3_')}/_/{comment}/"


def _score(data: Mapping[str, Any]) -> dict[str, int]:
    score = opt_int(data, "score")
    return {"score": score} if score is not None and score >= 0 else {}


def _author(data: Mapping[str, Any]) -> AuthorDraft | None:
    name = opt_str(data, "author")
    if name is None or name in DELETED_AUTHORS:
        return None
    return AuthorDraft(external_id=name, handle=f"u/{name}", url=f"{SITE}/user/{name}")
