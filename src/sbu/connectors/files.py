"""Files: JSON lines and CSV, read record by record with line numbers and byte offsets.

The reader never stops on a bad record: a line that is too long, not UTF-8 (or not in the
given encoding), not JSON, or a CSV row with the wrong number of fields becomes a
:class:`Rejected` with its line number and the reason, and reading goes on. Each record comes
with the byte offset just after it, which the importer saves as the source's cursor.
"""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

import orjson
from pydantic import BaseModel, Field

from sbu.connectors.base import Capability
from sbu.core.errors import InvalidInput
from sbu.listening.drafts import RawItem, Rejected

PREVIEW_BYTES = 2000
_CHUNK = 1 << 20


class FileFormat(StrEnum):
    JSONL = "jsonl"
    CSV = "csv"


SUFFIXES = {
    ".jsonl": FileFormat.JSONL,
    ".ndjson": FileFormat.JSONL,
    ".json": FileFormat.JSONL,
    ".csv": FileFormat.CSV,
}


class FileSourceConfig(BaseModel):
    """Configuration of a file source (all optional)."""

    default_platform: str = Field(default="import", description="Platform of records without one.")


class FileConnector:
    """Sources fed by ``sbu import``: nothing to poll, records arrive from files."""

    key = "file"
    title = "File import (JSON lines, CSV)"
    capabilities = frozenset({Capability.IMPORT})
    settings_model = FileSourceConfig


@dataclass(frozen=True, slots=True)
class Record:
    #: The line the record starts on (the one messages name).
    line: int
    #: Byte offset just after this record: where a resumed import starts.
    end_offset: int
    item: RawItem | None = None
    rejected: Rejected | None = None
    #: The line ``end_offset`` follows, when the record spans several lines (a CSV field with
    #: line breaks): a resumed read passes it as ``start_line``. None: the same as ``line``.
    last_line: int | None = None

    @property
    def resume_line(self) -> int:
        """The ``start_line`` of a read resumed from ``end_offset``."""
        return self.line if self.last_line is None else self.last_line


def detect_format(path: Path, explicit: str | None = None) -> FileFormat:
    if explicit:
        try:
            return FileFormat(explicit.lower())
        except ValueError:
            msg = f"The format {explicit!r} is not supported: use jsonl or csv."
            raise InvalidInput(msg) from None
    found = SUFFIXES.get(path.suffix.lower())
    if found is None:
        msg = (
            f"sbu cannot tell the format of {path.name} from its extension: name it .jsonl or "
            ".csv, or pass --format jsonl|csv."
        )
        raise InvalidInput(msg)
    return found


def _preview(data: bytes) -> str:
    text = data[:PREVIEW_BYTES].decode("utf-8", "replace")
    return text if len(data) <= PREVIEW_BYTES else f"{text}…"


def _physical_lines(
    handle: BinaryIO, start_line: int, max_line_bytes: int
) -> Iterator[tuple[int, bytes | None, int, int]]:
    """Yield (line number, bytes or None when too long, length, offset after the line)."""
    number = start_line
    while True:
        line = handle.readline(max_line_bytes + 1)
        if not line:
            return
        number += 1
        length = len(line)
        if length > max_line_bytes and not (length == max_line_bytes + 1 and line.endswith(b"\n")):
            head = line
            while not line.endswith(b"\n"):
                line = handle.readline(_CHUNK)
                if not line:
                    break
                length += len(line)
            yield number, None, length, handle.tell()
            del head
            continue
        yield number, line, length, handle.tell()


def _too_long(number: int, length: int, limit: int) -> Rejected:
    return Rejected(
        f"line {number}",
        f"Line {number} is {length:,} bytes long, over the limit of {limit:,} bytes: split the "
        "record, or raise SBU_INGEST__MAX_LINE_BYTES if such posts are expected.",
        f"[{length:,} bytes, not kept]",
    )


def _not_utf8(number: int, error: UnicodeDecodeError, encoding: str) -> str:
    byte = error.object[error.start : error.start + 1].hex().upper()
    return (
        f"Line {number} is not valid {encoding} (byte 0x{byte} at position {error.start + 1}): "
        "save the file as UTF-8, or import it with --encoding latin-1 (or cp1252) if it was "
        "written in a Western European code page."
    )


def parse_jsonl_line(number: int, line: bytes, mapper: str) -> RawItem | Rejected | None:
    """One line of a JSON lines file: a raw item, a rejection with the reason, or None if blank."""
    if number == 1 and line.startswith(codecs.BOM_UTF8):
        line = line[len(codecs.BOM_UTF8) :]
    if not line.strip():
        return None
    try:
        payload = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as decode_error:
            reason = _not_utf8(number, decode_error, "UTF-8")
        else:
            reason = f"Line {number} is not valid JSON ({exc}): fix or remove this line."
        return Rejected(f"line {number}", reason, _preview(line))
    if not isinstance(payload, dict):
        reason = (
            f"Line {number} holds a JSON {type(payload).__name__}, not an object: each line "
            "must be one post as a JSON object."
        )
        return Rejected(f"line {number}", reason, _preview(line))
    return RawItem(mapper, payload, f"line {number}")


def read_jsonl_lines(
    handle: BinaryIO, *, start_line: int, max_line_bytes: int
) -> Iterator[tuple[int, int, bytes | Rejected]]:
    """Yield (line number, end offset, line bytes or the rejection of a too-long line)."""
    for number, line, length, end in _physical_lines(handle, start_line, max_line_bytes):
        if line is None:
            yield number, end, _too_long(number, length, max_line_bytes)
        else:
            yield number, end, line


def read_jsonl(
    handle: BinaryIO, *, start_line: int, max_line_bytes: int, mapper: str
) -> Iterator[Record]:
    for number, end, line in read_jsonl_lines(
        handle, start_line=start_line, max_line_bytes=max_line_bytes
    ):
        if isinstance(line, Rejected):
            yield Record(number, end, rejected=line)
            continue
        parsed = parse_jsonl_line(number, line, mapper)
        if isinstance(parsed, Rejected):
            yield Record(number, end, rejected=parsed)
        elif parsed is not None:
            yield Record(number, end, item=parsed)


def read_csv_header(handle: BinaryIO, encoding: str, max_line_bytes: int) -> tuple[list[str], int]:
    """Read the header row; return the column names and the offset where data starts."""
    handle.seek(0)
    first = handle.readline(max_line_bytes + 1)
    if not first.strip():
        msg = (
            "The CSV file is empty: its first line must name the columns (id,text,created_at,...)."
        )
        raise InvalidInput(msg)
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        msg = f"The encoding {encoding!r} is unknown: use for example utf-8, latin-1 or cp1252."
        raise InvalidInput(msg) from None
    try:
        text = first.decode("utf-8-sig" if codec == "utf-8" else encoding)
    except UnicodeDecodeError as exc:
        raise InvalidInput(_not_utf8(1, exc, encoding)) from exc
    columns = [name.strip().lower() for name in next(csv.reader([text]), [])]
    if not any(columns):
        msg = (
            "The CSV file is empty: its first line must name the columns (id,text,created_at,...)."
        )
        raise InvalidInput(msg)
    if len(set(columns)) != len(columns):
        msg = f"The CSV header repeats a column name: {', '.join(columns)}."
        raise InvalidInput(msg)
    return columns, handle.tell()


def read_csv(
    handle: BinaryIO,
    *,
    columns: list[str],
    start_line: int,
    max_line_bytes: int,
    encoding: str,
    mapper: str,
) -> Iterator[Record]:
    if csv.field_size_limit() < max_line_bytes:
        csv.field_size_limit(max_line_bytes)  # interpreter-wide, only ever raised
    pending: list[Rejected] = []
    state = {"line": start_line, "end": handle.tell(), "first": start_line + 1}

    def lines() -> Iterator[str]:
        for number, raw, length, end in _physical_lines(handle, start_line, max_line_bytes):
            state["line"], state["end"] = number, end
            if raw is None:
                pending.append(_too_long(number, length, max_line_bytes))
                yield "\n"
                continue
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError as exc:
                pending.append(
                    Rejected(f"line {number}", _not_utf8(number, exc, encoding), _preview(raw))
                )
                yield "\n"

    reader = csv.reader(lines(), strict=True)
    while True:
        first_line = state["line"] + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            last = state["line"]
            where = (
                f"Line {first_line}"
                if last == first_line
                else f"The row on lines {first_line}-{last}"
            )
            reason = f"{where} is not valid CSV ({exc}): check its quotes and separators."
            pending.append(Rejected(f"line {first_line}", reason, ""))
            row = None
        last_line = state["line"]
        for rejected in pending:
            number = int(rejected.locator.split()[-1])
            yield Record(number, state["end"], rejected=rejected, last_line=last_line)
        pending.clear()
        if not row or all(not cell.strip() for cell in row):
            continue
        locator = f"line {first_line}"
        if len(row) != len(columns):
            reason = (
                f"Line {first_line} has {len(row)} fields but the header names {len(columns)} "
                "columns: quote fields that contain commas or line breaks."
            )
            preview = ",".join(row)[:PREVIEW_BYTES]
            rejected = Rejected(locator, reason, preview)
            yield Record(first_line, state["end"], rejected=rejected, last_line=last_line)
            continue
        payload = {name: value for name, value in zip(columns, row, strict=True) if value != ""}
        item = RawItem(mapper, payload, locator)
        yield Record(first_line, state["end"], item=item, last_line=last_line)
