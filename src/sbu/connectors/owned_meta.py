"""Owned Facebook Pages and Instagram accounts: the ``facebook`` and ``instagram`` connectors.

Both read the company's own page through Meta's Graph API (see :mod:`sbu.connectors.meta_graph`)
and reply there; they differ in ids, fields and edges (:class:`Network`). At each poll:

1. the N most recent posts (``posts_to_watch``, published in the last ``watch_days``) are
   listed: ``GET /{page-id}/posts`` or ``GET /{ig-user-id}/media``;
2. for each post, the comments newer than the post's mark in the cursor are read
   (:mod:`sbu.connectors.owned_cursor`; the first poll takes the last day only). Facebook lists
   every comment and reply newest first (``order=reverse_chronological&filter=stream``), so
   reading stops at the first comment already behind the mark. Instagram lists top-level
   comments with their replies nested, in no promised order, so every page is read (at most
   ``MAX_COMMENT_PAGES``);
3. each new comment is handed over as a ``facebook`` or ``instagram`` item (an envelope with the
   post, see :mod:`sbu.connectors.meta_mapping`), oldest first; with ``include_posts`` the new
   posts too. A comment the mapper refuses is returned in ``rejected`` (and not handed over
   again); a comment without text (a sticker or a photo alone) is skipped and counted in a note.

``reply`` posts under a comment (Facebook also under a post): ``POST /{comment-id}/comments`` or
``POST /{ig-comment-id}/replies``, sent once (never retried: Meta may have posted it before
failing), and returns the id of the new comment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property
from typing import Any

from pydantic import BaseModel

from sbu.connectors.api_client import ApiClient
from sbu.connectors.base import FetchContext, FetchResult
from sbu.connectors.config_checks import source_config
from sbu.connectors.meta_graph import GRAPH_BASE_URL, MetaGraph
from sbu.connectors.meta_mapping import FacebookMapper, InstagramMapper
from sbu.connectors.owned_config import (
    FacebookSourceConfig,
    InstagramSourceConfig,
    OwnedSourceConfig,
)
from sbu.connectors.owned_connector import OwnedConnector, check_reply_text
from sbu.connectors.owned_cursor import OwnedCursor, PostMark
from sbu.connectors.owned_harvest import Harvest, time_of
from sbu.core.errors import ConnectorError, InvalidInput, Transient

__all__ = [
    "FacebookConnector",
    "FacebookSourceConfig",
    "InstagramConnector",
    "InstagramSourceConfig",
]

MAX_COMMENT_PAGES = 10
#: Ids of Graph objects: a number, or two joined by "_" (a Page post, a Facebook comment).
GRAPH_ID = re.compile(r"[0-9]{1,30}(?:_[0-9]{1,30})?", re.ASCII)


@dataclass(frozen=True, slots=True)
class Network:
    """What differs between Facebook Pages and Instagram accounts."""

    key: str
    name: str
    what: str  # what the account is called in sentences
    container: str  # the envelope's key for the post
    account_key: str  # the envelope's key for the account id
    posts_edge: str
    post_fields: str
    post_text: str
    post_time: str
    post_link: str
    comment_fields: str
    comment_text: str
    comment_time: str
    comment_params: dict[str, str]
    page_size: int
    newest_first: bool
    reply_edge: str
    max_reply_chars: int


_IG_COMMENT = "id,text,timestamp,username,from,like_count"
FACEBOOK = Network(
    key="facebook", name="Facebook", what="Page", container="post", account_key="page_id",
    posts_edge="posts", post_fields="id,message,created_time,permalink_url,from{id,name}",
    post_text="message", post_time="created_time", post_link="permalink_url",
    comment_fields="id,message,created_time,from{id,name},parent{id},permalink_url,like_count,comment_count",
    comment_text="message", comment_time="created_time",
    comment_params={"order": "reverse_chronological", "filter": "stream"},
    page_size=100, newest_first=True, reply_edge="comments", max_reply_chars=8000,
)  # fmt: skip
INSTAGRAM = Network(
    key="instagram", name="Instagram", what="account", container="media", account_key="account_id",
    posts_edge="media",
    post_fields="id,caption,timestamp,permalink,username,like_count,comments_count",
    post_text="caption", post_time="timestamp", post_link="permalink",
    comment_fields=f"{_IG_COMMENT},replies.limit(50){{{_IG_COMMENT},parent_id}}",
    comment_text="text", comment_time="timestamp", comment_params={},
    page_size=50, newest_first=False, reply_edge="replies", max_reply_chars=2200,
)  # fmt: skip


class OwnedMetaConnector(OwnedConnector):
    """Polls the comments of one owned Facebook Page or Instagram account, and replies."""

    network: Network = FACEBOOK
    key = "facebook"
    title = "Facebook Page (owned)"
    settings_model: type[BaseModel] = FacebookSourceConfig
    default_base_url = GRAPH_BASE_URL

    @cached_property
    def _mapper(self) -> FacebookMapper | InstagramMapper:
        return FacebookMapper() if self.network.key == "facebook" else InstagramMapper()

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        """Return the comments (and with ``include_posts`` the posts) new since the cursor."""
        source = self._config(config)
        account, net, now = self._account(source), self.network, context.now
        state = OwnedCursor.read(cursor, account)
        harvest = Harvest(self._mapper, net.name)
        who = f"{net.name} {net.what} {account} (source {context.source_name!r})"
        with self._client(source, retries=True) as client:
            graph = MetaGraph(client, who, self.clock)
            posts = self._posts(graph, source, account, now)
            for post_id, post in posts:
                mark = state.mark(post_id, now)
                if source.include_posts and not mark.known:
                    harvest.offer_post(
                        {net.account_key: account, net.container: post},
                        post_id=post_id,
                        when=time_of(post.get(net.post_time), net.post_time),
                        text=post.get(net.post_text),
                        where=f"{net.name} post {post_id}",
                        mark=mark,
                    )
                self._read_comments(graph, post_id, post, account, mark, harvest)
        cursor_out = state.dump([post_id for post_id, _ in posts], now)
        return harvest.result(
            cursor_out, token_expires_at=source.token_expires_at, usage=graph.usage()
        )

    def reply(self, config: BaseModel, to: str, text: str) -> str:
        """Post ``text`` under the comment (or, on Facebook, the post) ``to``; return the id of
        the new comment."""
        source = self._config(config)
        net, target = self.network, to.strip()
        if not GRAPH_ID.fullmatch(target):
            msg = f"{target[:40]!r} is not the id of a {net.name} comment: reply to a comment sbu collected from the {net.what}."
            raise InvalidInput(msg)
        check_reply_text(text, net.name, net.max_reply_chars)
        who = f"{net.name} {net.what} {self._account(source)}"
        with self._client(source, retries=False) as client:
            graph = MetaGraph(client, who, self.clock)
            try:
                answer = graph.post(f"/{target}/{net.reply_edge}", {"message": text})
            except Transient as exc:
                msg = (
                    f"{who}: Meta did not confirm the reply to {target} (no answer or a server "
                    f"error): it may or may not have been posted; look at the comment on {net.name} "
                    "before sending it again."
                )
                raise Transient(msg) from exc
        new_id = answer.get("id")
        if not isinstance(new_id, str) or not new_id:
            msg = f"{who}: Meta answered the reply to {target} without the new comment's id: look at the comment on {net.name} before sending it again."
            raise ConnectorError(msg)
        return new_id

    # -- internals ---------------------------------------------------------------------------

    def _config(self, config: BaseModel) -> OwnedSourceConfig:
        valid = source_config(config, self.settings_model)
        if not isinstance(valid, OwnedSourceConfig):  # pragma: no cover - models are ours
            msg = f"The {self.key} connector was given a {type(config).__name__} configuration."
            raise TypeError(msg)
        return valid

    def _account(self, source: OwnedSourceConfig) -> str:
        return str(getattr(source, self.network.account_key))

    def _client(self, source: OwnedSourceConfig, *, retries: bool) -> ApiClient:
        token = source.access_token
        return ApiClient(
            platform=f"{self.network.name} ({self.network.what} {self._account(source)})",
            base_url=self.base_url,
            settings=self.client_settings(retries=retries),
            headers=lambda: {"Authorization": f"Bearer {token.get_secret_value()}"},
            sleep=self.sleep,
            clock=self.clock,
        )

    def _posts(
        self, graph: MetaGraph, source: OwnedSourceConfig, account: str, now: datetime
    ) -> list[tuple[str, dict[str, Any]]]:
        net = self.network
        oldest = now - timedelta(days=source.watch_days)
        params: dict[str, Any] = {"fields": net.post_fields, "limit": source.posts_to_watch}
        if net.key == "facebook":
            params["since"] = int(oldest.timestamp())
        data = graph.get(f"/{account}/{net.posts_edge}", params).get("data")
        if not isinstance(data, list):
            msg = f"{graph.who}: the Graph API listed the posts without a list of data; check the API address."
            raise ConnectorError(msg)
        posts: list[tuple[str, dict[str, Any]]] = []
        for post in data:
            post_id = post.get("id") if isinstance(post, dict) else None
            if not isinstance(post_id, str) or not GRAPH_ID.fullmatch(post_id):
                continue
            when = time_of(post.get(net.post_time), net.post_time)
            if when is not None and when < oldest:
                continue
            posts.append((post_id, post))
        return posts[: source.posts_to_watch]

    def _read_comments(
        self,
        graph: MetaGraph,
        post_id: str,
        post: dict[str, Any],
        account: str,
        mark: PostMark,
        harvest: Harvest,
    ) -> None:
        net = self.network
        ref = {key: post[key] for key in ("id", net.post_link) if key in post}
        params = {"fields": net.comment_fields, "limit": net.page_size, **net.comment_params}
        reached, count = False, 0
        for data, waiting in graph.pages(f"/{post_id}/comments", params, MAX_COMMENT_PAGES):
            for comment in data:
                for one in _with_replies(comment):
                    count += 1
                    item = one if isinstance(one, dict) else {}
                    ident = item.get("id")
                    behind = harvest.offer(
                        {net.account_key: account, net.container: ref, "comment": one},
                        ident=ident,
                        when=time_of(item.get(net.comment_time), net.comment_time),
                        text=item.get(net.comment_text),
                        where=f"comment {ident if isinstance(ident, str) else count} on {net.name} post {post_id}",
                        mark=mark,
                    )
                    reached = reached or behind
            if not waiting or (net.newest_first and reached):
                return
        harvest.notes.append(
            f"{net.name} post {post_id} has more comments than sbu reads in one poll "
            f"({MAX_COMMENT_PAGES} pages): older new comments may be missing; poll more often."
        )


class FacebookConnector(OwnedMetaConnector):
    network = FACEBOOK
    key = "facebook"
    title = "Facebook Page (owned)"
    settings_model: type[BaseModel] = FacebookSourceConfig


class InstagramConnector(OwnedMetaConnector):
    network = INSTAGRAM
    key = "instagram"
    title = "Instagram account (owned)"
    settings_model: type[BaseModel] = InstagramSourceConfig


def _with_replies(comment: Any) -> list[Any]:
    """The comment, then the replies an Instagram comment carries in ``replies.data``."""
    replies = comment.get("replies") if isinstance(comment, dict) else None
    data = replies.get("data") if isinstance(replies, dict) else None
    return [comment, *(data if isinstance(data, list) else [])]
