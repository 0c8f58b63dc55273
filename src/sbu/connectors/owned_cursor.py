"""Where an owned-channel source stands: for each watched post, the newest comment taken.

Owned-channel connectors (Facebook, Instagram, LinkedIn pages) watch the N most recent posts of
the company's page and take the comments newer than what they took before. The cursor keeps,
per watched post, a :class:`PostMark`: the time of the newest comment taken and the ids of the
comments taken within ``OVERLAP`` of it. A comment is new when it is later than ``newest -
OVERLAP`` and its id is not among those, so comments posted within the same second, or listed a
little late by the platform, are neither missed nor taken twice.

A post not in the cursor starts at the **first poll** one day back (``LOOKBACK``): a new source
does not take the page's whole history. On **later polls** a post not in the cursor (a new post,
or one that came back into the N most recent) starts an hour (``REJOIN_MARGIN``) before the
previous poll; what was already stored is dropped again by the storage. The cursor belongs to
one account (page, Instagram account, organization): another account starts afresh.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

#: The first poll takes the comments of the last day only.
LOOKBACK = timedelta(days=1)
#: Comments this close to the newest one are compared by id.
OVERLAP = timedelta(minutes=5)
#: A post that joins the watched ones on a later poll starts this long before that poll.
REJOIN_MARGIN = timedelta(hours=1)
#: Ids remembered per post: near the newest comment, refused, and reply counts.
MAX_RECENT = 500
MAX_BAD = 100
MAX_COUNTS = 1000


@dataclass(slots=True)
class PostMark:
    """What was taken of one post's comments (see the module docstring)."""

    newest: datetime
    #: ``newest`` as the poll started: what is new is judged against it, so the comments of one
    #: poll, read newest first, do not hide each other.
    since: datetime | None = None
    #: Ids of the comments taken within OVERLAP of ``newest``, with their time (Unix seconds).
    recent: dict[str, float] = field(default_factory=dict)
    #: Ids of comments refused as malformed: not handed over again.
    bad: list[str] = field(default_factory=list)
    #: Reply counts of comments whose replies are read apart (LinkedIn), by comment id.
    counts: dict[str, int] = field(default_factory=dict)
    #: Whether the post itself was in the cursor (False: it joins the watched posts now).
    known: bool = True

    def __post_init__(self) -> None:
        if self.since is None:
            self.since = self.newest

    @property
    def floor(self) -> datetime:
        """Comments at or before this time were taken before this poll (or are too old)."""
        return (self.since or self.newest) - OVERLAP

    def is_new(self, ident: str, when: datetime) -> bool:
        if ident in self.recent or ident in self.bad:
            return False
        return when > self.floor

    def is_past(self, when: datetime) -> bool:
        """Whether a comment of this time is older than anything still to take (so a listing
        sorted newest first can stop there)."""
        return when <= self.floor

    def take(self, ident: str, when: datetime) -> None:
        self.newest = max(self.newest, when)
        self.recent[ident] = when.timestamp()

    def refuse(self, ident: str) -> None:
        if ident not in self.bad:
            self.bad.append(ident)

    def to_json(self) -> dict[str, Any]:
        floor = (self.newest - OVERLAP).timestamp()
        recent = sorted(
            ((ident, when) for ident, when in self.recent.items() if when >= floor),
            key=lambda pair: -pair[1],
        )[:MAX_RECENT]
        return {
            "newest": self.newest.isoformat(),
            "recent": dict(recent),
            "bad": self.bad[-MAX_BAD:],
            "counts": dict(list(self.counts.items())[-MAX_COUNTS:]),
        }

    @classmethod
    def from_json(cls, value: Any, start: datetime) -> PostMark:
        """A mark read back from a cursor; a fresh one from ``start`` when it is unreadable."""
        if not isinstance(value, Mapping):
            return cls(newest=start, known=False)
        newest = _time(value.get("newest")) or start
        recent = value.get("recent")
        bad = value.get("bad")
        counts = value.get("counts")
        return cls(
            newest=newest,
            recent={
                str(k): float(v)
                for k, v in (recent.items() if isinstance(recent, Mapping) else ())
                if isinstance(v, int | float) and not isinstance(v, bool)
            },
            bad=[str(b) for b in bad] if isinstance(bad, list) else [],
            counts={
                str(k): v
                for k, v in (counts.items() if isinstance(counts, Mapping) else ())
                if isinstance(v, int) and not isinstance(v, bool)
            },
        )


@dataclass(slots=True)
class OwnedCursor:
    """The cursor of one owned-channel source: the account, the last poll and the marks."""

    account: str
    polled_at: datetime | None
    marks: dict[str, Any]

    @classmethod
    def read(cls, cursor: Mapping[str, Any] | None, account: str) -> OwnedCursor:
        """The saved cursor, or an empty one when there is none or it is of another account."""
        if not cursor or cursor.get("account") != account:
            return cls(account, None, {})
        posts = cursor.get("posts")
        return cls(
            account,
            _time(cursor.get("polled_at")),
            dict(posts) if isinstance(posts, Mapping) else {},
        )

    def start(self, now: datetime) -> datetime:
        """Where a post not seen before starts (see the module docstring)."""
        if self.polled_at is None:
            return now - LOOKBACK
        return min(self.polled_at - REJOIN_MARGIN, now - OVERLAP)

    def mark(self, post_id: str, now: datetime) -> PostMark:
        found = self.marks.get(post_id)
        if isinstance(found, PostMark):
            return found
        mark = PostMark.from_json(found, self.start(now))
        self.marks[post_id] = mark
        return mark

    def dump(self, watched: Sequence[str], now: datetime) -> dict[str, Any]:
        """The cursor to save: the marks of the posts watched now, in their order."""
        posts = {
            post_id: mark.to_json()
            for post_id in dict.fromkeys(watched)
            if isinstance(mark := self.marks.get(post_id), PostMark)
        }
        return {"account": self.account, "polled_at": now.isoformat(), "posts": posts}


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
