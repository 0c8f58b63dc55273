"""Preparing import batches, in this process or in a worker process.

Parsing JSON, mapping and fingerprinting (:mod:`sbu.listening.prepare`) need no database, so
``sbu import`` hands them to a worker process and stores batch *n* while the worker prepares
batch *n + 1*: on two cores the import runs at the speed of the slower half instead of the sum
of both. The worker is a plain process fed through queues, started with ``spawn`` (it shares
nothing with the parent but what is sent to it); it exits when the parent closes the queue or
dies.
"""

from __future__ import annotations

import multiprocessing
import queue
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sbu.connectors.files import parse_jsonl_line
from sbu.connectors.records import RecordMapper
from sbu.core.errors import InvalidInput, SbuError
from sbu.listening.drafts import RawItem, Rejected
from sbu.listening.prepare import PreparedBatch, Preparer
from sbu.settings import Settings


@dataclass(frozen=True, slots=True)
class PrepareConfig:
    settings: Settings
    #: Payload format of the records (a mapper key): "sbu", "mastodon", ...
    mapper: str
    default_platform: str
    timezone: str | None


@dataclass(slots=True)
class Chunk:
    """One batch of a file: raw JSON lines and/or already-read records, and where it ends."""

    lines: list[tuple[int, bytes]] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    last_line: int = 0
    end_offset: int = 0

    def __len__(self) -> int:
        return len(self.lines) + len(self.items) + len(self.rejected)


def zone(name: str | None) -> ZoneInfo | None:
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        msg = f"The time zone {name!r} is unknown: use a name such as Europe/Paris or UTC."
        raise InvalidInput(msg) from None


def build_preparer(config: PrepareConfig) -> Preparer:
    from sbu.connectors.registry import build_registry

    registry = build_registry(config.settings)
    mappers = {
        **registry.mappers,
        "sbu": RecordMapper(config.default_platform, zone(config.timezone)),
    }
    return Preparer(mappers, config.settings.ingest, config.settings.database.url)


def prepare_chunk(preparer: Preparer, chunk: Chunk, mapper: str, now: datetime) -> PreparedBatch:
    items = list(chunk.items)
    rejected = list(chunk.rejected)
    for number, line in chunk.lines:
        parsed = parse_jsonl_line(number, line, mapper)
        if isinstance(parsed, Rejected):
            rejected.append(parsed)
        elif parsed is not None:
            items.append(parsed)
    return preparer.prepare(items, now, rejected=rejected)


def _worker_main(config: PrepareConfig, inbox: Any, outbox: Any) -> None:
    preparer = build_preparer(config)
    while True:
        task = inbox.get()
        if task is None:
            return
        sequence, chunk, now = task
        try:
            outbox.put((sequence, prepare_chunk(preparer, chunk, config.mapper, now), None))
        except SbuError as exc:
            outbox.put((sequence, None, exc))
        except Exception as exc:
            outbox.put((sequence, None, RuntimeError(f"{type(exc).__name__}: {exc}")))


class InlinePreparer:
    """Prepares chunks in this process (small files, or workers disabled)."""

    def __init__(self, config: PrepareConfig) -> None:
        self.config = config
        self.preparer = build_preparer(config)
        self._pending: list[PreparedBatch] = []

    def submit(self, chunk: Chunk, now: datetime) -> None:
        self._pending.append(prepare_chunk(self.preparer, chunk, self.config.mapper, now))

    def next_result(self) -> PreparedBatch:
        return self._pending.pop(0)

    def in_flight(self) -> int:
        return len(self._pending)

    def close(self) -> None:
        self._pending.clear()


class WorkerPreparer:
    """Prepares chunks in one worker process, in order, up to ``ahead`` chunks in flight."""

    def __init__(self, config: PrepareConfig) -> None:
        self.config = config
        context = multiprocessing.get_context("spawn")
        self._inbox = context.Queue()
        self._outbox = context.Queue()
        self._process = context.Process(
            target=_worker_main,
            args=(config, self._inbox, self._outbox),
            name="sbu-import-prepare",
            daemon=True,
        )
        self._process.start()
        self._sent = 0
        self._received = 0

    def submit(self, chunk: Chunk, now: datetime) -> None:
        self._inbox.put((self._sent, chunk, now))
        self._sent += 1

    def in_flight(self) -> int:
        return self._sent - self._received

    def next_result(self) -> PreparedBatch:
        while True:
            try:
                sequence, batch, error = self._outbox.get(timeout=1.0)
                break
            except queue.Empty:
                if not self._process.is_alive():
                    msg = (
                        "The import worker process stopped unexpectedly (out of memory?). What "
                        "was committed stays: run the same import again to continue, or set "
                        "SBU_INGEST__IMPORT_WORKERS=0 to prepare batches in one process."
                    )
                    raise SbuError(msg) from None
        if sequence != self._received:  # pragma: no cover - one worker keeps order
            msg = f"The import worker answered batch {sequence} instead of {self._received}."
            raise SbuError(msg)
        self._received += 1
        if error is not None:
            raise error
        assert isinstance(batch, PreparedBatch)
        return batch

    def close(self) -> None:
        if self._process.is_alive():
            self._inbox.put(None)
            self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._inbox.close()
        self._outbox.close()
