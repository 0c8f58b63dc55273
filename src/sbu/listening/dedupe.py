"""Flag reposts, copies and near-duplicates, and link each to its original.

* **repost**: the platform says so (a boost, a crosspost); linked to the reposted mention when
  it is stored, otherwise flagged with no link.
* **copy**: the same normalised text (``content_hash``) as an earlier mention.
* **near**: a word overlap (words and word pairs) of at least the configured similarity with an
  earlier mention created within the window, found through MinHash band keys.

The original is the earliest-created mention of a group, and every member links straight to it
(no chains). When an item older than the stored original arrives (a backfill), it becomes the
original and the group is re-linked to it. Only originals are indexed by band keys (sbu.listening.near_index), so a
campaign of thousands of near-identical posts costs each new post a few comparisons, not
thousands.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from sbu.core.text import duplicate_key_text
from sbu.db.sql import in_list
from sbu.listening.fingerprint import shingles
from sbu.listening.models import Mention
from sbu.listening.near_index import NearKeyIndex
from sbu.listening.prepare import PreparedMention, comparable_text

REPOST, COPY, NEAR = "repost", "copy", "near"
#: Candidates kept per band key (the most recent): a key shared by many posts (a template, a
#: bot) must not turn each new post into many comparisons.
PER_KEY = 8
#: Candidates compared word by word per post, those sharing the most band keys first.
MAX_COMPARED = 12


@dataclass(frozen=True, slots=True)
class Linked:
    kind: str
    #: The original's id; None for a repost whose original was not collected.
    original_id: int | None


class _Known:
    """A mention that can be an original, with its text compared lazily."""

    __slots__ = ("_shingles", "created_at", "id", "root_id", "text")

    def __init__(self, mention_id: int, created_at: datetime, root_id: int, text: str) -> None:
        self.id = mention_id
        self.created_at = created_at
        self.root_id = root_id
        self.text = text
        self._shingles: frozenset[str] | None = None

    @property
    def shingles(self) -> frozenset[str]:
        if self._shingles is None:
            self._shingles = shingles(duplicate_key_text(self.text))
        return self._shingles


class DuplicateResolver:
    """Works inside the ingest transaction, for one batch."""

    def __init__(
        self,
        session: Session,
        index: NearKeyIndex,
        similarity_threshold: float,
        window_days: int,
    ) -> None:
        self.session = session
        self.index = index
        self.threshold = similarity_threshold
        self.window = timedelta(days=window_days) if window_days > 0 else None
        self._relinks: list[tuple[int, int, str]] = []

    def resolve(self, items: Sequence[tuple[int, PreparedMention]]) -> dict[int, Linked]:
        """Return the link of each new mention (by id) that repeats another one."""
        ordered = sorted(items, key=lambda item: item[1].created_at)
        in_batch = {(m.platform, m.external_id): mention_id for mention_id, m in items}
        repost_targets = self._stored_ids(
            (m.platform, m.repost_of_external_id)
            for _, m in items
            if m.repost_of_external_id and (m.platform, m.repost_of_external_id) not in in_batch
        )
        stored_by_id: dict[int, _Known] = {}
        stored_by_hash = self._stored_by_hash(
            {m.content_hash for _, m in items if m.content_hash is not None}, stored_by_id
        )
        stored_by_key = self._stored_by_key(
            {key for _, m in items for key in m.band_keys},
            stored_by_id,
            min(m.created_at for _, m in items),
            max(m.created_at for _, m in items),
        )

        # Only hashes and keys that occur twice (stored, or twice in the batch) can link posts:
        # the many items that touch none of them are originals without further work.
        hash_counts = Counter(m.content_hash for _, m in items if m.content_hash is not None)
        hot_hashes = stored_by_hash.keys() | {h for h, n in hash_counts.items() if n > 1}
        key_counts = Counter(key for _, m in items for key in m.band_keys)
        hot_keys = stored_by_key.keys() | {k for k, n in key_counts.items() if n > 1}

        links: dict[int, Linked] = {}
        batch_by_hash: dict[int, _Known] = {}
        batch_by_key: dict[int, list[_Known]] = {}
        for mention_id, m in ordered:
            if (
                not m.repost_of_external_id
                and m.content_hash not in hot_hashes
                and hot_keys.isdisjoint(m.band_keys)
            ):
                continue
            if m.repost_of_external_id:
                target_key = (m.platform, m.repost_of_external_id)
                target = in_batch.get(target_key) or repost_targets.get(target_key)
                links[mention_id] = Linked(REPOST, target)
                continue
            me = _Known(mention_id, m.created_at, mention_id, m.comparable_text)
            link: Linked | None = None
            if m.content_hash is not None:
                matches = [
                    known
                    for known in (
                        stored_by_hash.get(m.content_hash),
                        batch_by_hash.get(m.content_hash),
                    )
                    if known is not None
                ]
                link = self._link_or_adopt(me, matches, COPY)
            if link is None and m.band_keys:
                similar = self._similar(me, m.band_keys, stored_by_key, batch_by_key)
                link = self._link_or_adopt(me, similar, NEAR)
            if link is not None:
                links[mention_id] = link
                me.root_id = link.original_id or mention_id
                continue
            if m.content_hash in hot_hashes:
                batch_by_hash.setdefault(m.content_hash, me)
            for key in m.band_keys:
                if key not in hot_keys:
                    continue
                bucket = batch_by_key.get(key)
                if bucket is None:
                    batch_by_key[key] = [me]
                elif len(bucket) < PER_KEY:
                    bucket.append(me)
        return links

    def apply_relinks(self) -> None:
        """Point groups at an older original found in this batch (after its row is inserted)."""
        for old_root, new_root, kind in self._relinks:
            self.session.execute(
                update(Mention)
                .where(Mention.duplicate_of_id == old_root, Mention.duplicate_kind != REPOST)
                .values(duplicate_of_id=new_root)
            )
            self.session.execute(
                update(Mention)
                .where(Mention.id == old_root)
                .values(duplicate_of_id=new_root, duplicate_kind=kind)
            )

    # -- helpers --------------------------------------------------------------------------

    def _similar(
        self,
        me: _Known,
        keys: tuple[int, ...],
        stored_by_key: dict[int, list[_Known]],
        batch_by_key: dict[int, list[_Known]],
    ) -> list[_Known]:
        buckets = [
            bucket
            for key in keys
            for bucket in (stored_by_key.get(key), batch_by_key.get(key))
            if bucket
        ]
        if not buckets:
            return []
        shared: Counter[int] = Counter()
        by_id: dict[int, _Known] = {}
        for bucket in buckets:
            for known in bucket:
                if self.window is None or abs(known.created_at - me.created_at) <= self.window:
                    shared[known.id] += 1
                    by_id[known.id] = known
        if not shared:
            return []
        mine = me.shingles
        similar = []
        for mention_id, _ in shared.most_common(MAX_COMPARED):
            theirs = by_id[mention_id].shingles
            if mine and theirs and len(mine & theirs) / len(mine | theirs) >= self.threshold:
                similar.append(by_id[mention_id])
        return similar

    def _link_or_adopt(self, me: _Known, matches: list[_Known], kind: str) -> Linked | None:
        if not matches:
            return None
        earliest = min(matches, key=lambda known: known.created_at)
        root = earliest.root_id
        if earliest.created_at <= me.created_at:
            return Linked(kind, root)
        # The new item is older than the group's original: it becomes the original.
        if root != me.id and all(r[0] != root for r in self._relinks):
            self._relinks.append((root, me.id, kind))
            for known in matches:
                if known.root_id == root:
                    known.root_id = me.id
        return None

    def _stored_ids(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        by_platform: dict[str, list[str]] = {}
        for platform, external_id in set(keys):
            by_platform.setdefault(platform, []).append(external_id)
        found: dict[tuple[str, str], int] = {}
        for platform, external_ids in by_platform.items():
            rows = self.session.execute(
                select(Mention.id, Mention.external_id).where(
                    Mention.platform == platform,
                    in_list(self.session, Mention.external_id, external_ids),
                )
            )
            found.update(((platform, external), mention_id) for mention_id, external in rows)
        return found

    def _stored_by_hash(self, hashes: set[int], by_id: dict[int, _Known]) -> dict[int, _Known]:
        found: dict[int, _Known] = {}
        if not hashes:
            return found
        rows = self.session.execute(
            select(*_CANDIDATE_COLUMNS, Mention.content_hash).where(
                in_list(self.session, Mention.content_hash, sorted(hashes)),
                or_(Mention.duplicate_kind.is_(None), Mention.duplicate_kind == NEAR),
            )
        )
        for row in rows:
            known = _known(row, by_id)
            current = found.get(row.content_hash)
            if current is None or known.created_at < current.created_at:
                found[row.content_hash] = known
        return found

    def _stored_by_key(
        self, keys: set[int], by_id: dict[int, _Known], earliest: datetime, latest: datetime
    ) -> dict[int, list[_Known]]:
        if not keys:
            return {}
        per_key = self.index.candidates(self.session, keys, earliest, latest, PER_KEY)
        missing = sorted({i for ids in per_key.values() for i in ids} - by_id.keys())
        if missing:
            query = select(*_CANDIDATE_COLUMNS).where(in_list(self.session, Mention.id, missing))
            if self.window is not None:
                query = query.where(
                    Mention.created_at >= earliest - self.window,
                    Mention.created_at <= latest + self.window,
                )
            for row in self.session.execute(query):
                _known(row, by_id)
        return {key: [by_id[i] for i in ids if i in by_id] for key, ids in per_key.items()}


_CANDIDATE_COLUMNS = (
    Mention.id,
    Mention.created_at,
    Mention.duplicate_of_id,
    Mention.duplicate_kind,
    Mention.title,
    Mention.text,
)


def _known(row: object, by_id: dict[int, _Known]) -> _Known:
    mention_id: int = row.id  # type: ignore[attr-defined]
    existing = by_id.get(mention_id)
    if existing is not None:
        return existing
    kind, of = row.duplicate_kind, row.duplicate_of_id  # type: ignore[attr-defined]
    known = _Known(
        mention_id,
        row.created_at,  # type: ignore[attr-defined]
        of if of is not None and kind in (COPY, NEAR) else mention_id,
        comparable_text(row.title, row.text),  # type: ignore[attr-defined]
    )
    by_id[mention_id] = known
    return known
