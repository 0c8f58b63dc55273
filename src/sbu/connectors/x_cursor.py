"""What an X source saves with its mentions: :class:`XCursor`, and the order of post ids.

The cursor holds the cost meter's month and post count (:mod:`sbu.connectors.x_budget`), the
newest post read (the ``since_id`` of the next recent search), a round of search pages left
unfinished, the ids of posts handed over recently (a streamed source's guard against
duplicates) and the id of the source's filtered-stream rule. X's post ids are numbers that grow
with time, compared as numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

#: Post ids the cursor of a streamed source remembers, against duplicates.
SEEN_MAX = 1000


@dataclass(slots=True)
class XCursor:
    """What an X source saves with its mentions (see the module docstring)."""

    #: The month the post count is of ("2026-11", UTC) and the posts read in it.
    month: str | None = None
    posts: int = 0
    #: The newest post read: the ``since_id`` of the next poll or gap fill.
    newest_id: str | None = None
    #: The X query the search position belongs to (a changed query starts a new round).
    query: str | None = None
    #: A round of pages left unfinished: its next page, its since_id and its newest post.
    next_token: str | None = None
    round_since: str | None = None
    round_newest: str | None = None
    #: Ids of the posts handed over recently (streamed sources), newest last.
    seen: list[str] = field(default_factory=list)
    #: The id of the source's filtered-stream rule.
    rule_id: str | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> XCursor:
        data = data or {}
        seen = data.get("seen")
        posts = data.get("posts")
        return cls(
            month=text(data.get("month")),
            posts=max(posts, 0) if isinstance(posts, int) and not isinstance(posts, bool) else 0,
            newest_id=text(data.get("newest_id")),
            query=text(data.get("query")),
            next_token=text(data.get("next_token")),
            round_since=text(data.get("round_since")),
            round_newest=text(data.get("round_newest")),
            seen=_strings(seen)[-SEEN_MAX:],
            rule_id=text(data.get("rule_id")),
        )

    def to_dict(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "month": self.month,
            "posts": self.posts,
            "newest_id": self.newest_id,
            "query": self.query,
            "next_token": self.next_token,
            "round_since": self.round_since,
            "round_newest": self.round_newest,
            "seen": self.seen or None,
            "rule_id": self.rule_id,
        }
        return {key: value for key, value in values.items() if value is not None}

    def end_round(self) -> None:
        self.next_token = self.round_since = self.round_newest = None

    def remember(self, ids: Sequence[str]) -> None:
        if ids:
            self.seen = list(dict.fromkeys([*self.seen, *ids]))[-SEEN_MAX:]

    def advance(self, post_id: str | None) -> None:
        """Move ``newest_id`` to ``post_id`` when it is newer."""
        if post_id is not None and (
            self.newest_id is None or id_key(post_id) > id_key(self.newest_id)
        ):
            self.newest_id = post_id


def id_key(post_id: str) -> tuple[int, int, str]:
    """The sort key of a post id: numbers in their order, anything else after them."""
    return (0, int(post_id), "") if post_id.isdigit() else (1, 0, post_id)


def newest(ids: Sequence[str]) -> str | None:
    return max(ids, key=id_key) if ids else None


def text(value: Any) -> str | None:
    """A saved or received id or text as a string (a number too); None when empty or absent."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) and value else None


def _strings(value: Any) -> list[str]:
    return [s for s in value if isinstance(s, str)] if isinstance(value, list) else []
