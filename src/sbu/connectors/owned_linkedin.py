"""An owned LinkedIn organization page: the ``linkedin`` connector.

LinkedIn's Community Management API gives an organization's administrators the comments on the
organization's own posts (not on other pages, nor members' posts). At each poll
(see :mod:`sbu.connectors.linkedin_api` for the HTTP side):

1. the organization's N most recent posts (``posts_to_watch``, published in the last
   ``watch_days``): ``GET /rest/posts?author=urn:li:organization:{id}&q=author&count=N``;
2. for each post, its comments: ``GET /rest/socialActions/{post-urn}/comments`` (every page, at
   most ``MAX_COMMENT_PAGES``, as LinkedIn promises no order). Replies to a comment are read
   from ``GET /rest/socialActions/{comment-urn}/comments`` only when the comment's reply count
   changed since the last poll (the cursor keeps the counts), so quiet threads cost nothing;
3. comments newer than the post's mark in the cursor (:mod:`sbu.connectors.owned_cursor`; the
   first poll takes the last day only) become ``linkedin`` items, oldest first (an envelope with
   the post, see :mod:`sbu.connectors.linkedin_mapping`); with ``include_posts`` the new posts
   too. A comment the mapper refuses is returned in ``rejected``, the page goes on.

``reply`` comments as the organization under a comment (a nested comment) or a post, sent once.
3-legged LinkedIn tokens last 60 days and LinkedIn gives no way to read their expiry with the
token alone: the date the administrator enters (``token_expires_at``) is reported with every
poll, so sbu warns before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from sbu.connectors.api_client import ApiClient
from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.linkedin_api import (
    API_BASE_URL,
    RESTLI_VERSION,
    LastAnswer,
    LinkedInApi,
    urn_path,
)
from sbu.connectors.linkedin_mapping import LinkedInMapper, little_text
from sbu.connectors.owned_config import LinkedInSourceConfig
from sbu.connectors.owned_connector import OwnedConnector, check_reply_text
from sbu.connectors.owned_cursor import OwnedCursor, PostMark
from sbu.connectors.owned_harvest import Harvest, time_of
from sbu.core.errors import ConnectorError, InvalidInput, Transient

__all__ = ["LinkedInConnector", "LinkedInSourceConfig"]

PAGE_SIZE = 100
MAX_COMMENT_PAGES = 10
#: LinkedIn refuses longer comments.
MAX_REPLY_CHARS = 1250
POST_URN = re.compile(r"urn:li:(?:share|ugcPost|activity):[0-9]{1,30}", re.ASCII)
COMMENT_URN = re.compile(r"urn:li:comment:\((urn:li:[A-Za-z]+:[0-9]{1,30}),[0-9]{1,30}\)", re.ASCII)


class LinkedInConnector(OwnedConnector):
    """Polls the comments on an organization's recent posts, and replies as the organization."""

    key = "linkedin"
    title = "LinkedIn organization page (owned)"
    settings_model: type[BaseModel] = LinkedInSourceConfig
    default_base_url = API_BASE_URL

    @cached_property
    def _mapper(self) -> LinkedInMapper:
        return LinkedInMapper()

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return the comments (and with ``include_posts`` the posts) new since the cursor."""
        source = source_config(config, LinkedInSourceConfig)
        organization, now = source.organization_urn, context.now
        state = OwnedCursor.read(cursor, organization)
        harvest = Harvest(self._mapper, "LinkedIn")
        who = f"LinkedIn organization {source.organization_id} (source {context.source_name!r})"
        with self._api(source, who, retries=True) as api:
            posts = self._posts(api, source, now)
            for urn, post in posts:
                mark = state.mark(urn, now)
                if source.include_posts and not mark.known:
                    harvest.offer_post(
                        {"organization": organization, "post": post},
                        post_id=urn,
                        when=time_of(_published(post), "publishedAt"),
                        text=little_text(_str(post.get("commentary"))),
                        where=f"LinkedIn post {urn}",
                        mark=mark,
                    )
                self._read_comments(api, urn, organization, mark, harvest)
        return harvest.result(
            state.dump([urn for urn, _ in posts], now), token_expires_at=source.token_expires_at
        )

    def reply(self, config: BaseModel, to: str, text: str) -> str:
        """Comment ``text`` as the organization under the comment or post ``to`` (a URN);
        return the URN of the new comment."""
        source = source_config(config, LinkedInSourceConfig)
        target = to.strip()
        nested = COMMENT_URN.fullmatch(target)
        if nested is None and not POST_URN.fullmatch(target):
            msg = f"{target[:80]!r} is not the URN of a LinkedIn comment or post: reply to a comment sbu collected from the organization's page."
            raise InvalidInput(msg)
        check_reply_text(text, "LinkedIn", MAX_REPLY_CHARS)
        body: dict[str, Any] = {
            "actor": source.organization_urn,
            "object": nested.group(1) if nested else target,
            "message": {"text": text},
        }
        if nested:
            body["parentComment"] = target
        who = f"LinkedIn organization {source.organization_id}"
        with self._api(source, who, retries=False) as api:
            try:
                response = api.post(f"/socialActions/{urn_path(target)}/comments", body)
            except Transient as exc:
                msg = (
                    f"{who}: LinkedIn did not confirm the reply to {target} (no answer or a "
                    "server error): it may or may not have been posted; look at the post on "
                    "LinkedIn before sending it again."
                )
                raise Transient(msg) from exc
        created = response.json() if response.body.strip() else {}
        found = _new_urn(created, response.headers.get("x-restli-id"), nested is not None, target)
        if found is None:
            msg = f"{who}: LinkedIn answered the reply to {target} without the new comment's id: look at the post on LinkedIn before sending it again."
            raise ConnectorError(msg)
        return found

    # -- internals ---------------------------------------------------------------------------

    @contextmanager
    def _api(
        self, source: LinkedInSourceConfig, who: str, *, retries: bool
    ) -> Iterator[LinkedInApi]:
        token, version = source.access_token, source.linkedin_version
        answers = LastAnswer()
        client = ApiClient(
            platform=f"LinkedIn (organization {source.organization_id})",
            base_url=self.base_url,
            settings=self.client_settings(retries=retries),
            headers=lambda: {
                "Authorization": f"Bearer {token.get_secret_value()}",
                "LinkedIn-Version": version,
                "X-Restli-Protocol-Version": RESTLI_VERSION,
            },
            transport=answers,
            sleep=self.sleep,
            clock=self.clock,
        )
        with client:
            yield LinkedInApi(client, answers, who, self.clock)

    def _posts(
        self, api: LinkedInApi, source: LinkedInSourceConfig, now: datetime
    ) -> list[tuple[str, dict[str, Any]]]:
        params = {"author": source.organization_urn, "q": "author", "count": source.posts_to_watch}
        elements = api.get("/posts", params).get("elements")
        if not isinstance(elements, list):
            msg = f"{api.who}: LinkedIn listed the posts without a list of elements; check the API address."
            raise ConnectorError(msg)
        oldest = now - timedelta(days=source.watch_days)
        posts: list[tuple[str, dict[str, Any]]] = []
        for post in elements:
            urn = post.get("id") if isinstance(post, dict) else None
            if (
                not isinstance(post, dict)
                or not isinstance(urn, str)
                or not urn.startswith("urn:li:")
            ):
                continue
            if post.get("lifecycleState", "PUBLISHED") != "PUBLISHED":
                continue
            when = time_of(_published(post), "publishedAt")
            if when is None or when >= oldest:
                posts.append((urn, post))
        return posts[: source.posts_to_watch]

    def _read_comments(
        self, api: LinkedInApi, post_urn: str, organization: str, mark: PostMark, harvest: Harvest
    ) -> None:
        counts: dict[str, int] = {}
        complete = self._read(api, post_urn, post_urn, organization, mark, harvest, counts)
        mark.counts = counts if complete else {**mark.counts, **counts}

    def _read(
        self,
        api: LinkedInApi,
        target: str,
        post_urn: str,
        organization: str,
        mark: PostMark,
        harvest: Harvest,
        counts: dict[str, int],
    ) -> bool:
        """Offer the comments under ``target`` (a post, or a comment for its replies); return
        whether every page was read."""
        path = f"/socialActions/{urn_path(target)}/comments"
        position = 0
        for elements, waiting in api.pages(path, {}, PAGE_SIZE, MAX_COMMENT_PAGES):
            for comment in elements:
                position += 1
                item = comment if isinstance(comment, dict) else {}
                urn = _comment_urn(item)
                harvest.offer(
                    {"organization": organization, "post": {"id": post_urn}, "comment": comment},
                    ident=urn,
                    when=time_of(_dict(item.get("created")).get("time"), "created.time"),
                    text=_dict(item.get("message")).get("text"),
                    where=f"comment {urn or position} on LinkedIn post {post_urn}",
                    mark=mark,
                )
                replies = _replies(item)
                if urn is None or target != post_urn or not replies:
                    continue
                if replies > mark.counts.get(urn, 0):
                    self._read(api, urn, post_urn, organization, mark, harvest, counts)
                counts[urn] = replies
            if not waiting:
                return True
        harvest.notes.append(
            f"LinkedIn {target} has more comments than sbu reads in one poll "
            f"({MAX_COMMENT_PAGES} pages): some new comments may be missing; poll more often."
        )
        return False


def _comment_urn(comment: dict[str, Any]) -> str | None:
    for key in ("commentUrn", "$URN"):
        value = comment.get(key)
        if isinstance(value, str) and value:
            return value
    activity, ident = comment.get("object"), comment.get("id")
    if isinstance(activity, str) and isinstance(ident, str) and activity and ident:
        return f"urn:li:comment:({activity},{ident})"
    return None


def _replies(comment: dict[str, Any]) -> int:
    summary = _dict(comment.get("commentsSummary"))
    for key in ("totalFirstLevelComments", "aggregatedTotalComments"):
        value = summary.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return 0


def _new_urn(created: Any, header: str | None, nested: bool, target: str) -> str | None:
    """The new comment's URN from the answer's body, or built from the id header."""
    if isinstance(created, dict) and (urn := _comment_urn(created)):
        return urn
    if not header:
        return None
    if header.startswith("urn:li:comment:"):
        return header
    found = COMMENT_URN.fullmatch(target) if nested else None
    activity = found.group(1) if found else target
    return f"urn:li:comment:({activity},{header})"


def _published(post: dict[str, Any]) -> Any:
    return post.get("publishedAt") or post.get("createdAt")


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
