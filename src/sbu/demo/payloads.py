"""Shaping planned posts into each platform's real API format.

* Mastodon: REST API v1 ``Status`` entities (HTML content, mentions, tags; boosts as a status
  whose ``reblog`` holds the boosted one), as a client of the instance ``piaille-ouest.example``
  sees them;
* Bluesky: ``app.bsky.feed.defs#postView`` (search and feed results), with facets for mentions,
  tags and links (UTF-8 byte offsets) and reply references;
* Reddit: listing children ``{"kind": "t3"|"t1", "data": {...}}`` (submissions, comments with
  ``parent_id``/``link_id``, crossposts with ``crosspost_parent``);
* YouTube Data API v3: ``youtube#video``, ``youtube#commentThread`` and ``youtube#comment``
  (replies, whose ``parentId`` is the thread's top-level comment);
* RSS: the feed entry payload of :mod:`sbu.connectors.rss_mapping`.

The mappers in :mod:`sbu.connectors` read these payloads exactly as they read real ones.
"""

from __future__ import annotations

import html
import random
from datetime import UTC, datetime, timedelta
from typing import Any

from sbu.demo import ids
from sbu.demo.authors import Persona
from sbu.demo.payload_text import bluesky_facets, markdown_html, mastodon_html, tokens
from sbu.demo.plan import Event
from sbu.demo.world import OUTLETS_BY_KEY

HOME_INSTANCE = "piaille-ouest.example"


def iso(at: datetime, *, millis: bool = True) -> str:
    """``2026-11-28T09:00:00.000Z`` (Mastodon, Bluesky) or without milliseconds (YouTube)."""
    text = at.astimezone(UTC).isoformat(timespec="milliseconds" if millis else "seconds")
    return text.replace("+00:00", "Z")


class Shaper:
    """Builds platform payloads for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._dids: dict[str, str] = {}

    def did(self, handle: str) -> str:
        found = self._dids.get(handle)
        if found is None:
            found = self._dids[handle] = ids.bluesky_did(self.seed, handle)
        return found

    # -- identities -------------------------------------------------------------------------

    def external_id(self, event: Event) -> str:
        """The id the platform's mapper stores this post under."""
        platform = event.platform
        if platform == "mastodon":
            return self._mastodon_uri(event)
        if platform == "bluesky":
            return self._bluesky_uri(event)
        if platform == "reddit":
            prefix = "t1" if event.parent is not None else "t3"
            return f"{prefix}_{ids.reddit_id(self.seed, event.key)}"
        if platform == "youtube":
            return self._youtube_id(event)
        return self._rss_link(event)

    def _mastodon_parts(self, persona: Persona) -> tuple[str, str]:
        user, _, instance = persona.handle.partition("@")
        return user, instance or HOME_INSTANCE

    def _mastodon_uri(self, event: Event) -> str:
        user, instance = self._mastodon_parts(event.author)
        status = ids.mastodon_id(event.at, self.seed, event.key)
        suffix = "/activity" if event.copy_kind == "repost" else ""
        return f"https://{instance}/users/{user}/statuses/{status}{suffix}"

    def _bluesky_uri(self, event: Event) -> str:
        did = self.did(event.author.handle)
        return f"at://{did}/app.bsky.feed.post/{ids.bluesky_tid(event.at, self.seed, event.key)}"

    def _youtube_id(self, event: Event) -> str:
        if event.video is None and event.parent is None:
            return ids.youtube_video_id(self.seed, event.key)
        if event.parent is None:
            return ids.youtube_comment_id(self.seed, event.key)
        top = event.root or event.parent
        return ids.youtube_reply_id(
            ids.youtube_comment_id(self.seed, top.key), self.seed, event.key
        )

    def _rss_link(self, event: Event) -> str:
        outlet = OUTLETS_BY_KEY[event.author.org]
        day = event.at.strftime("%Y/%m/%d")
        number = ids.digest(self.seed, "article", event.key) % 900_000 + 100_000
        section = {"local": "region", "tech": "tech", "trade": "operateurs", "business": "economie"}
        return f"{outlet.site}/{section.get(outlet.beat, 'actu')}/{day}/article-{number}"

    # -- metrics ----------------------------------------------------------------------------

    def _engagement(self, event: Event) -> tuple[int, int, int]:
        rng = random.Random(ids.digest(self.seed, "metrics", event.key))
        reach = max(event.author.followers, 20)
        likes = int(rng.lognormvariate(0, 1.0) * reach**0.5 * (3 if event.viral else 1))
        return likes, int(likes * rng.uniform(0.05, 0.4)), int(likes * rng.uniform(0.02, 0.3))

    # -- Mastodon ---------------------------------------------------------------------------

    def mastodon(
        self, event: Event, text: str, original: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        user, instance = self._mastodon_parts(event.author)
        status_id = ids.mastodon_id(event.at, self.seed, event.key)
        account = self._mastodon_account(event.author)
        likes, boosts, replies = self._engagement(event)
        if original is not None:  # a boost: the boosted status is inside
            return {
                "id": status_id, "created_at": iso(event.at), "in_reply_to_id": None,
                "in_reply_to_account_id": None, "sensitive": False, "spoiler_text": "",
                "visibility": "public", "language": None, "uri": self._mastodon_uri(event),
                "url": None, "replies_count": 0, "reblogs_count": 0, "favourites_count": 0,
                "edited_at": None, "content": "", "reblog": original, "account": account,
                "media_attachments": [], "mentions": [], "tags": [], "emojis": [], "card": None,
                "poll": None,
            }  # fmt: skip
        found = tokens(text, "mastodon")
        parent = event.parent
        return {
            "id": status_id,
            "created_at": iso(event.at),
            "in_reply_to_id": ids.mastodon_id(parent.at, self.seed, parent.key) if parent else None,
            "in_reply_to_account_id": self._account_id(parent.author) if parent else None,
            "sensitive": False,
            "spoiler_text": "",
            "visibility": "public",
            "language": event.lang,
            "uri": self._mastodon_uri(event),
            "url": f"https://{instance}/@{user}/{status_id}",
            "replies_count": replies,
            "reblogs_count": boosts,
            "favourites_count": likes,
            "quotes_count": 0,
            "edited_at": None,
            "content": mastodon_html(text, HOME_INSTANCE),
            "reblog": None,
            "application": {"name": "Web", "website": None} if instance == HOME_INSTANCE else None,
            "account": account,
            "media_attachments": [],
            "mentions": [self._mention_entity(handle) for handle in found.mentions],
            "tags": [
                {"name": tag.lower(), "url": f"https://{HOME_INSTANCE}/tags/{tag.lower()}"}
                for tag in found.tags
            ],
            "emojis": [],
            "card": None,
            "poll": None,
        }

    def _account_id(self, persona: Persona) -> str:
        return str(
            100_000_000_000_000_000 + ids.digest(self.seed, "account", persona.handle) % 10**17
        )

    def _mastodon_account(self, persona: Persona) -> dict[str, Any]:
        user, instance = self._mastodon_parts(persona)
        url = f"https://{instance}/@{user}"
        created = 1_577_836_800 + ids.digest(self.seed, "since", persona.handle) % 190_000_000
        return {
            "id": self._account_id(persona),
            "username": user,
            "acct": user if instance == HOME_INSTANCE else f"{user}@{instance}",
            "display_name": persona.display_name,
            "locked": False,
            "bot": persona.role == "bot",
            "discoverable": True,
            "group": False,
            "created_at": datetime.fromtimestamp(created, tz=UTC).strftime(
                "%Y-%m-%dT00:00:00.000Z"
            ),
            "note": "",
            "url": url,
            "uri": f"https://{instance}/users/{user}",
            "avatar": f"https://{instance}/avatars/original/missing.png",
            "avatar_static": f"https://{instance}/avatars/original/missing.png",
            "header": f"https://{instance}/headers/original/missing.png",
            "header_static": f"https://{instance}/headers/original/missing.png",
            "followers_count": persona.followers,
            "following_count": persona.followers // 3 + 12,
            "statuses_count": 40 + persona.followers // 5,
            "emojis": [],
            "fields": [],
        }

    def _mention_entity(self, handle: str) -> dict[str, str]:
        user, _, instance = handle.partition("@")
        instance = instance or HOME_INSTANCE
        return {
            "id": str(100_000_000_000_000_000 + ids.digest(self.seed, "account", handle) % 10**17),
            "username": user,
            "url": f"https://{instance}/@{user}",
            "acct": user if instance == HOME_INSTANCE else f"{user}@{instance}",
        }

    # -- Bluesky ----------------------------------------------------------------------------

    def bluesky(self, event: Event, text: str) -> dict[str, Any]:
        persona = event.author
        did = self.did(persona.handle)
        likes, reposts, replies = self._engagement(event)
        record: dict[str, Any] = {
            "$type": "app.bsky.feed.post",
            "createdAt": iso(event.at),
            "langs": [event.lang],
            "text": text,
        }
        facets = bluesky_facets(text, self.did)
        if facets:
            record["facets"] = facets
        if event.parent is not None:
            root = event.root or event.parent
            record["reply"] = {
                "root": {
                    "cid": ids.bluesky_cid(self.seed, root.key),
                    "uri": self._bluesky_uri(root),
                },
                "parent": {
                    "cid": ids.bluesky_cid(self.seed, event.parent.key),
                    "uri": self._bluesky_uri(event.parent),
                },
            }
        created = 1_672_531_200 + ids.digest(self.seed, "since", persona.handle) % 90_000_000
        return {
            "uri": self._bluesky_uri(event),
            "cid": ids.bluesky_cid(self.seed, event.key),
            "author": {
                "did": did,
                "handle": persona.handle,
                "displayName": persona.display_name,
                "avatar": f"https://cdn.bsky.app/img/avatar/plain/{did}/bafkrei{ids.reddit_id(self.seed, persona.handle, 10)}@jpeg",
                "labels": [],
                "createdAt": datetime.fromtimestamp(created, tz=UTC).strftime(
                    "%Y-%m-%dT%H:%M:%S.000Z"
                ),
            },
            "record": record,
            "replyCount": replies,
            "repostCount": reposts,
            "likeCount": likes,
            "quoteCount": reposts // 4,
            "indexedAt": iso(event.at + timedelta(milliseconds=350)),
            "labels": [],
        }

    # -- Reddit -----------------------------------------------------------------------------

    def reddit(
        self, event: Event, text: str, title: str | None, original: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        rng = random.Random(ids.digest(self.seed, "reddit", event.key))
        name = self.external_id(event)
        thing_id = name.split("_", 1)[1]
        sub = event.place or "france_ouest"
        created = float(int(event.at.timestamp()))
        score = max(1, int(rng.lognormvariate(1.5, 1.3)))
        common = {
            "subreddit": sub,
            "subreddit_id": f"t5_{ids.reddit_id(self.seed, sub, 5)}",
            "subreddit_name_prefixed": f"r/{sub}",
            "author": event.author.handle,
            "author_fullname": f"t2_{ids.reddit_id(self.seed, event.author.handle, 8)}",
            "id": thing_id,
            "name": name,
            "created": created,
            "created_utc": created,
            "score": score,
            "ups": score,
            "downs": 0,
            "likes": None,
            "gilded": 0,
            "edited": False,
            "archived": False,
            "stickied": False,
            "distinguished": None,
            "author_flair_text": None,
            "mod_reports": [],
            "user_reports": [],
        }
        if event.parent is not None:
            root = event.root or event.parent
            root_id = ids.reddit_id(self.seed, root.key)
            slug = ids.slug(title or "discussion", 50).replace("-", "_")
            data = {
                **common,
                "body": text,
                "body_html": markdown_html(text),
                "parent_id": self.external_id(event.parent),
                "link_id": f"t3_{root_id}",
                "link_title": title or "",
                "permalink": f"/r/{sub}/comments/{root_id}/{slug}/{thing_id}/",
                "controversiality": 0,
                "depth": _depth(event),
                "is_submitter": event.author.handle == root.author.handle,
                "replies": "",
                "score_hidden": False,
            }
            return {"kind": "t1", "data": data}
        slug = ids.slug(title or "post", 50).replace("-", "_")
        permalink = f"/r/{sub}/comments/{thing_id}/{slug}/"
        data = {
            **common,
            "title": title or text[:80],
            "selftext": "" if original is not None else text,
            "selftext_html": None if original is not None else markdown_html(text),
            "permalink": permalink,
            "url": f"https://www.reddit.com{permalink}",
            "domain": f"self.{sub}",
            "is_self": original is None,
            "num_comments": int(rng.lognormvariate(1.0, 1.0)),
            "upvote_ratio": round(rng.uniform(0.62, 0.99), 2),
            "over_18": False,
            "thumbnail": "self",
            "link_flair_text": None,
            "locked": False,
            "hidden": False,
        }
        if original is not None:
            data["crosspost_parent"] = original["data"]["name"]
            data["crosspost_parent_list"] = [original["data"]]
            data["url"] = original["data"]["url"]
            data["domain"] = f"self.{original['data']['subreddit']}"
        return {"kind": "t3", "data": data}

    # -- YouTube ----------------------------------------------------------------------------

    def youtube(self, event: Event, text: str, title: str | None) -> dict[str, Any]:
        rng = random.Random(ids.digest(self.seed, "yt", event.key))
        etag = ids.youtube_channel_id(self.seed, f"etag:{event.key}")[2:]
        if event.video is None and event.parent is None:
            return self._youtube_video(rng, event, text, title or "", etag)
        video = event.video
        video_id = ids.youtube_video_id(self.seed, video.key) if video else ""
        channel = ids.youtube_channel_id(self.seed, video.author.key) if video else ""
        comment_id = self.external_id(event)
        persona = event.author
        handle = persona.mention
        likes = int(rng.lognormvariate(0.5, 1.4))
        # Comment resources (YouTube Data API v3) do not name their video: the thread does.
        snippet: dict[str, Any] = {
            "channelId": channel,
            "textDisplay": html.escape(text).replace("\n", "<br>"),
            "textOriginal": text,
            "authorDisplayName": handle,
            "authorProfileImageUrl": f"https://yt3.ggpht.example/{ids.reddit_id(self.seed, persona.key, 12)}=s48-c-k-c0x00ffffff-no-rj",
            "authorChannelUrl": f"http://www.youtube.com/{handle}",
            "authorChannelId": {"value": ids.youtube_channel_id(self.seed, persona.key)},
            "canRate": True,
            "viewerRating": "none",
            "likeCount": likes,
            "publishedAt": iso(event.at, millis=False),
            "updatedAt": iso(event.at, millis=False),
        }
        if event.parent is not None:
            top = event.root or event.parent
            snippet["parentId"] = ids.youtube_comment_id(self.seed, top.key)
            return {"kind": "youtube#comment", "etag": etag, "id": comment_id, "snippet": snippet}
        return {
            "kind": "youtube#commentThread",
            "etag": etag,
            "id": comment_id,
            "snippet": {
                "channelId": channel,
                "videoId": video_id,
                "topLevelComment": {
                    "kind": "youtube#comment",
                    "etag": etag[::-1],
                    "id": comment_id,
                    "snippet": snippet,
                },
                "canReply": True,
                "totalReplyCount": int(rng.lognormvariate(0, 1.0)),
                "isPublic": True,
            },
        }

    def _youtube_video(
        self, rng: random.Random, event: Event, text: str, title: str, etag: str
    ) -> dict[str, Any]:
        video_id = self.external_id(event)
        persona = event.author
        views = int(rng.lognormvariate(0, 1.2) * max(persona.followers, 500) * 0.4)
        seconds = int(rng.uniform(45, 1500))
        thumb = f"https://i.ytimg.com/vi/{video_id}"
        return {
            "kind": "youtube#video",
            "etag": etag,
            "id": video_id,
            "snippet": {
                "publishedAt": iso(event.at, millis=False),
                "channelId": ids.youtube_channel_id(self.seed, persona.key),
                "title": title,
                "description": text,
                "thumbnails": {
                    "default": {"url": f"{thumb}/default.jpg", "width": 120, "height": 90},
                    "medium": {"url": f"{thumb}/mqdefault.jpg", "width": 320, "height": 180},
                    "high": {"url": f"{thumb}/hqdefault.jpg", "width": 480, "height": 360},
                },
                "channelTitle": persona.display_name,
                "tags": [t.lower() for t in tokens(text, "youtube").tags][:10],
                "categoryId": "28" if persona.org == "tech" else "22",
                "liveBroadcastContent": "none",
                "defaultLanguage": event.lang,
                "localized": {"title": title, "description": text},
                "defaultAudioLanguage": event.lang,
            },
            "contentDetails": {
                "duration": f"PT{seconds // 60}M{seconds % 60}S",
                "dimension": "2d",
                "definition": "hd",
                "caption": "false",
                "licensedContent": True,
                "projection": "rectangular",
            },
            "statistics": {
                "viewCount": str(views),
                "likeCount": str(views // 25),
                "favoriteCount": "0",
                "commentCount": str(views // 400),
            },
        }

    # -- RSS --------------------------------------------------------------------------------

    def rss(self, event: Event, text: str, title: str | None) -> dict[str, Any]:
        outlet = OUTLETS_BY_KEY[event.author.org]
        link = self._rss_link(event)
        tags = ["Économie" if outlet.beat == "business" else "Actualité", "Télécoms"]
        return {
            "feed": {
                "title": outlet.title,
                "link": outlet.site,
                "language": "fr-FR" if outlet.language == "fr" else "en-GB",
                "url": outlet.feed_url,
                "subtitle": f"Les derniers articles de {outlet.title}",
            },
            "entry": {
                "id": link,
                "link": link,
                "title": title or "",
                "summary": f"<p>{html.escape(text)}</p>",
                "summary_type": "text/html",
                "published": iso(event.at, millis=False),
                "author": event.author.display_name,
                "tags": [{"term": term, "scheme": None, "label": None} for term in tags],
            },
            "collected_at": iso(event.at + timedelta(minutes=7), millis=False),
        }


def _depth(event: Event) -> int:
    depth = 0
    parent = event.parent
    while parent is not None and parent.parent is not None:
        depth += 1
        parent = parent.parent
    return depth
