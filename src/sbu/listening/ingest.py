"""The ingest service: raw items in, mentions stored, events out.

One call of :meth:`IngestService.ingest` handles one batch in one transaction:

1. map each raw item with its payload mapper and check the draft; an item that fails goes to
   the dead-letter table with the reason, and the rest of the batch goes on;
2. skip items already stored (idempotent on platform + external id);
3. resolve authors (insert new ones, refresh changed profiles);
4. flag reposts, copies and near-duplicates and link them to the original (see
   :mod:`sbu.listening.dedupe`);
5. insert mentions, their near-duplicate keys and the dead letters, save the source's cursor,
   and commit all of it together, so a crash loses nothing and a re-run duplicates nothing;
6. publish ``mention.collected`` for each new mention, after the commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sbu.bus.base import Outgoing
from sbu.bus.subjects import MENTION_COLLECTED
from sbu.connectors.base import PayloadMapper
from sbu.core.clock import Clock
from sbu.core.errors import BadPayload, ConfigError
from sbu.core.text import fold
from sbu.db.bulk import allocate_ids, insert_ignoring_conflicts
from sbu.db.engine import Database, SerializedJson
from sbu.listening.dedupe import DuplicateResolver, Linked
from sbu.listening.drafts import MentionDraft, RawItem, Rejected, check_draft
from sbu.listening.fingerprint import Fingerprinter
from sbu.listening.models import Author, DeadLetter, Mention, NearDuplicateKey, Source
from sbu.settings import IngestSettings

#: Passed as ``cursor`` to leave the source's cursor as it is.
KEEP_CURSOR: Any = object()
DEAD_LETTER_PAYLOAD_LIMIT = 64 * 1024
_CHUNK = 500

Publisher = Callable[[Sequence[Outgoing]], None]


@dataclass(frozen=True, slots=True)
class StoredMention:
    id: int
    platform: str
    external_id: str
    created_at: datetime
    language: str | None
    duplicate_kind: str | None
    duplicate_of_id: int | None


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


@dataclass(slots=True)
class _Prepared:
    draft: MentionDraft
    raw_json: SerializedJson


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
        self.mappers = mappers
        self.settings = settings
        self.publish = publish
        self.fingerprinter = Fingerprinter(settings.duplicate_min_chars)
        self._authors: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}

    # -- public ---------------------------------------------------------------------------

    def ingest(
        self,
        source_id: int,
        items: Sequence[RawItem],
        *,
        rejected: Sequence[Rejected] = (),
        cursor: dict[str, Any] | None = KEEP_CURSOR,
        mappers: Mapping[str, PayloadMapper] | None = None,
    ) -> BatchResult:
        now = self.clock.now()
        result = BatchResult(rejected=list(rejected))
        prepared = self._prepare(items, mappers or self.mappers, now, result)
        fingerprints = self.fingerprinter.fingerprint_many(
            [_comparable_text(p.draft) for p in prepared]
        )
        new_authors: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
        with self.database.write_session() as session:
            fresh = self._drop_stored(session, prepared, fingerprints, result)
            if fresh:
                author_ids = self._resolve_authors(
                    session, [p.draft for p, _ in fresh], now, new_authors
                )
                self._insert(session, source_id, fresh, author_ids, now, result)
            self._store_dead_letters(session, source_id, result.rejected, now)
            if cursor is not KEEP_CURSOR:
                session.execute(
                    update(Source)
                    .where(Source.id == source_id)
                    .values(cursor=cursor, updated_at=now)
                )
            session.commit()
        self._authors.update(new_authors)
        if self.publish is not None and result.stored:
            self.publish([_collected_message(source_id, m) for m in result.stored])
        return result

    # -- steps ----------------------------------------------------------------------------

    def _prepare(
        self,
        items: Iterable[RawItem],
        mappers: Mapping[str, PayloadMapper],
        now: datetime,
        result: BatchResult,
    ) -> list[_Prepared]:
        prepared: list[_Prepared] = []
        seen: set[tuple[str, str]] = set()
        max_chars = self.settings.max_text_chars
        for item in items:
            mapper = mappers.get(item.mapper)
            if mapper is None:
                known = ", ".join(sorted(mappers))
                msg = f"No payload mapper is registered under {item.mapper!r} (known: {known})."
                raise ConfigError(msg)
            try:
                draft = mapper.to_mention(item.payload)
                if item.annotations is not None:
                    draft.annotations = item.annotations
                _clean(draft)
                check_draft(draft, now=now, max_text_chars=max_chars)
                raw_json = _serialise(draft.raw)
            except BadPayload as exc:
                result.rejected.append(
                    Rejected(item.locator, str(exc), _payload_text(item.payload))
                )
                continue
            except Exception as exc:  # a mapper bug must not stop the pipeline
                reason = (
                    f"The {item.mapper} mapper failed on this item ({type(exc).__name__}: {exc})."
                )
                result.rejected.append(Rejected(item.locator, reason, _payload_text(item.payload)))
                continue
            key = (draft.platform, draft.external_id)
            if key in seen:
                result.duplicates += 1
                continue
            seen.add(key)
            prepared.append(_Prepared(draft, raw_json))
        return prepared

    def _drop_stored(
        self,
        session: Session,
        prepared: list[_Prepared],
        fingerprints: list[Any],
        result: BatchResult,
    ) -> list[tuple[_Prepared, Any]]:
        by_platform: dict[str, list[str]] = {}
        for p in prepared:
            by_platform.setdefault(p.draft.platform, []).append(p.draft.external_id)
        stored: set[tuple[str, str]] = set()
        for platform, ids in by_platform.items():
            for chunk in _chunks(ids):
                rows = session.execute(
                    select(Mention.external_id).where(
                        Mention.platform == platform, Mention.external_id.in_(chunk)
                    )
                ).scalars()
                stored.update((platform, external_id) for external_id in rows)
        fresh = []
        for p, fp in zip(prepared, fingerprints, strict=True):
            if (p.draft.platform, p.draft.external_id) in stored:
                result.duplicates += 1
            else:
                fresh.append((p, fp))
        return fresh

    def _resolve_authors(
        self,
        session: Session,
        drafts: Sequence[MentionDraft],
        now: datetime,
        new_cache: dict[tuple[str, str], tuple[int, tuple[Any, ...]]],
    ) -> dict[tuple[str, str], int]:
        profiles: dict[tuple[str, str], tuple[Any, ...]] = {}
        for d in drafts:
            if d.author is not None:
                a = d.author
                profiles[(d.platform, a.external_id)] = (
                    a.handle,
                    a.display_name,
                    a.url,
                    a.followers,
                )
        ids: dict[tuple[str, str], int] = {}
        changed: list[dict[str, Any]] = []
        unknown: list[tuple[str, str]] = []
        for key, profile in profiles.items():
            cached = self._authors.get(key)
            if cached is None:
                unknown.append(key)
                continue
            ids[key] = cached[0]
            if _merge_profile(cached[1], profile) != cached[1]:
                merged = _merge_profile(cached[1], profile)
                changed.append(_profile_row(cached[0], merged, now))
                new_cache[key] = (cached[0], merged)
        if unknown:
            known = self._load_authors(session, unknown)
            missing = [key for key in unknown if key not in known]
            for key, (author_id, stored_profile) in known.items():
                merged = _merge_profile(stored_profile, profiles[key])
                if merged != stored_profile:
                    changed.append(_profile_row(author_id, merged, now))
                ids[key] = author_id
                new_cache[key] = (author_id, merged)
            if missing:
                new_ids = allocate_ids(session, Author.__table__, len(missing))
                rows = [
                    {
                        "id": author_id,
                        "platform": key[0],
                        "external_id": key[1],
                        "handle": profiles[key][0],
                        "display_name": profiles[key][1],
                        "url": profiles[key][2],
                        "followers": profiles[key][3],
                        "first_seen_at": now,
                        "last_seen_at": now,
                    }
                    for author_id, key in zip(new_ids, missing, strict=True)
                ]
                insert_ignoring_conflicts(
                    session, Author.__table__, rows, ["platform", "external_id"]
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
    ) -> dict[tuple[str, str], tuple[int, tuple[Any, ...]]]:
        found: dict[tuple[str, str], tuple[int, tuple[Any, ...]]] = {}
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
            for chunk in _chunks(external_ids):
                rows = session.execute(
                    select(*columns).where(
                        Author.platform == platform, Author.external_id.in_(chunk)
                    )
                )
                for author_id, external_id, handle, name, url, followers in rows:
                    found[(platform, external_id)] = (author_id, (handle, name, url, followers))
        return found

    def _insert(
        self,
        session: Session,
        source_id: int,
        fresh: list[tuple[_Prepared, Any]],
        author_ids: Mapping[tuple[str, str], int],
        now: datetime,
        result: BatchResult,
    ) -> None:
        ids = allocate_ids(session, Mention.__table__, len(fresh))
        resolver = DuplicateResolver(
            session,
            similarity_threshold=self.settings.near_duplicate_similarity,
            window_days=self.settings.near_duplicate_window_days,
        )
        links: dict[int, Linked] = resolver.resolve(
            [(mention_id, p.draft, fp) for mention_id, (p, fp) in zip(ids, fresh, strict=True)]
        )
        rows: list[dict[str, Any]] = []
        key_rows: list[dict[str, int]] = []
        for mention_id, (p, fp) in zip(ids, fresh, strict=True):
            d = p.draft
            link = links.get(mention_id)
            author_id = author_ids.get((d.platform, d.author.external_id)) if d.author else None
            rows.append(
                {
                    "id": mention_id,
                    "source_id": source_id,
                    "platform": d.platform,
                    "external_id": d.external_id,
                    "url": d.url,
                    "author_id": author_id,
                    "title": d.title,
                    "text": d.text,
                    "search_text": fold(f"{d.title}\n{d.text}" if d.title else d.text),
                    "language": d.language,
                    "created_at": d.created_at,
                    "collected_at": now,
                    "metrics": d.metrics,
                    "parent_external_id": d.parent_external_id,
                    "thread_external_id": d.thread_external_id,
                    "repost_of_external_id": d.repost_of_external_id,
                    "content_hash": fp.content_hash,
                    "duplicate_kind": link.kind if link else None,
                    "duplicate_of_id": link.original_id if link else None,
                    "raw": p.raw_json,
                    "annotations": d.annotations,
                }
            )
            if link is None or link.kind == "near":
                key_rows.extend({"key": key, "mention_id": mention_id} for key in fp.band_keys)
            result.stored.append(
                StoredMention(
                    mention_id,
                    d.platform,
                    d.external_id,
                    d.created_at,
                    d.language,
                    link.kind if link else None,
                    link.original_id if link else None,
                )
            )
        session.execute(Mention.__table__.insert(), rows)
        if key_rows:
            insert_ignoring_conflicts(
                session, NearDuplicateKey.__table__, key_rows, ["key", "mention_id"]
            )
        resolver.apply_relinks()

    def _store_dead_letters(
        self, session: Session, source_id: int, rejected: Sequence[Rejected], now: datetime
    ) -> None:
        rows = []
        for r in rejected:
            digest = hashlib.sha256(
                f"{r.locator}\0{r.payload}".encode("utf-8", "replace")
            ).hexdigest()
            rows.append(
                {
                    "source_id": source_id,
                    "received_at": now,
                    "locator": r.locator[:200],
                    "reason": r.reason,
                    "payload": _truncate(r.payload),
                    "fingerprint": digest,
                }
            )
        insert_ignoring_conflicts(session, DeadLetter.__table__, rows, ["source_id", "fingerprint"])


# -- helpers --------------------------------------------------------------------------------


def _comparable_text(draft: MentionDraft) -> str:
    return f"{draft.title}\n{draft.text}" if draft.title else draft.text


def _clean(draft: MentionDraft) -> None:
    # PostgreSQL text cannot hold NUL characters; they never carry meaning in a post.
    if "\x00" in draft.text:
        draft.text = draft.text.replace("\x00", "")
    if draft.title is not None and "\x00" in draft.title:
        draft.title = draft.title.replace("\x00", "")


def _strip_nul(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {_strip_nul(k): _strip_nul(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strip_nul(v) for v in value]
    return value


def _serialise(raw: Any) -> SerializedJson:
    try:
        data = orjson.dumps(raw, option=orjson.OPT_NON_STR_KEYS)
    except TypeError as exc:
        msg = f"The raw payload cannot be stored as JSON ({exc})."
        raise BadPayload(msg) from exc
    if b"\\u0000" in data:  # JSONB refuses NUL characters
        data = orjson.dumps(_strip_nul(raw), option=orjson.OPT_NON_STR_KEYS)
    return SerializedJson(data.decode())


def _payload_text(payload: Any) -> str:
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return repr(payload)


def _truncate(text: str) -> str:
    text = text.replace("\x00", "\\0")
    if len(text) <= DEAD_LETTER_PAYLOAD_LIMIT:
        return text
    return f"{text[:DEAD_LETTER_PAYLOAD_LIMIT]}… [truncated: {len(text):,} characters in all]"


def _merge_profile(stored: tuple[Any, ...], seen: tuple[Any, ...]) -> tuple[Any, ...]:
    """Newly seen profile values replace stored ones; missing values keep what we had."""
    return tuple(new if new is not None else old for old, new in zip(stored, seen, strict=True))


def _profile_row(author_id: int, profile: tuple[Any, ...], now: datetime) -> dict[str, Any]:
    handle, name, url, followers = profile
    return {
        "id": author_id,
        "handle": handle,
        "display_name": name,
        "url": url,
        "followers": followers,
        "last_seen_at": now,
    }


def _chunks(values: Sequence[Any], size: int = _CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _collected_message(source_id: int, m: StoredMention) -> Outgoing:
    return Outgoing(
        MENTION_COLLECTED,
        {
            "version": 1,
            "mention_id": m.id,
            "source_id": source_id,
            "platform": m.platform,
            "external_id": m.external_id,
            "created_at": m.created_at.isoformat(),
            "language": m.language,
            "duplicate_kind": m.duplicate_kind,
            "duplicate_of_id": m.duplicate_of_id,
        },
        key=f"mention:{m.id}",
    )
