"""``sbu import``: load a JSON lines or CSV file into a file source, resumably.

The importer reads records (:mod:`sbu.connectors.files`), hands them to the ingest service in
batches, and saves with each batch the byte offset reached in the file as the source's cursor,
in the same transaction as the batch. Killed at any point, a re-run resumes after the last
committed batch: nothing is lost and nothing is stored twice. A file that grew since the last
import (an append-only export) is read from where the last import stopped.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from sbu.connectors.files import (
    FileFormat,
    detect_format,
    read_csv,
    read_csv_header,
    read_jsonl_lines,
)
from sbu.core.audit import Actor
from sbu.core.errors import InvalidInput, NotFound
from sbu.listening import services
from sbu.listening.drafts import Rejected
from sbu.listening.import_worker import Chunk, InlinePreparer, PrepareConfig, WorkerPreparer, zone
from sbu.listening.ingest import BatchResult

if TYPE_CHECKING:
    from sbu.bootstrap import App

FILE_KEY_BYTES = 64 * 1024
REJECTED_KEPT = 200
#: Files smaller than this are prepared in-process: starting a worker costs about a second.
WORKER_MIN_BYTES = 8 * 1024 * 1024
#: Batches prepared ahead of the one being stored.
PREPARED_AHEAD = 2


@dataclass(slots=True)
class ImportProgress:
    bytes_done: int
    bytes_total: int
    imported: int
    duplicates: int
    rejected: int


@dataclass(slots=True)
class ImportSummary:
    source_name: str
    path: Path
    run_id: int | None = None
    resumed_at_line: int | None = None
    nothing_new: bool = False
    last_line: int = 0
    imported: int = 0
    duplicates: int = 0
    flagged: dict[str, int] = field(default_factory=lambda: {"repost": 0, "copy": 0, "near": 0})
    rejected_count: int = 0
    #: The first rejected records (line and reason); all are in the dead-letter table.
    rejected: list[Rejected] = field(default_factory=list)
    created_source: bool = False

    def add(self, batch: BatchResult) -> None:
        self.imported += batch.imported
        self.duplicates += batch.duplicates
        for stored in batch.stored:
            if stored.duplicate_kind:
                self.flagged[stored.duplicate_kind] = self.flagged.get(stored.duplicate_kind, 0) + 1
        self.rejected_count += len(batch.rejected)
        room = REJECTED_KEPT - len(self.rejected)
        if room > 0:
            self.rejected.extend(batch.rejected[:room])


def file_key(path: Path, length: int = FILE_KEY_BYTES) -> str:
    """Identify a file by its first bytes (64 KiB), so a renamed file is recognised."""
    with path.open("rb") as handle:
        return hashlib.sha256(handle.read(length)).hexdigest()[:32]


def find_previous(path: Path, files: dict[str, Any]) -> tuple[str | None, dict[str, Any] | None]:
    """The saved position of this file, also when it grew since (an appended export).

    An entry remembers how many leading bytes its key covers (``prefix``): a file whose leading
    bytes still hash to the key is the same file, possibly longer.
    """
    size = path.stat().st_size
    hashes: dict[int, str] = {}
    for key, entry in files.items():
        prefix = int(entry.get("prefix", FILE_KEY_BYTES))
        if size < int(entry.get("size", 0)) or size < prefix:
            continue
        if prefix not in hashes:
            hashes[prefix] = file_key(path, prefix)
        if hashes[prefix] == key:
            return key, entry
    return None, None


def import_file(
    app: App,
    actor: Actor,
    path: Path,
    source_name: str,
    *,
    file_format: str | None = None,
    mapper: str = "sbu",
    encoding: str = "utf-8",
    default_platform: str | None = None,
    timezone: str | None = None,
    restart: bool = False,
    progress: Callable[[ImportProgress], None] | None = None,
) -> ImportSummary:
    path = Path(path)
    if not path.exists():
        msg = f"The file {path} does not exist: check the path."
        raise InvalidInput(msg)
    if not path.is_file():
        msg = f"{path} is not a file: give the path of a .jsonl or .csv file."
        raise InvalidInput(msg)
    fmt = detect_format(path, file_format)
    if mapper not in app.registry.mappers:
        known = ", ".join(sorted(app.registry.mappers))
        msg = f"There is no payload format called {mapper!r}: use one of {known}."
        raise InvalidInput(msg)
    try:
        "".encode(encoding)
    except LookupError:
        msg = f"The encoding {encoding!r} is unknown: use for example utf-8, latin-1 or cp1252."
        raise InvalidInput(msg) from None
    zone(timezone)  # refuse an unknown zone before anything is written

    source, created = _file_source(app, actor, source_name)
    summary = ImportSummary(source_name=source.name, path=path, created_source=created)
    size = path.stat().st_size
    prefix = min(size, FILE_KEY_BYTES)
    key = file_key(path, prefix)
    cursor: dict[str, Any] = dict(source.cursor or {})
    files: dict[str, Any] = dict(cursor.get("files") or {})
    previous_key, entry = (None, None) if restart else find_previous(path, files)
    if previous_key is not None and previous_key != key:
        del files[previous_key]  # the file grew: its key now covers more of it
    config = PrepareConfig(
        settings=app.settings,
        mapper=mapper,
        default_platform=default_platform or str(source.config.get("default_platform") or "import"),
        timezone=timezone,
    )
    batch_size = app.settings.ingest.batch_size
    max_line = app.settings.ingest.max_line_bytes

    with path.open("rb") as handle:
        columns: list[str] = []
        data_start = 0
        if fmt is FileFormat.CSV:
            columns, data_start = read_csv_header(handle, encoding, max_line)
        start_offset = int(entry["offset"]) if entry else data_start
        start_line = int(entry["line"]) if entry else (1 if fmt is FileFormat.CSV else 0)
        if entry:
            summary.resumed_at_line = start_line + 1
            if start_offset >= size:
                summary.nothing_new = True
                summary.last_line = start_line
                return summary
        handle.seek(start_offset)
        chunks = (
            _csv_chunks(handle, columns, start_line, max_line, encoding, mapper, batch_size)
            if fmt is FileFormat.CSV
            else _jsonl_chunks(handle, start_line, max_line, batch_size)
        )
        use_worker = (
            app.settings.ingest.import_workers > 0 and size - start_offset > WORKER_MIN_BYTES
        )
        preparer: WorkerPreparer | InlinePreparer = (
            WorkerPreparer(config) if use_worker else InlinePreparer(config)
        )
        run_id = services.start_run(app.db, app.clock, source.id, "imported")
        summary.run_id = run_id
        waiting: deque[Chunk] = deque()

        def store_next() -> None:
            chunk = waiting.popleft()
            batch = preparer.next_result()
            done = not waiting and chunk.end_offset >= size
            files[key] = {
                "prefix": prefix,
                "path": str(path.resolve()),
                "offset": chunk.end_offset,
                "line": chunk.last_line,
                "size": size,
                "done": done,
                "updated_at": app.clock.now().isoformat(),
            }
            cursor["files"] = dict(files)
            summary.add(app.ingest.store(source.id, batch, cursor=dict(cursor)))
            summary.last_line = chunk.last_line
            if progress is not None:
                progress(
                    ImportProgress(
                        chunk.end_offset, size, summary.imported, summary.duplicates,
                        summary.rejected_count,
                    )
                )  # fmt: skip

        try:
            for chunk in chunks:
                preparer.submit(chunk, app.clock.now())
                waiting.append(chunk)
                if preparer.in_flight() > PREPARED_AHEAD:
                    store_next()
            while waiting:
                store_next()
        except BaseException as exc:
            services.finish_run(
                app.db, app.clock, actor, run_id, status="failed", imported=summary.imported,
                duplicates=summary.duplicates, flagged=sum(summary.flagged.values()),
                rejected=summary.rejected_count, detail=f"{type(exc).__name__}: {exc}"[:2000],
            )  # fmt: skip
            raise
        finally:
            preparer.close()
    services.finish_run(
        app.db, app.clock, actor, run_id, status="completed", imported=summary.imported,
        duplicates=summary.duplicates, flagged=sum(summary.flagged.values()),
        rejected=summary.rejected_count,
    )  # fmt: skip
    return summary


def _jsonl_chunks(
    handle: BinaryIO, start_line: int, max_line: int, batch_size: int
) -> Iterator[Chunk]:
    chunk = Chunk(last_line=start_line, end_offset=handle.tell())
    for number, end, line in read_jsonl_lines(
        handle, start_line=start_line, max_line_bytes=max_line
    ):
        if isinstance(line, Rejected):
            chunk.rejected.append(line)
        else:
            chunk.lines.append((number, line))
        chunk.last_line, chunk.end_offset = number, end
        if len(chunk) >= batch_size:
            yield chunk
            chunk = Chunk(last_line=number, end_offset=end)
    if len(chunk) or chunk.end_offset:
        yield chunk


def _csv_chunks(
    handle: BinaryIO,
    columns: list[str],
    start_line: int,
    max_line: int,
    encoding: str,
    mapper: str,
    batch_size: int,
) -> Iterator[Chunk]:
    chunk = Chunk(last_line=start_line, end_offset=handle.tell())
    records = read_csv(
        handle, columns=columns, start_line=start_line, max_line_bytes=max_line,
        encoding=encoding, mapper=mapper,
    )  # fmt: skip
    for record in records:
        if record.item is not None:
            chunk.items.append(record.item)
        elif record.rejected is not None:
            chunk.rejected.append(record.rejected)
        chunk.last_line, chunk.end_offset = record.resume_line, record.end_offset
        if len(chunk) >= batch_size:
            yield chunk
            chunk = Chunk(last_line=record.resume_line, end_offset=record.end_offset)
    yield chunk


def _file_source(app: App, actor: Actor, name: str) -> tuple[Any, bool]:
    with app.db.session() as session:
        try:
            source = services.get_source(session, name)
        except NotFound:
            source = None
    if source is None:
        source = services.create_source(
            app.db, app.clock, app.registry, actor, name=name, connector="file"
        )
        return source, True
    if source.connector != "file":
        msg = (
            f"The source {name!r} is a {source.connector} source; files go into file sources. "
            "Pick another name and sbu creates a file source for it."
        )
        raise InvalidInput(msg)
    return source, False
