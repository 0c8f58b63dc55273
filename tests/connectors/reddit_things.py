"""Reddit API answers for the connector tests, in Reddit's real JSON shapes (a ``Listing`` of
``t3`` posts or ``t1`` comments, the token answer, the ``/api/comment`` answer), with invented
texts, names and ids; and a clock that moves when the code under test sleeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from tests.connectors import helpers

#: Things are dated just before this (the app clock of tests.conftest is 2026-11-28 09:00 UTC).
BASE = datetime(2026, 11, 28, 8, 0, tzinfo=UTC)
CLIENT_ID = "Qx7bLm2PzR4tWe"
CLIENT_SECRET = "k9-very-private-app-secret-Zq"
PASSWORD = "hunter2-but-longer-Xy"


class Waits(helpers.Waits):
    """The shared waits, from the time these things are dated around."""

    def __init__(self, now: datetime = BASE) -> None:
        super().__init__(now)


def post(ident: str, minute: int, title: str, *, subreddit: str = "bretagne") -> dict[str, Any]:
    created = (BASE + timedelta(minutes=minute)).timestamp()
    slug = title.lower().replace(" ", "_")[:40]
    return {
        "kind": "t3",
        "data": {
            "approved_at_utc": None,
            "subreddit": subreddit,
            "selftext": f"{title}. Quelqu'un d'autre a le même souci avec sa box ?",
            "author_fullname": "t2_9fk2q1xa",
            "saved": False,
            "title": title,
            "subreddit_name_prefixed": f"r/{subreddit}",
            "hidden": False,
            "name": f"t3_{ident}",
            "upvote_ratio": 0.9,
            "subreddit_type": "public",
            "ups": 4,
            "score": 4,
            "edited": False,
            "is_self": True,
            "created": created,
            "domain": f"self.{subreddit}",
            "likes": None,
            "archived": False,
            "over_18": False,
            "locked": False,
            "subreddit_id": "t5_2qhjq",
            "id": ident,
            "author": "goulven_56",
            "num_comments": 2,
            "permalink": f"/r/{subreddit}/comments/{ident}/{slug}/",
            "url": f"https://www.reddit.com/r/{subreddit}/comments/{ident}/{slug}/",
            "created_utc": created,
            "num_crossposts": 0,
            "is_video": False,
        },
    }


def comment(ident: str, minute: int, body: str, *, link: str = "1k2m3n4") -> dict[str, Any]:
    created = (BASE + timedelta(minutes=minute)).timestamp()
    return {
        "kind": "t1",
        "data": {
            "subreddit_id": "t5_2qhjq",
            "approved_at_utc": None,
            "edited": False,
            "likes": None,
            "replies": "",
            "id": ident,
            "author": "maelle_qp",
            "parent_id": f"t3_{link}",
            "link_id": f"t3_{link}",
            "score": 3,
            "author_fullname": "t2_4hs8d0kr",
            "body": body,
            "link_title": "Coupure fibre à Quimperlé",
            "is_submitter": False,
            "name": f"t1_{ident}",
            "subreddit": "bretagne",
            "permalink": f"/r/bretagne/comments/{link}/coupure_fibre_a_quimperle/{ident}/",
            "created": created,
            "created_utc": created,
            "subreddit_name_prefixed": "r/bretagne",
            "ups": 3,
        },
    }


def listing(*children: Any, after: str | None = None, before: str | None = None) -> dict[str, Any]:
    return {
        "kind": "Listing",
        "data": {
            "after": after,
            "dist": len(children),
            "modhash": "",
            "geo_filter": "",
            "children": list(children),
            "before": before,
        },
    }


def token(value: str = "tok-1", expires_in: int = 86400) -> dict[str, Any]:
    return {"access_token": value, "token_type": "bearer", "expires_in": expires_in, "scope": "*"}


def posted_comment(ident: str, parent: str, body: str) -> dict[str, Any]:
    thing = comment(ident, 55, body, link=parent.removeprefix("t3_"))
    thing["data"]["parent_id"] = parent
    return {"json": {"errors": [], "data": {"things": [thing]}}}
