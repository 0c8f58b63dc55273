"""What one poll of an owned-channel source collects, comment by comment.

The ``facebook``, ``instagram`` and ``linkedin`` connectors read comments page by page and offer
each one to a :class:`Harvest` with its id, its time and the post's
:class:`~sbu.connectors.owned_cursor.PostMark`. The harvest decides, the same way for every
platform:

- a comment behind the mark is old (the caller may stop reading a newest-first listing there);
- a new comment is mapped with the platform's payload mapper: mapped, it becomes a
  :class:`~sbu.listening.drafts.RawItem` and moves the mark; refused, it is returned in
  ``rejected`` with the mapper's sentence and remembered, so it is not handed over again;
- a comment without text (a sticker, a photo or a GIF alone) is skipped and counted in a note;
- a comment without an id is refused (it cannot be told apart from the others).

Items go to the ingest service oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sbu.connectors.base import FetchResult, PayloadMapper, Usage
from sbu.connectors.fields import parse_time
from sbu.connectors.mapped_items import payload_text
from sbu.connectors.owned_cursor import PostMark
from sbu.core.errors import BadPayload
from sbu.listening.drafts import RawItem, Rejected


@dataclass(slots=True)
class Harvest:
    mapper: PayloadMapper
    #: How the platform is named in notes ("Facebook").
    platform: str
    items: list[tuple[datetime, RawItem]] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    textless: int = 0
    notes: list[str] = field(default_factory=list)

    def offer(
        self,
        envelope: dict[str, Any],
        *,
        ident: Any,
        when: datetime | None,
        text: Any,
        where: str,
        mark: PostMark,
    ) -> bool:
        """Take the comment of ``envelope`` if it is new; return whether it is behind the mark."""
        if not isinstance(ident, str) or not ident:
            reason = f"The {where} has no id: it cannot be told apart from the others."
            self.rejected.append(Rejected(where, reason, payload_text(envelope)))
            return False
        if when is not None and mark.is_past(when):
            return True
        if not mark.is_new(ident, when or mark.floor + timedelta(seconds=1)):
            return False
        if when is not None and not has_text(text):
            self.textless += 1
            mark.take(ident, when)
            return False
        if when is not None and self.hand_over(envelope, where, when):
            mark.take(ident, when)
            return False
        if when is None:  # unreadable date: the mapper says what is wrong with it
            self.hand_over(envelope, where, None)
        mark.refuse(ident)
        return False

    def offer_post(
        self,
        envelope: dict[str, Any],
        *,
        post_id: str,
        when: datetime | None,
        text: Any,
        where: str,
        mark: PostMark,
    ) -> None:
        """Take a post that joins the watched ones, if it is recent enough and has text."""
        if when is not None and (not mark.is_new(post_id, when) or not has_text(text)):
            return
        self.hand_over(envelope, where, when)  # without a date, the mapper says what is wrong

    def hand_over(self, envelope: dict[str, Any], where: str, when: datetime | None) -> bool:
        try:
            self.mapper.to_mention(envelope)
        except BadPayload as exc:
            self.rejected.append(Rejected(where, str(exc), payload_text(envelope)))
            return False
        if when is None:
            return False
        self.items.append((when, RawItem(self.mapper.key, envelope, where)))
        return True

    def result(
        self,
        cursor: dict[str, Any],
        *,
        token_expires_at: datetime | None,
        usage: Usage | None = None,
    ) -> FetchResult:
        notes = list(self.notes)
        if self.textless:
            notes.append(
                f"{self.textless} new {self.platform} comments had no text (a sticker, photo or "
                "GIF alone) and were skipped."
            )
        ordered = sorted(self.items, key=lambda pair: pair[0])
        return FetchResult(
            items=[item for _, item in ordered],
            cursor=cursor,
            rejected=self.rejected,
            notes=notes,
            token_expires_at=token_expires_at,
            usage=usage,
        )


def time_of(value: Any, name: str) -> datetime | None:
    """A platform date read as the mappers read it, or None when it cannot be read."""
    try:
        return parse_time(value, name)
    except BadPayload:
        return None


def has_text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())
