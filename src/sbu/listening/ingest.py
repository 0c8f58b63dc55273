"""The ingest service: raw items in, mentions stored, events out.

One call of :meth:`IngestService.ingest` handles one batch in one transaction:

1. prepare (:mod:`sbu.listening.prepare`): map each raw item with its payload mapper and check
   it; an item that fails goes to the dead-letter table with the reason, and the batch goes on;
2. skip items already stored (idempotent on platform + external id);
3. resolve authors (insert new ones, refresh changed profiles);
4. flag reposts, copies and near-duplicates and link them to their original
   (:mod:`sbu.listening.dedupe`);
5. insert mentions, their near-duplicate keys, their search index documents
   (:mod:`sbu.listening.search_index`) and the dead letters, save the source's cursor, and
   commit all of it together, so a crash loses nothing and a re-run duplicates nothing;
6. publish ``mention.collected`` for each new mention, after the commit.

:meth:`IngestService.store` runs steps 2 to 6 on a batch prepared elsewhere (a worker process).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sbu.bus.base import Outgoing
from sbu.bus.subjects import MENTION_COLLECTED
from sbu.connectors.base import PayloadMapper
from sbu.core.clock import Clock
from sbu.db.base import table_of
from sbu.db.bulk import allocate_ids, insert_rows
from sbu.db.engine import Database
from sbu.db.sql import in_list
from sbu.listening.dedupe import DuplicateResolver
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.models import Author, DeadLetter, Mention, Source
from sbu.listening.near_index import NearKeyIndex, pack_keys
from sbu.listening.prepare import PreparedBatch, PreparedMention, Preparer, truncate_payload
from sbu.listening.search_index import add_documents
from sbu.settings import IngestSettings

#: PostgreSQL tables are re-analysed after this many new mentions (and 25 % growth).
ANALYZE_EVERY = 20_000
#: Times a batch is stored again after losing a race with another writer on a unique key.
STORE_ATTEMPTS = 3
#: Passed as ``cursor`` to leave the source's cursor as it is.
KEEP_CURSOR: Any = object()

MENTION_COLUMNS = (
    "id",
    "source_id",
    "platform",
    "external_id",
    "url",
    "author_id",
    "title",
    "text",
    "search_text",
    "language",
    "created_at",
    "collected_at",
    "metrics",
    "parent_external_id",
    "thread_external_id",
    "repost_of_external_id",
    "content_hash",
    "duplicate_kind",
    "duplicate_of_id",
    "raw",
    "annotations",
    "near_keys",
)
AUTHOR_COLUMNS = (
    "id",
    "platform",
    "external_id",
    "handle",
    "display_name",
    "url",
    "followers",
    "first_seen_at",
    "last_seen_at",
)
DEAD_LETTER_COLUMNS = ("source_id", "received_at", "locator", "reason", "payload", "fingerprint")

#: Columns whose values the preparer already converted to what the driver takes.
READY_COLUMNS = frozenset({"created_at", "collected_at", "metrics", "raw", "annotations"})
_INSERT_ORDER = {None: 0, "copy": 1, "near": 1, "repost": 2}
_KIND = MENTION_COLUMNS.index("duplicate_kind")

Publisher = Callable[[Sequence[Outgoing]], None]
Profile = tuple[Any, ...]


@dataclass(frozen=True, slots=True)
class StoredMention:
    id: int
    platform: str
    external_id: str
    created_at: datetime
    language: str | None
    duplicate_kind: str | None
    duplicate_of_id: int | None
    created_at_iso: str = ""


@dataclass(slots=True)
class BatchResult:
    stored: list[StoredMention] = field(default_factory=list)
    #: Items skipped because the same platform + id is already stored (or twice in the batch).
    duplicates: int = 0
    rejected: list[Rejected] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return len(self.stored)

    def flagged(self, kind: str) -> int:
        return sum(1 for m in self.stored if m.duplicate_kind == kind)


class IngestService:
    """Stores batches of raw items as mentions. One instance may serve many batches; it keeps
    a cache of author ids and word hashes between them."""

    def __init__(
        self,
        database: Database,
        clock: Clock,
        mappers: Mapping[str, PayloadMapper],
        settings: IngestSettings,
        publish: Publisher | None = None,
    ) -> None:
        self.database = database
        self.clock = clock
        self.settings = settings
        self.publish = publish
        self.preparer = Preparer(
            mappers, settings, database.url.render_as_string(hide_password=False)
        )
        self._authors: dict[tuple[str, str], tuple[int, Profile]] = {}
        window = settings.near_duplicate_window_days
        self.near_index = NearKeyIndex(timedelta(days=window) if window > 0 else None)
        self._inserted_since_analyze = 0
        self._analyzed_rows = 0

    def ingest(
        self,
        source_id: int,
        items: Sequence[RawItem],
        *,
        rejected: Sequence[Rejected] = (),
        cursor: dict[str, Any] | None = KEEP_CURSOR,
        mappers: Mapping[str, PayloadMapper] | None = None,
    ) -> BatchResult:
        """Prepare and store one batch (see the module docstring)."""
        batch = self.preparer.prepare(items, self.clock.now(), rejected=rejected, mappers=mappers)
        return self.store(source_id, batch, cursor=cursor)

    def store(
        self, source_id: int, batch: PreparedBatch, *, cursor: dict[str, Any] | None = KEEP_CURSOR
    ) -> BatchResult:
        """Store a prepared batch in one transaction, then publish its events.

        Another process may store one of these posts between our check and our insert (two
        replicas polling feeds that carry the same article): the transaction then fails on the
        unique key and is simply run again, which now sees that post as already stored.
        """
        for attempt in range(1, STORE_ATTEMPTS + 1):
            now = self.clock.now()
            result = BatchResult(duplicates=batch.duplicates, rejected=list(batch.rejected))
            new_authors: dict[tuple[str, str], tuple[int, Profile]] = {}
            originals: list[tuple[int, datetime, tuple[int, ...]]] = []
            try:
                with self.database.write_session() as session:
                    fresh = self._drop_stored(session, batch.mentions, result)
                    if fresh:
                        author_ids = self._resolve_authors(session, fresh, now, new_authors)
                        originals = self._insert(session, source_id, fresh, author_ids, now, result)
                    self._store_dead_letters(session, source_id, result.rejected, now)
                    if cursor is not KEEP_CURSOR:
                        session.execute(
                            update(Source)
                            .where(Source.id == source_id)
                            .values(cursor=cursor, updated_at=now)
                        )
                    session.commit()
                break
            except IntegrityError:
                if attempt == STORE_ATTEMPTS:
                    raise
        self._authors.update(new_authors)
        self.near_index.record(originals)
        self._refresh_statistics(len(result.stored))
        if self.publish is not None and result.stored:
            self.publish([_collected_message(source_id, m) for m in result.stored])
        return result

    def _refresh_statistics(self, inserted: int) -> None:
        """Re-analyse PostgreSQL's tables when a large import has outgrown the planner's view.

        On a fresh or fast-growing table the planner's statistics say "empty" and it picks
        sequential scans for the duplicate lookups and the search index; autovacuum catches up
        only later.
        """
        if self.database.dialect != "postgresql":
            return
        self._inserted_since_analyze += inserted
        if self._inserted_since_analyze < max(ANALYZE_EVERY, self._analyzed_rows // 4):
            return
        with self.database.engine.connect() as connection:
            connection.exec_driver_sql("ANALYZE mentions, authors, mention_search")
            # The search index's GIN collects new entries in a pending list that every search
            # reads in full; fold them into the index (sbu.listening.search_index).
            connection.exec_driver_sql(
                "SELECT gin_clean_pending_list('ix_mention_search_document'::regclass)"
            )
            connection.commit()
        self._analyzed_rows += self._inserted_since_analyze
        self._inserted_since_analyze = 0

    # -- steps ----------------------------------------------------------------------------

    def _drop_stored(
        self, session: Session, mentions: list[PreparedMention], result: BatchResult
    ) -> list[PreparedMention]:
        by_platform: dict[str, list[str]] = {}
        for m in mentions:
            by_platform.setdefault(m.platform, []).append(m.external_id)
        stored: set[tuple[str, str]] = set()
        for platform, ids in by_platform.items():
            rows = session.execute(
                select(Mention.external_id).where(
                    Mention.platform == platform, in_list(session, Mention.external_id, ids)
                )
            ).scalars()
            stored.update((platform, external_id) for external_id in rows)
        if not stored:
            return mentions
        fresh = [m for m in mentions if (m.platform, m.external_id) not in stored]
        result.duplicates += len(mentions) - len(fresh)
        return fresh

    def _resolve_authors(
        self,
        session: Session,
        mentions: Sequence[PreparedMention],
        now: datetime,
        new_cache: dict[tuple[str, str], tuple[int, Profile]],
    ) -> dict[tuple[str, str], int]:
        profiles: dict[tuple[str, str], Profile] = {}
        for m in mentions:
            if m.author is not None:
                profiles[(m.platform, m.author[0])] = m.author[1:]
        ids: dict[tuple[str, str], int] = {}
        changed: list[dict[str, Any]] = []
        unknown: list[tuple[str, str]] = []
        for key, profile in profiles.items():
            cached = self._authors.get(key)
            if cached is None:
                unknown.append(key)
                continue
            ids[key] = cached[0]
            merged = _merge_profile(cached[1], profile)
            if merged != cached[1]:
                changed.append(_profile_row(cached[0], merged, now))
                new_cache[key] = (cached[0], merged)
        if unknown:
            known = self._load_authors(session, unknown)
            for key, (author_id, stored_profile) in known.items():
                merged = _merge_profile(stored_profile, profiles[key])
                if merged != stored_profile:
                    changed.append(_profile_row(author_id, merged, now))
                ids[key] = author_id
                new_cache[key] = (author_id, merged)
            missing = [key for key in unknown if key not in known]
            if missing:
                new_ids = allocate_ids(session, table_of(Author), len(missing))
                rows = [
                    (author_id, key[0], key[1], *profiles[key], now, now)
                    for author_id, key in zip(new_ids, missing, strict=True)
                ]
                insert_rows(
                    session,
                    table_of(Author),
                    AUTHOR_COLUMNS,
                    rows,
                    ignore_conflicts_on=("platform", "external_id"),
                )
                # Another writer (PostgreSQL, several workers) may have inserted some first.
                for key, (author_id, stored_profile) in self._load_authors(
                    session, missing
                ).items():
                    ids[key] = author_id
                    new_cache[key] = (author_id, stored_profile)
        if changed:
            session.execute(update(Author), changed)
        return ids

    def _load_authors(
        self, session: Session, keys: Sequence[tuple[str, str]]
    ) -> dict[tuple[str, str], tuple[int, Profile]]:
        found: dict[tuple[str, str], tuple[int, Profile]] = {}
        by_platform: dict[str, list[str]] = {}
        for platform, external_id in keys:
            by_platform.setdefault(platform, []).append(external_id)
        columns = (
            Author.id,
            Author.external_id,
            Author.handle,
            Author.display_name,
            Author.url,
            Author.followers,
        )
        for platform, external_ids in by_platform.items():
            rows = session.execute(
                select(*columns).where(
                    Author.platform == platform, in_list(session, Author.external_id, external_ids)
                )
            )
            for author_id, external_id, handle, name, url, followers in rows:
                found[(platform, external_id)] = (author_id, (handle, name, url, followers))
        return found

    def _insert(
        self,
        session: Session,
        source_id: int,
        fresh: list[PreparedMention],
        author_ids: Mapping[tuple[str, str], int],
        now: datetime,
        result: BatchResult,
    ) -> list[tuple[int, datetime, tuple[int, ...]]]:
        ids = allocate_ids(session, table_of(Mention), len(fresh))
        resolver = DuplicateResolver(
            session,
            self.near_index,
            similarity_threshold=self.settings.near_duplicate_similarity,
            window_days=self.settings.near_duplicate_window_days,
        )
        links = resolver.resolve(list(zip(ids, fresh, strict=True)))
        collected_at = self.preparer.to_db_time(now)
        rows: list[tuple[Any, ...]] = []
        for mention_id, m in zip(ids, fresh, strict=True):
            link = links.get(mention_id)
            kind = link.kind if link else None
            original = link.original_id if link else None
            author_id = author_ids.get((m.platform, m.author[0])) if m.author else None
            rows.append(
                (
                    mention_id,
                    source_id,
                    m.platform,
                    m.external_id,
                    m.url,
                    author_id,
                    m.title,
                    m.text,
                    m.search_text,
                    m.language,
                    m.created_at_db,
                    collected_at,
                    m.metrics_json,
                    m.parent_external_id,
                    m.thread_external_id,
                    m.repost_of_external_id,
                    m.content_hash,
                    kind,
                    original,
                    m.raw_json,
                    m.annotations_json,
                    # only originals are indexed for near-duplicate search
                    pack_keys(m.band_keys) if kind is None else None,
                )
            )
            result.stored.append(
                StoredMention(
                    mention_id,
                    m.platform,
                    m.external_id,
                    m.created_at,
                    m.language,
                    kind,
                    original,
                    m.created_at_iso,
                )
            )
        # Rows that others in this batch point to go first: foreign keys are checked row by row
        # (originals, then copies and near-duplicates of them, then reposts of any of these).
        rows.sort(key=lambda row: _INSERT_ORDER[row[_KIND]])
        insert_rows(session, table_of(Mention), MENTION_COLUMNS, rows, ready=READY_COLUMNS)
        add_documents(
            session.connection(),
            [(mention_id, m.search_document) for mention_id, m in zip(ids, fresh, strict=True)],
        )
        resolver.apply_relinks()
        return [
            (mention_id, m.created_at, m.band_keys)
            for mention_id, m in zip(ids, fresh, strict=True)
            if m.band_keys and mention_id not in links
        ]

    def _store_dead_letters(
        self, session: Session, source_id: int, rejected: Sequence[Rejected], now: datetime
    ) -> None:
        rows = [
            (
                source_id,
                now,
                r.locator[:200],
                r.reason,
                truncate_payload(r.payload),
                hashlib.sha256(f"{r.locator}\0{r.payload}".encode("utf-8", "replace")).hexdigest(),
            )
            for r in rejected
        ]
        insert_rows(
            session,
            table_of(DeadLetter),
            DEAD_LETTER_COLUMNS,
            rows,
            ignore_conflicts_on=("source_id", "fingerprint"),
        )


def _merge_profile(stored: Profile, seen: Profile) -> Profile:
    """Newly seen profile values replace stored ones; missing values keep what we had."""
    return tuple(new if new is not None else old for old, new in zip(stored, seen, strict=True))


def _profile_row(author_id: int, profile: Profile, now: datetime) -> dict[str, Any]:
    handle, name, url, followers = profile
    return {
        "id": author_id,
        "handle": handle,
        "display_name": name,
        "url": url,
        "followers": followers,
        "last_seen_at": now,
    }


def _collected_message(source_id: int, m: StoredMention) -> Outgoing:
    return Outgoing(
        MENTION_COLLECTED,
        {
            "version": 1,
            "mention_id": m.id,
            "source_id": source_id,
            "platform": m.platform,
            "external_id": m.external_id,
            "created_at": m.created_at_iso or m.created_at.isoformat(),
            "language": m.language,
            "duplicate_kind": m.duplicate_kind,
            "duplicate_of_id": m.duplicate_of_id,
        },
        key=f"mention:{m.id}",
    )
