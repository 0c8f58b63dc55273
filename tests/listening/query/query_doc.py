"""The tables of docs/listening/query-language.md, read so tests can run the doc's examples."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).resolve().parents[3] / "docs" / "listening" / "query-language.md"
_CELL_SPLIT = re.compile(r"(?<!\\)\|")

Row = dict[str, str]


def cell(text: str) -> str:
    """A cell's text: a `code span` is unwrapped; escaped pipes are unescaped."""
    text = text.strip().replace("\\|", "|")
    if len(text) >= 2 and text.startswith("`") and text.endswith("`"):
        return text[1:-1]
    return text


def tables(first_column: str) -> list[list[Row]]:
    """Every table of the doc whose header starts with ``first_column``, as rows of cells."""
    found: list[list[Row]] = []
    lines = DOC.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].startswith("|"):
            index += 1
            continue
        block: list[list[str]] = []
        while index < len(lines) and lines[index].startswith("|"):
            block.append(_CELL_SPLIT.split(lines[index].strip())[1:-1])
            index += 1
        header = [c.strip() for c in block[0]]
        if header[0] == first_column:
            found.append([dict(zip(header, map(cell, row), strict=True)) for row in block[2:]])
    return found
