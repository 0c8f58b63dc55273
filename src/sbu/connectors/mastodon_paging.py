"""Where a Mastodon source stands in a timeline: its cursor, status id order and Link headers.

Mastodon ids are strings. Mastodon's own are "snowflakes": the time in milliseconds shifted
left by 16 bits, plus a sequence, so they grow with time and two ids compare as numbers. Other
servers that speak the same API use ids of one fixed length (Pleroma's and Akkoma's flake ids,
GoToSocial's ULIDs) that compare as text. Comparing ``(length, text)`` orders both kinds.

A remote status gets the snowflake of the time it was *published*, not of the time it reached
the instance. A status that federates late is therefore filed a little back in time, behind
statuses already read: reading only "newer than the newest id seen" would miss it. The cursor
keeps the ids seen in the last ``lookback`` and each poll reads again from the start of that
window (``min_id`` = newest id seen minus the lookback, which the ids' timestamps allow), so a
late status is found and a status already seen is not handed over twice.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

#: Snowflake ids keep the milliseconds above their 16 lowest bits.
SNOWFLAKE_SHIFT = 16
#: Milliseconds of 2015-01-01 and 2100-01-01: a number outside is not a Mastodon snowflake.
_SNOWFLAKE_MS_RANGE = (1_420_070_400_000, 4_102_444_800_000)
#: The cursor always remembers this many of the newest ids (servers without snowflakes, and
#: the streaming API, whose late statuses arrive in any order).
KEEP_RECENT = 200
#: And never more than this many (a lookback on a very busy timeline).
SEEN_MAX = 5000

_LINK = re.compile(r"<([^>]*)>\s*((?:;\s*[^;,]*)*)")
_REL = re.compile(r"""rel\s*=\s*"?([^";]+)"?""")


def id_key(status_id: str) -> tuple[int, str]:
    """Sort key of a status id: older ids first, for snowflakes and fixed-length ids alike."""
    return (len(status_id), status_id)


def snowflake_ms(status_id: str) -> int | None:
    """The time (Unix milliseconds) of a Mastodon snowflake id; None for other ids."""
    if not status_id.isascii() or not status_id.isdigit():
        return None
    ms = int(status_id) >> SNOWFLAKE_SHIFT
    low, high = _SNOWFLAKE_MS_RANGE
    return ms if low <= ms <= high else None


def link_min_id(link_header: str | None, rel: str = "prev") -> str | None:
    """The ``min_id`` of the ``rel`` link of a Mastodon ``Link`` header (None when absent).

    Only the id is taken: the next request is built from the source's own address, so a Link
    header that points elsewhere never receives the token.
    """
    if not link_header:
        return None
    for match in _LINK.finditer(link_header):
        url, params = match.groups()
        rels = _REL.search(params)
        if rels is None or rel not in rels.group(1).split():
            continue
        values = parse_qs(urlsplit(url).query).get("min_id")
        if values and values[0]:
            return values[0]
    return None


@dataclass(slots=True)
class TimelineCursor:
    """The cursor of a Mastodon source, saved with the mentions of each fetch.

    ``newest_id`` is the newest status id handed over; ``seen`` the ids handed over recently
    (newest first), so that reading the lookback window again hands nothing over twice.
    ``resume_min_id`` and ``resume_offset`` are set when a fetch stopped with more pages
    waiting: the next fetch goes on from there instead of starting a new pass.
    """

    newest_id: str | None = None
    seen: list[str] = field(default_factory=list)
    resume_min_id: str | None = None
    resume_offset: int | None = None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> TimelineCursor:
        """Read a saved cursor; anything malformed is ignored rather than trusted."""
        data = data or {}
        newest = data.get("newest_id")
        seen = data.get("seen")
        resume = data.get("resume_min_id")
        offset = data.get("resume_offset")
        return cls(
            newest_id=newest if isinstance(newest, str) and newest else None,
            seen=[s for s in seen if isinstance(s, str) and s] if isinstance(seen, list) else [],
            resume_min_id=resume if isinstance(resume, str) and resume else None,
            resume_offset=offset
            if isinstance(offset, int) and not isinstance(offset, bool) and offset > 0
            else None,
        )

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"newest_id": self.newest_id, "seen": list(self.seen)}
        if self.resume_min_id is not None:
            data["resume_min_id"] = self.resume_min_id
        if self.resume_offset is not None:
            data["resume_offset"] = self.resume_offset
        return data

    @property
    def started(self) -> bool:
        """Whether a first fetch has happened (the next ones read forward from the cursor)."""
        return self.newest_id is not None

    def start_id(self, lookback: timedelta) -> str | None:
        """The ``min_id`` a new pass starts from: the newest id seen, moved back by
        ``lookback`` when ids are snowflakes (other ids carry no time)."""
        if self.newest_id is None:
            return None
        ms = snowflake_ms(self.newest_id)
        back = int(lookback.total_seconds() * 1000)
        if ms is None or back <= 0:
            return self.newest_id
        return str((ms - back) << SNOWFLAKE_SHIFT)

    def remember(self, ids: Iterable[str], lookback: timedelta) -> None:
        """Record ids handed over; keep those inside the lookback window (and the newest
        ``KEEP_RECENT`` in any case), at most ``SEEN_MAX``."""
        merged = sorted(set(self.seen) | set(ids), key=id_key, reverse=True)
        if not merged:
            return
        newest = merged[0]
        if self.newest_id is None or id_key(newest) > id_key(self.newest_id):
            self.newest_id = newest
        kept = merged[:KEEP_RECENT]
        newest_ms = snowflake_ms(self.newest_id or newest)
        if newest_ms is not None and lookback > timedelta(0):
            since = newest_ms - int(lookback.total_seconds() * 1000)
            kept.extend(
                status_id
                for status_id in merged[KEEP_RECENT:]
                if (snowflake_ms(status_id) or 0) >= since
            )
        self.seen = kept[:SEEN_MAX]
