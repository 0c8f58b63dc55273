"""The in-memory index of near-duplicate band keys.

Each original mention keeps its five MinHash band keys in ``mentions.near_keys`` (40 bytes, no
database index). To find candidates, the ingest service asks this index, which holds the keys of
the weeks a batch needs as sorted NumPy arrays: loaded from the database on first use, extended
with the originals this process stores (:meth:`NearKeyIndex.record`), and refreshed with the
originals other processes stored since (ids above the highest seen). Keeping the keys out of a
database index saves five random-position B-tree inserts per post, the largest cost of ingest
after the mention row itself.

Limits, on purpose: at most ``max_weeks`` weeks are held in memory (least recently used out);
and with PostgreSQL and several writers, a mention another process commits with a lower id than
one already seen is not indexed until its week is loaded again, so a near-duplicate of it can be
missed. Exact copies never depend on this index (``content_hash`` has a database index).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from sbu.db.sql import in_list
from sbu.listening.fingerprint import BANDS
from sbu.listening.models import Mention

WEEK_SECONDS = 7 * 24 * 3600
_KEY_DTYPE = np.dtype("<i8")
_EMPTY = np.empty(0, dtype=np.int64)


def pack_keys(keys: Sequence[int]) -> bytes | None:
    """The band keys as stored in ``mentions.near_keys`` (None for texts without keys)."""
    return np.array(keys, dtype=_KEY_DTYPE).tobytes() if keys else None


def week_of(moment: datetime) -> int:
    return int(moment.timestamp()) // WEEK_SECONDS


def _week_start(week: int) -> datetime:
    return datetime.fromtimestamp(week * WEEK_SECONDS, UTC)


def _sorted(keys: np.ndarray, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    order = np.lexsort((ids, keys))
    return keys[order], ids[order]


class _Week:
    """Keys of one week: a large sorted part and a small sorted part of recent additions."""

    __slots__ = ("ids", "keys", "recent_ids", "recent_keys")

    def __init__(self, keys: np.ndarray, ids: np.ndarray) -> None:
        self.keys, self.ids = _sorted(keys, ids)
        self.recent_keys, self.recent_ids = _EMPTY, _EMPTY

    def add(self, keys: np.ndarray, ids: np.ndarray) -> None:
        recent_keys = np.concatenate([self.recent_keys, keys])
        recent_ids = np.concatenate([self.recent_ids, ids])
        if len(recent_keys) > max(50_000, len(self.keys) // 4):
            # Fold the recent part into the large one; amortised over many additions.
            self.keys, self.ids = _sorted(
                np.concatenate([self.keys, recent_keys]), np.concatenate([self.ids, recent_ids])
            )
            self.recent_keys, self.recent_ids = _EMPTY, _EMPTY
        else:
            self.recent_keys, self.recent_ids = _sorted(recent_keys, recent_ids)

    def lookup(self, wanted: np.ndarray, per_key: int, found: dict[int, list[int]]) -> None:
        for keys, ids in ((self.keys, self.ids), (self.recent_keys, self.recent_ids)):
            if not len(keys):
                continue
            low = np.searchsorted(keys, wanted, side="left")
            high = np.searchsorted(keys, wanted, side="right")
            for position in np.flatnonzero(high > low):
                start, end = int(low[position]), int(high[position])
                found.setdefault(int(wanted[position]), []).extend(
                    ids[max(start, end - per_key) : end].tolist()
                )


class NearKeyIndex:
    """Band keys of original mentions by week, for one process; safe to share between threads."""

    def __init__(self, window: timedelta | None, max_weeks: int = 26) -> None:
        self.window = window
        self.max_weeks = max_weeks
        self._weeks: OrderedDict[int, _Week] = OrderedDict()
        #: Originals of other processes with a higher id are added to loaded weeks on refresh.
        self._seen_id: int | None = None
        #: Ids this process recorded itself above ``_seen_id``: the refresh skips them.
        self._own: set[int] = set()
        self._lock = threading.Lock()

    def candidates(
        self,
        session: Session,
        keys: set[int],
        earliest: datetime,
        latest: datetime,
        per_key: int,
    ) -> dict[int, list[int]]:
        """Ids of indexed mentions sharing each key (the ``per_key`` most recent per key)."""
        if not keys:
            return {}
        margin = self.window if self.window is not None else timedelta(weeks=self.max_weeks)
        first, last = week_of(earliest - margin), week_of(latest + margin)
        wanted = np.fromiter(keys, dtype=np.int64, count=len(keys))
        found: dict[int, list[int]] = {}
        with self._lock:
            self._refresh(session)
            for week in range(max(first, last - self.max_weeks + 1), last + 1):
                self._week(session, week).lookup(wanted, per_key, found)
        # A week loaded after a refresh may hold a mention twice: keep each id once.
        return {key: sorted(set(ids))[-per_key:] for key, ids in found.items()}

    def record(self, originals: Sequence[tuple[int, datetime, Sequence[int]]]) -> None:
        """Index originals this process has just committed: (id, created_at, band keys)."""
        by_week: dict[int, list[tuple[int, Sequence[int]]]] = {}
        for mention_id, created_at, keys in originals:
            if keys:
                by_week.setdefault(week_of(created_at), []).append((mention_id, keys))
        with self._lock:
            for week, rows in by_week.items():
                self._own.update(mention_id for mention_id, _ in rows)
                loaded = self._weeks.get(week)
                if loaded is not None:
                    loaded.add(
                        np.array([k for _, keys in rows for k in keys], dtype=np.int64),
                        np.repeat(np.array([i for i, _ in rows], dtype=np.int64), BANDS),
                    )

    def _refresh(self, session: Session) -> None:
        """Index the originals other processes stored since the last look."""
        if self._seen_id is None:
            newest = session.execute(select(Mention.id).order_by(Mention.id.desc()).limit(1))
            self._seen_id = int(newest.scalar() or 0)
            self._own = {i for i in self._own if i > self._seen_id}
            return
        ids = (
            session.execute(
                select(Mention.id).where(Mention.id > self._seen_id, Mention.near_keys.is_not(None))
            )
            .scalars()
            .all()
        )
        if not ids:
            return
        others = [i for i in ids if i not in self._own]
        if others:
            rows = session.execute(
                select(Mention.id, Mention.created_at, Mention.near_keys).where(
                    in_list(session, Mention.id, others)
                )
            ).all()
            for mention_id, created_at, packed in rows:
                loaded = self._weeks.get(week_of(created_at))
                if loaded is not None and packed is not None:
                    loaded.add(
                        np.frombuffer(packed, dtype=_KEY_DTYPE).astype(np.int64),
                        np.full(BANDS, mention_id, dtype=np.int64),
                    )
        self._seen_id = max(ids)
        self._own = {i for i in self._own if i > self._seen_id}

    def _week(self, session: Session, week: int) -> _Week:
        loaded = self._weeks.get(week)
        if loaded is not None:
            self._weeks.move_to_end(week)
            return loaded
        rows = session.execute(
            select(Mention.id, Mention.near_keys).where(
                Mention.created_at >= _week_start(week),
                Mention.created_at < _week_start(week + 1),
                Mention.near_keys.is_not(None),
            )
        ).all()
        if rows:
            packed = b"".join(row[1] or b"" for row in rows)  # near_keys is not null here
            keys = np.frombuffer(packed, dtype=_KEY_DTYPE).astype(np.int64)
            ids = np.repeat(np.array([row[0] for row in rows], dtype=np.int64), BANDS)
        else:
            keys = ids = _EMPTY
        loaded = _Week(keys, ids)
        self._weeks[week] = loaded
        while len(self._weeks) > self.max_weeks:
            self._weeks.popitem(last=False)
        return loaded
