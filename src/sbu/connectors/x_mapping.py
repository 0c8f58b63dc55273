"""X (Twitter) posts of the API v2: the ``x`` payload mapper.

X answers a search, a lookup or a filtered stream with tweets in ``data`` and the accounts that
wrote them apart, in ``includes.users``, linked by ``author_id``. The connector hands the mapper
one post at a time in a small envelope that keeps both exactly as X sent them::

    {"tweet": {...one object of "data"...}, "author": {...its user of "includes.users"...}}

``author`` is null when X did not include the user (a suspended account); a stream message adds
``matching_rules``. A bare tweet object (with ``id`` and ``text`` at the top) is read too, for
imports of tweets saved without their authors. :func:`posts_of_page` builds the envelopes from a
whole response.

A post is identified by its id. A retweet (``referenced_tweets`` of type ``retweeted``) becomes a
repost of the retweeted id, a reply points to the post it answers (``replied_to``) and to its
conversation (``conversation_id``, the id of the post that started it).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sbu.connectors.fields import language, metrics, obj, opt_int, opt_str, parse_time
from sbu.core.errors import BadPayload
from sbu.listening.drafts import AuthorDraft, MentionDraft

PLATFORM = "x"
SITE = "https://x.com"
METRICS = {
    "likes": "like_count",
    "reposts": "retweet_count",
    "replies": "reply_count",
    "quotes": "quote_count",
    "views": "impression_count",
}


class XPostMapper:
    key = "x"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        if "tweet" in payload:
            tweet = obj(payload, "tweet", required=True)
            user = obj(payload, "author")
        else:
            tweet, user = payload, {}
        post_id = _post_id(tweet)
        author = _author(tweet, user)
        handle = opt_str(user, "username")
        references = _references(tweet)
        conversation = opt_str(tweet, "conversation_id")
        return MentionDraft(
            platform=PLATFORM,
            external_id=post_id,
            text=_text(tweet),
            created_at=_created_at(tweet),
            raw=dict(payload),
            url=post_url(post_id, handle),
            language=_language(opt_str(tweet, "lang")),
            author=author,
            metrics=metrics(obj(tweet, "public_metrics"), METRICS),
            parent_external_id=references.get("replied_to"),
            thread_external_id=conversation if conversation != post_id else None,
            repost_of_external_id=references.get("retweeted"),
        )


def post_url(post_id: str, username: str | None) -> str:
    """The post's address on x.com (``/i/web/status/<id>`` when the author is not known)."""
    if username:
        return f"{SITE}/{username}/status/{post_id}"
    return f"{SITE}/i/web/status/{post_id}"


def posts_of_page(page: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The envelopes (``{"tweet": ..., "author": ...}``) of the posts of one API v2 response,
    in the response's order. Entries of ``data`` that are not objects are kept as they are, so
    the caller can refuse them with a reason."""
    data = page.get("data")
    if data is None:
        return []
    if isinstance(data, Mapping):  # a stream message or a single lookup carries one post
        data = [data]
    if not isinstance(data, list):
        msg = f"The field 'data' must be a list of posts, not {type(data).__name__}."
        raise BadPayload(msg)
    users = users_by_id(page)
    envelopes: list[dict[str, Any]] = []
    for tweet in data:
        if not isinstance(tweet, Mapping):
            envelopes.append({"tweet": tweet, "author": None})
            continue
        author_id = tweet.get("author_id")
        envelopes.append({"tweet": tweet, "author": users.get(str(author_id))})
    return envelopes


def users_by_id(page: Mapping[str, Any]) -> dict[str, Any]:
    """The objects of ``includes.users`` by id (users without an id are left out)."""
    includes = page.get("includes")
    users = includes.get("users") if isinstance(includes, Mapping) else None
    if not isinstance(users, list):
        return {}
    found: dict[str, Any] = {}
    for user in users:
        if isinstance(user, Mapping) and isinstance(user.get("id"), str | int):
            found[str(user["id"])] = user
    return found


def _post_id(tweet: Mapping[str, Any]) -> str:
    value = tweet.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or not str(value).strip():
        msg = (
            "This X post has no 'id': it cannot be stored or linked; X always sends one, so "
            "check that the item is a post of the API v2 (an object of 'data')."
        )
        raise BadPayload(msg)
    return str(value).strip()


def _text(tweet: Mapping[str, Any]) -> str:
    """The full text: a long post's ``note_tweet.text`` (X cuts ``text`` at 280 characters),
    else ``text``; X's escapes of ``&``, ``<`` and ``>`` undone, and its t.co short links
    replaced by the addresses they stand for (``entities.urls``)."""
    note = opt_str(obj(tweet, "note_tweet"), "text")
    value = note if note is not None else tweet.get("text")
    if value is None:
        msg = (
            "This X post has no 'text': X always sends it with a post, so check that the item "
            "is a post of the API v2 and not a user or a rule."
        )
        raise BadPayload(msg)
    if not isinstance(value, str):
        msg = f"The field 'text' of an X post must be a string, not {type(value).__name__}."
        raise BadPayload(msg)
    text = value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    for short, expanded in _links(tweet):
        text = text.replace(short, expanded)
    return text


def _links(tweet: Mapping[str, Any]) -> list[tuple[str, str]]:
    entities = obj(tweet, "entities")
    urls = entities.get("urls")
    if not isinstance(urls, list):
        return []
    pairs: list[tuple[str, str]] = []
    for link in urls:
        if not isinstance(link, Mapping):
            continue
        short, expanded = link.get("url"), link.get("expanded_url")
        if (
            isinstance(short, str)
            and isinstance(expanded, str)
            and short.startswith("https://t.co/")
            and expanded.startswith(("http://", "https://"))
        ):
            pairs.append((short, expanded))
    return pairs


def _created_at(tweet: Mapping[str, Any]) -> datetime:
    if tweet.get("created_at") in (None, ""):
        msg = (
            "This X post has no 'created_at': ask X for it with tweet.fields=created_at (sbu's "
            "connector does); a post without a date cannot be placed in time."
        )
        raise BadPayload(msg)
    return parse_time(tweet.get("created_at"), "created_at")


def _language(value: str | None) -> str | None:
    """X's ``lang``; its own codes for posts without words (``qme`` media only, ``qht``
    hashtags only, ``qam`` mentions only...: ISO's ``qaa``-``qtz`` range) give no language."""
    code = language(value)
    if code is not None and len(code) == 3 and "qaa" <= code <= "qtz":
        return None
    return code


def _author(tweet: Mapping[str, Any], user: Mapping[str, Any]) -> AuthorDraft | None:
    author_id = opt_str(user, "id") or opt_str(tweet, "author_id")
    if author_id is None:
        return None
    username = opt_str(user, "username")
    return AuthorDraft(
        external_id=author_id,
        handle=f"@{username}" if username else None,
        display_name=opt_str(user, "name"),
        url=f"{SITE}/{username}" if username else None,
        followers=opt_int(obj(user, "public_metrics"), "followers_count"),
    )


def _references(tweet: Mapping[str, Any]) -> dict[str, str]:
    """``referenced_tweets`` as {type: id} (``retweeted``, ``quoted``, ``replied_to``)."""
    references = tweet.get("referenced_tweets")
    if references is None:
        return {}
    if not isinstance(references, list):
        msg = (
            "The field 'referenced_tweets' of an X post must be a list, not "
            f"{type(references).__name__}."
        )
        raise BadPayload(msg)
    found: dict[str, str] = {}
    for reference in references:
        if not isinstance(reference, Mapping):
            continue
        kind, ref_id = opt_str(reference, "type"), opt_str(reference, "id")
        if kind is not None and ref_id is not None:
            found.setdefault(kind, ref_id)
    return found
