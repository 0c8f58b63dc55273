"""Reading JSON lines and CSV files record by record: formats, encodings, rejected lines,
line numbers and the byte offsets a resumed import starts from."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from sbu.connectors.files import (
    FileFormat,
    Record,
    detect_format,
    parse_jsonl_line,
    read_csv,
    read_csv_header,
    read_jsonl,
    read_jsonl_lines,
)
from sbu.core.errors import InvalidInput
from sbu.listening.drafts import RawItem, Rejected

LIMIT = 200


# detect_format -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("export.jsonl", FileFormat.JSONL),
        ("export.ndjson", FileFormat.JSONL),
        ("export.json", FileFormat.JSONL),
        ("EXPORT.JSONL", FileFormat.JSONL),
        ("mentions-2026-11.csv", FileFormat.CSV),
        ("Mentions.CSV", FileFormat.CSV),
    ],
)
def test_detect_format_from_the_extension(name: str, expected: FileFormat) -> None:
    assert detect_format(Path(name)) is expected


def test_an_explicit_format_wins_over_the_extension() -> None:
    assert detect_format(Path("export.txt"), "CSV") is FileFormat.CSV
    assert detect_format(Path("export.csv"), "jsonl") is FileFormat.JSONL


def test_an_unknown_extension_says_how_to_name_the_file() -> None:
    with pytest.raises(InvalidInput) as caught:
        detect_format(Path("/tmp/export.xlsx"))
    assert str(caught.value) == (
        "sbu cannot tell the format of export.xlsx from its extension: name it .jsonl or .csv, "
        "or pass --format jsonl|csv."
    )


def test_an_unknown_explicit_format_is_refused() -> None:
    with pytest.raises(
        InvalidInput, match=r"^The format 'xml' is not supported: use jsonl or csv\.$"
    ):
        detect_format(Path("export.jsonl"), "xml")


# parse_jsonl_line ----------------------------------------------------------------------------


def test_a_json_object_line_is_a_raw_item() -> None:
    item = parse_jsonl_line(3, b'{"id": "1", "text": "Panne \\u00e0 Brest"}\n', "sbu")
    assert item == RawItem("sbu", {"id": "1", "text": "Panne à Brest"}, "line 3")


def test_a_byte_order_mark_on_line_1_is_ignored() -> None:
    line = codecs.BOM_UTF8 + b'{"id": "1"}\n'
    assert parse_jsonl_line(1, line, "sbu") == RawItem("sbu", {"id": "1"}, "line 1")


def test_a_byte_order_mark_after_line_1_is_an_error() -> None:
    parsed = parse_jsonl_line(2, codecs.BOM_UTF8 + b'{"id": "1"}\n', "sbu")
    assert isinstance(parsed, Rejected)
    assert parsed.reason.startswith("Line 2 is not valid JSON")


@pytest.mark.parametrize("line", [b"\n", b"   \r\n", b"", b"\t\n", codecs.BOM_UTF8 + b"\n"])
def test_blank_lines_are_skipped(line: bytes) -> None:
    assert parse_jsonl_line(1, line, "sbu") is None


def test_invalid_json_is_rejected_with_the_line_and_a_preview() -> None:
    parsed = parse_jsonl_line(7, b'{"id": "1", "text": "oubli de guillemet}\n', "sbu")
    assert isinstance(parsed, Rejected)
    assert parsed.locator == "line 7"
    assert parsed.reason.startswith("Line 7 is not valid JSON (")
    assert parsed.reason.endswith("): fix or remove this line.")
    assert parsed.payload.startswith('{"id": "1", "text": "oubli')


def test_latin_1_bytes_are_rejected_naming_the_byte_and_its_position() -> None:
    line = '{"id": "1", "text": "Télécom"}\n'.encode("latin-1")
    parsed = parse_jsonl_line(4, line, "sbu")
    assert isinstance(parsed, Rejected)
    assert parsed.reason == (
        "Line 4 is not valid UTF-8 (byte 0xE9 at position 23): save the file as UTF-8, or import "
        "it with --encoding latin-1 (or cp1252) if it was written in a Western European code page."
    )
    assert line[22:23] == b"\xe9"  # position 23 counts from 1
    assert "T\ufffdl\ufffdcom" in parsed.payload  # the preview shows where


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        (b"[1, 2]", "list"),
        (b'"bonjour"', "str"),
        (b"42", "int"),
        (b"null", "NoneType"),
        (b"true", "bool"),
    ],
)
def test_json_that_is_not_an_object_is_rejected(line: bytes, kind: str) -> None:
    parsed = parse_jsonl_line(5, line + b"\n", "sbu")
    assert isinstance(parsed, Rejected)
    assert parsed.reason == (
        f"Line 5 holds a JSON {kind}, not an object: each line must be one post as a JSON object."
    )


def test_a_long_preview_is_cut() -> None:
    parsed = parse_jsonl_line(1, b"{" + b"x" * 5000 + b"\n", "sbu")
    assert isinstance(parsed, Rejected)
    assert parsed.payload == "{" + "x" * 1999 + "…"


# read_jsonl_lines and read_jsonl ---------------------------------------------------------------


def jsonl(*objects: object) -> bytes:
    return b"".join(orjson.dumps(o) + b"\n" for o in objects)


def test_line_numbers_and_end_offsets_are_exact() -> None:
    first, second, third = b'{"id": "1"}\n', b"\n", b'{"id": "3", "text": "\xc3\xa9"}\n'
    data = first + second + third
    lines = list(read_jsonl_lines(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT))
    assert lines == [
        (1, len(first), first),
        (2, len(first) + 1, second),
        (3, len(data), third),
    ]


def test_the_last_line_may_lack_a_newline() -> None:
    data = b'{"id": "1"}\n{"id": "2"}'
    records = list(read_jsonl(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT, mapper="sbu"))
    assert [(r.line, r.end_offset) for r in records] == [(1, 12), (2, len(data))]
    assert records[1].item is not None
    assert records[1].item.payload == {"id": "2"}


def test_a_too_long_line_is_skipped_whole_and_the_next_line_is_read() -> None:
    long_line = orjson.dumps({"id": "2", "text": "é" * 5000}) + b"\n"
    data = jsonl({"id": "1"}) + long_line + jsonl({"id": "3"})
    records = list(read_jsonl(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT, mapper="sbu"))
    assert [r.line for r in records] == [1, 2, 3]
    assert records[0].item is not None
    rejected = records[1].rejected
    assert rejected is not None
    assert rejected.locator == "line 2"
    assert rejected.reason == (
        f"Line 2 is {len(long_line):,} bytes long, over the limit of {LIMIT} bytes: split the record, "
        "or raise SBU_INGEST__MAX_LINE_BYTES if such posts are expected."
    )
    assert rejected.payload == f"[{len(long_line):,} bytes, not kept]"
    assert records[1].end_offset == len(jsonl({"id": "1"})) + len(long_line)
    assert records[2].item == RawItem("sbu", {"id": "3"}, "line 3")
    assert records[2].end_offset == len(data)


def test_a_too_long_line_longer_than_the_read_chunk_is_skipped_whole() -> None:
    long_line = b'{"text": "' + b"x" * (3 << 20) + b'"}\n'  # 3 MiB: several internal reads
    data = long_line + jsonl({"id": "2"})
    records = list(read_jsonl(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT, mapper="sbu"))
    assert [(r.line, r.end_offset) for r in records] == [(1, len(long_line)), (2, len(data))]
    assert records[0].rejected is not None
    assert records[1].item is not None
    assert records[1].item.payload == {"id": "2"}


def test_a_too_long_last_line_without_newline_is_rejected() -> None:
    data = jsonl({"id": "1"}) + b"x" * (LIMIT + 1)
    records = list(read_jsonl(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT, mapper="sbu"))
    assert records[1].rejected is not None
    assert records[1].end_offset == len(data)


def test_a_line_of_exactly_the_limit_is_read() -> None:
    body = b'{"t": "' + b"x" * (LIMIT - 9) + b'"}'
    assert len(body) == LIMIT
    exact = list(
        read_jsonl(io.BytesIO(body + b"\n"), start_line=0, max_line_bytes=LIMIT, mapper="m")
    )
    assert exact[0].item is not None
    over = list(
        read_jsonl(io.BytesIO(b" " + body + b"\n"), start_line=0, max_line_bytes=LIMIT, mapper="m")
    )
    assert over[0].rejected is not None


def test_read_jsonl_yields_items_and_rejections_and_skips_blank_lines() -> None:
    data = jsonl({"id": "1"}) + b"\n" + b"pas du json\n" + b"[1]\n" + jsonl({"id": "5"})
    records = list(
        read_jsonl(io.BytesIO(data), start_line=0, max_line_bytes=LIMIT, mapper="mastodon")
    )
    assert [(r.line, r.item is not None) for r in records] == [
        (1, True),
        (3, False),
        (4, False),
        (5, True),
    ]
    assert records[0].item is not None
    assert records[0].item.mapper == "mastodon"
    assert records[1].rejected is not None
    assert records[1].rejected.reason.startswith("Line 3 is not valid JSON")
    assert records[3].end_offset == len(data)


def test_a_read_resumed_from_an_offset_continues_at_the_right_line(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl"
    objects = [
        {"id": str(n), "text": f"Message {n} à propos de Télécom Ouest"} for n in range(1, 9)
    ]
    path.write_bytes(jsonl(*objects[:3]) + b"\n" + jsonl(*objects[3:]))
    with path.open("rb") as handle:
        whole = list(read_jsonl(handle, start_line=0, max_line_bytes=LIMIT, mapper="sbu"))
    stop = whole[3]  # interrupted after this record
    with path.open("rb") as handle:
        handle.seek(stop.end_offset)
        rest = list(read_jsonl(handle, start_line=stop.line, max_line_bytes=LIMIT, mapper="sbu"))
    assert rest == whole[4:]
    assert [r.line for r in rest] == [6, 7, 8, 9]


# read_csv_header -----------------------------------------------------------------------------


def header(data: bytes, encoding: str = "utf-8") -> tuple[list[str], int]:
    return read_csv_header(io.BytesIO(data), encoding, LIMIT)


def test_the_header_names_the_columns_in_lower_case() -> None:
    data = b"ID, Text ,created_at\r\n1,a,b\r\n"
    assert header(data) == (["id", "text", "created_at"], len(b"ID, Text ,created_at\r\n"))


@pytest.mark.parametrize("encoding", ["utf-8", "UTF-8", "utf8", "utf_8", "U8"])
def test_a_byte_order_mark_is_not_part_of_the_first_column(encoding: str) -> None:
    columns, start = header(codecs.BOM_UTF8 + b"id,text\n1,a\n", encoding)
    assert columns == ["id", "text"]
    assert start == 3 + len(b"id,text\n")


def test_a_latin_1_header() -> None:
    columns, _ = header("id,texte,créé_le\n".encode("latin-1"), "latin-1")
    assert columns == ["id", "texte", "créé_le"]


def test_a_header_not_valid_in_the_encoding_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        header("id,texte,créé_le\n".encode("latin-1"))
    assert str(caught.value).startswith("Line 1 is not valid utf-8 (byte 0xE9 at position 12)")


@pytest.mark.parametrize("data", [b"", b"\n", b"  \r\n", codecs.BOM_UTF8 + b"\n", b",,\n"])
def test_an_empty_file_is_refused(data: bytes) -> None:
    with pytest.raises(InvalidInput) as caught:
        header(data)
    assert str(caught.value) == (
        "The CSV file is empty: its first line must name the columns (id,text,created_at,...)."
    )


def test_duplicate_column_names_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        header(b"id,Text,text\n")
    assert str(caught.value) == "The CSV header repeats a column name: id, text, text."


def test_an_unknown_encoding_is_refused() -> None:
    with pytest.raises(InvalidInput, match=r"^The encoding 'klingon' is unknown"):
        header(b"id,text\n", "klingon")


# read_csv ------------------------------------------------------------------------------------


@pytest.fixture
def default_field_limit() -> Iterator[None]:
    """The interpreter's default CSV field limit (128 KiB) during the test, restored after."""
    before = csv.field_size_limit()
    csv.field_size_limit(128 * 1024)
    yield
    csv.field_size_limit(before)


def read(data: bytes, *, encoding: str = "utf-8", limit: int = LIMIT) -> list[Record]:
    handle = io.BytesIO(data)
    columns, start = read_csv_header(handle, encoding, limit)
    handle.seek(start)
    return list(
        read_csv(
            handle,
            columns=columns,
            start_line=1,
            max_line_bytes=limit,
            encoding=encoding,
            mapper="sbu",
        )
    )


def payloads(records: list[Record]) -> list[dict[str, object] | None]:
    return [r.item.payload if r.item else None for r in records]


def test_rows_become_items_without_empty_values() -> None:
    records = read(b"id,text,lang\n1,Panne,fr\n2,Retour,\n")
    assert payloads(records) == [
        {"id": "1", "text": "Panne", "lang": "fr"},
        {"id": "2", "text": "Retour"},
    ]
    assert [r.item.locator for r in records if r.item] == ["line 2", "line 3"]


def test_quoted_fields_with_commas_quotes_and_line_breaks() -> None:
    data = (
        b"id,text,title\n"
        b'1,"Panne, encore une fois","Le ""gros"" souci"\n'
        b'2,"Ligne un\nligne deux\nligne trois",t\n'
        b"3,fin,t\n"
    )
    records = read(data)
    assert payloads(records) == [
        {"id": "1", "text": "Panne, encore une fois", "title": 'Le "gros" souci'},
        {"id": "2", "text": "Ligne un\nligne deux\nligne trois", "title": "t"},
        {"id": "3", "text": "fin", "title": "t"},
    ]
    assert [(r.line, r.resume_line) for r in records] == [(2, 2), (3, 5), (6, 6)]
    assert records[-1].end_offset == len(data)


def test_a_read_resumed_after_a_multi_line_row_keeps_counting_lines() -> None:
    data = b'id,text\n1,"a\nb\nc"\n2,d\n3,"e\nf"\n4,g\n'
    whole = read(data)
    handle = io.BytesIO(data)
    handle.seek(whole[0].end_offset)
    rest = list(
        read_csv(
            handle, columns=["id", "text"], start_line=whole[0].resume_line,
            max_line_bytes=LIMIT, encoding="utf-8", mapper="sbu",
        )
    )  # fmt: skip
    assert rest == whole[1:]
    assert [r.line for r in rest] == [5, 6, 8]


def test_crlf_line_endings() -> None:
    data = b'id,text\r\n1,"deux\r\nlignes"\r\n2,simple\r\n'
    records = read(data)
    assert payloads(records) == [
        {"id": "1", "text": "deux\r\nlignes"},
        {"id": "2", "text": "simple"},
    ]
    assert [r.line for r in records] == [2, 4]
    assert records[-1].end_offset == len(data)


def test_a_row_with_the_wrong_number_of_fields_is_rejected_and_reading_goes_on() -> None:
    records = read(b"id,text,lang\n1,Panne, encore,fr\n2,Retour,fr\n3,Court\n")
    assert payloads(records) == [None, {"id": "2", "text": "Retour", "lang": "fr"}, None]
    first = records[0].rejected
    assert first is not None
    assert first.locator == "line 2"
    assert first.reason == (
        "Line 2 has 4 fields but the header names 3 columns: quote fields that contain commas "
        "or line breaks."
    )
    assert first.payload == "1,Panne, encore,fr"
    assert records[2].rejected is not None
    assert records[2].rejected.reason.startswith("Line 4 has 2 fields")


def test_a_latin_1_file_read_as_latin_1(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("id,text\n1,Débit très lent à Brest\n2,Ça marche enfin\n".encode("latin-1"))
    with path.open("rb") as handle:
        columns, start = read_csv_header(handle, "latin-1", LIMIT)
        handle.seek(start)
        records = list(
            read_csv(
                handle,
                columns=columns,
                start_line=1,
                max_line_bytes=LIMIT,
                encoding="latin-1",
                mapper="sbu",
            )
        )
    assert payloads(records) == [
        {"id": "1", "text": "Débit très lent à Brest"},
        {"id": "2", "text": "Ça marche enfin"},
    ]
    assert records[-1].end_offset == path.stat().st_size


def test_a_line_not_valid_in_the_encoding_is_rejected_and_reading_goes_on() -> None:
    data = b"id,text\n1,ok\n" + "2,Débit\n".encode("latin-1") + b"3,ok\n"
    records = read(data)
    assert payloads(records) == [{"id": "1", "text": "ok"}, None, {"id": "3", "text": "ok"}]
    rejected = records[1].rejected
    assert rejected is not None
    assert rejected.locator == "line 3"
    assert rejected.reason.startswith(
        "Line 3 is not valid utf-8 (byte 0xE9 at position 4): save the file as UTF-8"
    )
    assert records[1].line == 3
    assert records[1].end_offset == len(b"id,text\n1,ok\n2,D\xe9bit\n")


def test_a_bad_quote_is_rejected_with_its_line_and_reading_goes_on() -> None:
    records = read(b'id,text\n1,"a"b\n2,ok\n')
    assert records[0].rejected is not None
    assert records[0].line == 2
    assert records[0].rejected.reason == (
        "Line 2 is not valid CSV (',' expected after '\"'): check its quotes and separators."
    )
    assert payloads(records)[1:] == [{"id": "2", "text": "ok"}]


def test_a_quote_never_closed_names_the_lines_of_its_row() -> None:
    records = read(b'id,text\n1,ok\n2,"jamais ferm\xc3\xa9\n3,z\n')
    assert payloads(records)[0] == {"id": "1", "text": "ok"}
    rejected = records[1].rejected
    assert rejected is not None
    assert records[1].line == 3
    assert rejected.reason.startswith("The row on lines 3-4 is not valid CSV (")


def test_a_too_long_line_is_rejected_and_the_next_row_is_read() -> None:
    data = b"id,text\n1," + b"x" * 500 + b"\n2,ok\n"
    records = read(data)
    assert records[0].rejected is not None
    assert records[0].rejected.reason.startswith(
        "Line 2 is 503 bytes long, over the limit of 200 bytes"
    )
    assert records[1].item is not None
    assert records[1].item.payload == {"id": "2", "text": "ok"}
    assert records[1].line == 3


def test_blank_lines_between_rows_are_skipped() -> None:
    records = read(b"id,text\n\n1,a\n , \n2,b\n")
    assert payloads(records) == [{"id": "1", "text": "a"}, {"id": "2", "text": "b"}]
    assert [r.line for r in records] == [3, 5]


def test_a_file_with_only_a_header_has_no_records() -> None:
    assert read(b"id,text\n") == []


@pytest.mark.usefixtures("default_field_limit")
def test_a_field_larger_than_128_kib_is_read() -> None:
    text = "é" * (100 * 1024)  # 200 KiB in UTF-8
    data = b"id,text\n1," + text.encode() + b"\n2,ok\n"
    records = read(data, limit=1_000_000)
    assert payloads(records) == [{"id": "1", "text": text}, {"id": "2", "text": "ok"}]
