"""Preparing raw items for storage: the CPU half of ingest, free of any database.

:class:`Preparer` maps each raw item with its payload mapper, checks the draft, serialises the
raw payload once, folds the text for search, writes its search index document
(:mod:`sbu.listening.search_index`) and computes the duplicate fingerprints. Its output,
a :class:`PreparedBatch` of plain tuples, is cheap to pickle, so ``sbu import`` prepares batches
in a worker process while the main process stores the previous one (see importer.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple, cast

import orjson
from sqlalchemy.engine import make_url

from sbu.connectors.base import PayloadMapper
from sbu.core.errors import BadPayload, ConfigError
from sbu.core.text import fold
from sbu.db.engine import SerializedJson
from sbu.db.types import UtcDateTime
from sbu.listening.drafts import MentionDraft, RawItem, Rejected, check_draft
from sbu.listening.fingerprint import Fingerprinter
from sbu.listening.query.batch_text import BatchNormaliser
from sbu.listening.search_index import Document, document_builder_for_url, field_tokens
from sbu.settings import IngestSettings

DEAD_LETTER_PAYLOAD_LIMIT = 64 * 1024


class PreparedMention(NamedTuple):
    platform: str
    external_id: str
    url: str | None
    title: str | None
    text: str
    search_text: str
    language: str | None
    created_at: datetime
    #: created_at as the database driver takes it (text on SQLite), converted once here.
    created_at_db: Any
    #: created_at in ISO 8601, for the mention.collected message.
    created_at_iso: str
    #: The counters as JSON text.
    metrics_json: str
    parent_external_id: str | None
    thread_external_id: str | None
    repost_of_external_id: str | None
    #: (external_id, handle, display_name, url, followers) or None.
    author: tuple[str, str | None, str | None, str | None, int | None] | None
    raw_json: str
    #: The annotations as JSON text, or None.
    annotations_json: str | None
    content_hash: int | None
    band_keys: tuple[int, ...]
    #: The search index document of the title and text (sbu.listening.search_index).
    search_document: Document = None

    @property
    def comparable_text(self) -> str:
        return comparable_text(self.title, self.text)


@dataclass(slots=True)
class PreparedBatch:
    mentions: list[PreparedMention] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    #: Items that repeat a platform + id already in this batch.
    duplicates: int = 0


def comparable_text(title: str | None, text: str) -> str:
    return f"{title}\n{text}" if title else text


class Preparer:
    """Maps, checks and fingerprints items; keeps a word-hash cache between batches."""

    def __init__(
        self, mappers: Mapping[str, PayloadMapper], settings: IngestSettings, database_url: str
    ) -> None:
        self.mappers = mappers
        self.settings = settings
        self.fingerprinter = Fingerprinter(settings.duplicate_min_chars)
        self.to_db_time = datetime_processor(database_url)
        self.search_document = document_builder_for_url(database_url)
        #: Match text of whole batches at once (the same strings as normalize.match_text).
        self.normaliser = BatchNormaliser()

    def prepare(
        self,
        items: Iterable[RawItem],
        now: datetime,
        *,
        rejected: Sequence[Rejected] = (),
        mappers: Mapping[str, PayloadMapper] | None = None,
    ) -> PreparedBatch:
        mappers = mappers or self.mappers
        batch = PreparedBatch(rejected=list(rejected))
        drafts: list[tuple[MentionDraft, SerializedJson]] = []
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
                raw_json = serialise(draft.raw)
            except BadPayload as exc:
                batch.rejected.append(Rejected(item.locator, str(exc), payload_text(item.payload)))
                continue
            except Exception as exc:  # a mapper bug must not stop the pipeline
                reason = (
                    f"The {item.mapper} mapper failed on this item ({type(exc).__name__}: {exc})."
                )
                batch.rejected.append(Rejected(item.locator, reason, payload_text(item.payload)))
                continue
            key = (draft.platform, draft.external_id)
            if key in seen:
                batch.duplicates += 1
                continue
            seen.add(key)
            drafts.append((draft, raw_json))
        texts = [comparable_text(d.title, d.text) for d, _ in drafts]
        fingerprints = self.fingerprinter.fingerprint_many(texts)
        folded = [fold(text) for text in texts]
        words = self.normaliser.match_texts(texts)
        build = self.search_document
        for (d, raw_json), search_text, fp, match in zip(
            drafts, folded, fingerprints, words, strict=True
        ):
            a = d.author
            batch.mentions.append(
                PreparedMention(
                    d.platform,
                    d.external_id,
                    d.url,
                    d.title,
                    d.text,
                    search_text,
                    d.language,
                    d.created_at,
                    self.to_db_time(d.created_at),
                    d.created_at.isoformat(),
                    _dumps(d.metrics),
                    d.parent_external_id,
                    d.thread_external_id,
                    d.repost_of_external_id,
                    (a.external_id, a.handle, a.display_name, a.url, a.followers) if a else None,
                    raw_json,
                    None if d.annotations is None else _dumps(d.annotations),
                    fp.content_hash,
                    fp.band_keys,
                    build(match, field_tokens(d.language, d.url, d.text)),
                )
            )
        return batch


def datetime_processor(database_url: str) -> Callable[[datetime], Any]:
    """Convert an aware datetime the way the database's driver stores it (UtcDateTime)."""
    dialect = make_url(database_url).get_dialect()()
    processor = UtcDateTime().dialect_impl(dialect).bind_processor(dialect)
    if processor is None:  # pragma: no cover - UtcDateTime always has one
        return lambda value: value
    return cast(Callable[[datetime], Any], processor)


def _dumps(value: Any) -> str:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


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


def serialise(raw: Any) -> SerializedJson:
    """The raw payload as JSON text, once; NUL characters (refused by JSONB) removed."""
    data: bytes
    try:
        data = orjson.dumps(raw, option=orjson.OPT_NON_STR_KEYS)
    except TypeError as exc:
        msg = f"The raw payload cannot be stored as JSON ({exc})."
        raise BadPayload(msg) from exc
    if b"\\u0000" in data:
        data = orjson.dumps(_strip_nul(raw), option=orjson.OPT_NON_STR_KEYS)
    return SerializedJson(data.decode())


def payload_text(payload: Any) -> str:
    try:
        return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return repr(payload)


def truncate_payload(text: str) -> str:
    text = text.replace("\x00", "\\0")
    if len(text) <= DEAD_LETTER_PAYLOAD_LIMIT:
        return text
    return f"{text[:DEAD_LETTER_PAYLOAD_LIMIT]}… [truncated: {len(text):,} characters in all]"
