"""Flag reposts, copies and near-duplicates, and link each to its original.

* **repost**: the platform says so (a boost, a crosspost); linked to the reposted mention when
  it is stored, otherwise flagged with no link.
* **copy**: the same normalised text (``content_hash``) as an earlier mention.
* **near**: a word overlap (words and word pairs) of at least the configured similarity with an
  earlier mention created within the window, found through MinHash band keys.

The original is the earliest-created mention of a group, and every member links straight to it
(no chains). When an item older than the stored original arrives (a backfill), it becomes the
original and the group is re-linked to it.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from sbu.core.text import duplicate_key_text
from sbu.listening.drafts import MentionDraft
from sbu.listening.fingerprint import Fingerprint, shingles
from sbu.listening.models import Mention, NearDuplicateKey

REPOST, COPY, NEAR = "repost", "copy", "near"
_CHUNK = 500
#: Candidates kept per band key (the most recent): a key shared by thousands of posts (a
#: template, a bot) must not turn each new post into thousands of comparisons.
PER_KEY = 8
#: Candidates compared word by word per post, those sharing the most band keys first.
MAX_COMPARED = 12


@dataclass(frozen=True, slots=True)
class Linked:
    kind: str
    #: The original's id; None for a repost whose original was not collected.
    original_id: int | None


@dataclass(slots=True)
class _Known:
    id: int
    created_at: datetime
    root_id: int
    normalised: str
    _shingles: frozenset[str] | None = None

    @property
    def shingles(self) -> frozenset[str]:
        if self._shingles is None:
            self._shingles = shingles(self.normalised)
        return self._shingles


class DuplicateResolver:
    """Works inside the ingest transaction, for one batch."""

    def __init__(self, session: Session, similarity_threshold: float, window_days: int) -> None:
        self.session = session
        self.threshold = similarity_threshold
        self.window = timedelta(days=window_days) if window_days > 0 else None
        self._relinks: list[tuple[int, int, str]] = []

    def resolve(self, items: Sequence[tuple[int, MentionDraft, Fingerprint]]) -> dict[int, Linked]:
        ordered = sorted(items, key=lambda item: item[1].created_at)
        in_batch = {(d.platform, d.external_id): mention_id for mention_id, d, _ in items}
        repost_targets = self._stored_ids(
            (d.platform, d.repost_of_external_id)
            for _, d, _ in items
            if d.repost_of_external_id and (d.platform, d.repost_of_external_id) not in in_batch
        )
        stored_by_id: dict[int, _Known] = {}
        stored_by_hash = self._stored_by_hash(
            {fp.content_hash for _, d, fp in items if fp.content_hash is not None}, stored_by_id
        )
        stored_by_key = self._stored_by_key(
            {key for _, _, fp in items for key in fp.band_keys},
            stored_by_id,
            min(d.created_at for _, d, _ in items),
            max(d.created_at for _, d, _ in items),
        )

        links: dict[int, Linked] = {}
        batch_by_hash: dict[int, _Known] = {}
        batch_by_key: dict[int, deque[_Known]] = {}
        for mention_id, draft, fp in ordered:
            if draft.repost_of_external_id:
                target_key = (draft.platform, draft.repost_of_external_id)
                target = in_batch.get(target_key) or repost_targets.get(target_key)
                links[mention_id] = Linked(REPOST, target)
                continue
            me = _Known(mention_id, draft.created_at, mention_id, fp.normalised)
            link: Linked | None = None
            if fp.content_hash is not None:
                matches = [
                    m
                    for m in (
                        stored_by_hash.get(fp.content_hash),
                        batch_by_hash.get(fp.content_hash),
                    )
                    if m is not None
                ]
                link = self._link_or_adopt(me, matches, COPY)
            if link is None and fp.band_keys:
                similar = self._similar(me, fp.band_keys, stored_by_key, batch_by_key)
                link = self._link_or_adopt(me, similar, NEAR)
            if link is not None:
                links[mention_id] = link
                me.root_id = link.original_id or mention_id
            if link is None or link.kind == NEAR:
                if fp.content_hash is not None:
                    batch_by_hash.setdefault(fp.content_hash, me)
                for key in fp.band_keys:
                    batch_by_key.setdefault(key, deque(maxlen=PER_KEY)).append(me)
        return links

    def _similar(
        self,
        me: _Known,
        keys: tuple[int, ...],
        stored_by_key: dict[int, list[_Known]],
        batch_by_key: dict[int, deque[_Known]],
    ) -> list[_Known]:
        shared: Counter[int] = Counter()
        by_id: dict[int, _Known] = {}
        for key in keys:
            for m in (*stored_by_key.get(key, ()), *batch_by_key.get(key, ())):
                if self._in_window(m, me):
                    shared[m.id] += 1
                    by_id[m.id] = m
        if not shared:
            return []
        mine = me.shingles
        similar = []
        for mention_id, _ in shared.most_common(MAX_COMPARED):
            theirs = by_id[mention_id].shingles
            if mine and theirs and len(mine & theirs) / len(mine | theirs) >= self.threshold:
                similar.append(by_id[mention_id])
        return similar

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

    def _link_or_adopt(self, me: _Known, matches: list[_Known], kind: str) -> Linked | None:
        if not matches:
            return None
        earliest = min(matches, key=lambda m: m.created_at)
        root = earliest.root_id
        if earliest.created_at <= me.created_at:
            return Linked(kind, root)
        # The new item is older than the group's original: it becomes the original.
        if root != me.id and all(r[0] != root for r in self._relinks):
            self._relinks.append((root, me.id, kind))
            for m in matches:
                if m.root_id == root:
                    m.root_id = me.id
        return None

    def _in_window(self, candidate: _Known, me: _Known) -> bool:
        return self.window is None or abs(candidate.created_at - me.created_at) <= self.window

    def _stored_ids(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
        by_platform: dict[str, list[str]] = {}
        for platform, external_id in set(keys):
            by_platform.setdefault(platform, []).append(external_id)
        found: dict[tuple[str, str], int] = {}
        for platform, external_ids in by_platform.items():
            for chunk in _chunks(external_ids):
                rows = self.session.execute(
                    select(Mention.id, Mention.external_id).where(
                        Mention.platform == platform, Mention.external_id.in_(chunk)
                    )
                )
                found.update(((platform, ext), mention_id) for mention_id, ext in rows)
        return found

    def _stored_by_hash(self, hashes: set[int], by_id: dict[int, _Known]) -> dict[int, _Known]:
        found: dict[int, _Known] = {}
        for chunk in _chunks(sorted(hashes)):
            rows = self.session.execute(
                select(*_CANDIDATE_COLUMNS, Mention.content_hash).where(
                    Mention.content_hash.in_(chunk),
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
        pairs: list[tuple[int, int]] = []
        for chunk in _chunks(sorted(keys)):
            rank = (
                func.row_number()
                .over(
                    partition_by=NearDuplicateKey.key, order_by=NearDuplicateKey.mention_id.desc()
                )
                .label("rank")
            )
            ranked = (
                select(NearDuplicateKey.key, NearDuplicateKey.mention_id, rank)
                .where(NearDuplicateKey.key.in_(chunk))
                .subquery()
            )
            pairs.extend(
                self.session.execute(
                    select(ranked.c.key, ranked.c.mention_id).where(ranked.c.rank <= PER_KEY)
                )
            )
        missing = sorted({mention_id for _, mention_id in pairs} - by_id.keys())
        for chunk in _chunks(missing):
            query = select(*_CANDIDATE_COLUMNS).where(Mention.id.in_(chunk))
            if self.window is not None:
                query = query.where(
                    Mention.created_at >= earliest - self.window,
                    Mention.created_at <= latest + self.window,
                )
            for row in self.session.execute(query):
                _known(row, by_id)
        found: dict[int, list[_Known]] = {}
        for key, mention_id in pairs:
            if mention_id in by_id:
                found.setdefault(key, []).append(by_id[mention_id])
        return found


_CANDIDATE_COLUMNS = (
    Mention.id,
    Mention.created_at,
    Mention.duplicate_of_id,
    Mention.duplicate_kind,
    Mention.title,
    Mention.text,
)


def _known(row: object, by_id: dict[int, _Known]) -> _Known:
    mention_id = row.id  # type: ignore[attr-defined]
    existing = by_id.get(mention_id)
    if existing is not None:
        return existing
    title, text = row.title, row.text  # type: ignore[attr-defined]
    kind, of = row.duplicate_kind, row.duplicate_of_id  # type: ignore[attr-defined]
    known = _Known(
        id=mention_id,
        created_at=row.created_at,  # type: ignore[attr-defined]
        root_id=of if of is not None and kind in (COPY, NEAR) else mention_id,
        normalised=duplicate_key_text(f"{title}\n{text}" if title else text),
    )
    by_id[mention_id] = known
    return known


def _chunks(values: Sequence[int] | list[str], size: int = _CHUNK) -> Iterable[Sequence[object]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
