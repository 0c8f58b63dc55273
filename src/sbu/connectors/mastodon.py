"""Mastodon statuses (REST API v1 ``Status`` entities and streaming ``update`` payloads).

A status is identified by its ``uri``, which is the same on every instance that federates it,
so a post seen through two instances is stored once. A boost (``reblog``) becomes a repost of
the boosted status: its text is the boosted text, its author the account that boosted.
Reply threading needs the instance's ``/context`` endpoint: the status only carries the
instance-local ``in_reply_to_id``, which is kept in the raw payload.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbu.connectors.fields import (
    language,
    metrics,
    obj,
    opt_int,
    opt_str,
    parse_time,
    req_str,
)
from sbu.core.errors import BadPayload
from sbu.core.text import html_to_text
from sbu.listening.drafts import AuthorDraft, MentionDraft

PLATFORM = "mastodon"
METRICS = {
    "replies": "replies_count",
    "reposts": "reblogs_count",
    "likes": "favourites_count",
    "quotes": "quotes_count",
}


class MastodonStatusMapper:
    key = "mastodon"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        status = payload
        boosted = obj(status, "reblog")
        content_source = boosted or status
        account = obj(status, "account", required=True)
        external_id = opt_str(status, "uri") or opt_str(status, "url")
        if external_id is None:
            msg = (
                "This Mastodon payload has neither 'uri' nor 'url', so it is not a status: "
                "give the mapper statuses (a notification's status is in its 'status' field)."
            )
            raise BadPayload(msg)
        return MentionDraft(
            platform=PLATFORM,
            external_id=external_id,
            text=_text(content_source),
            created_at=parse_time(status.get("created_at"), "created_at"),
            raw=dict(payload),
            url=opt_str(status, "url") or opt_str(status, "uri"),
            title=opt_str(content_source, "spoiler_text"),
            language=language(opt_str(content_source, "language")),
            author=account_to_author(account),
            metrics=metrics(content_source, METRICS),
            repost_of_external_id=(opt_str(boosted, "uri") if boosted else None),
        )


def _text(status: Mapping[str, Any]) -> str:
    """The status as plain text: its HTML ``content``, else the ``text`` source that the API
    returns instead of ``content`` when a status is deleted (for "delete and redraft")."""
    content = opt_str(status, "content")
    if content is not None:
        return html_to_text(content)
    return opt_str(status, "text") or ""


def account_to_author(account: Mapping[str, Any]) -> AuthorDraft:
    acct = req_str(account, "acct")
    url = opt_str(account, "url")
    # ``acct`` is local ("jeanne") for accounts of the serving instance; qualify it from the URL
    # so the same person has one author row whichever instance we read them from.
    if "@" not in acct and url and "://" in url:
        host = url.split("://", 1)[1].split("/", 1)[0]
        acct = f"{acct}@{host}"
    return AuthorDraft(
        external_id=acct,
        handle=f"@{acct}",
        display_name=opt_str(account, "display_name"),
        url=url,
        followers=opt_int(account, "followers_count"),
    )
