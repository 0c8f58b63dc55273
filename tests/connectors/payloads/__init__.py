"""Platform payload fixtures of the mapper tests (see README.md in this folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent


def load(platform: str, name: str) -> Any:
    """The JSON document ``<platform>/<name>`` of this folder."""
    return orjson.loads((HERE / platform / name).read_bytes())


def load_lines(platform: str, name: str) -> list[dict[str, Any]]:
    """The objects of the JSON lines file ``<platform>/<name>``, one per line."""
    text = (HERE / platform / name).read_bytes()
    return [orjson.loads(line) for line in text.splitlines() if line.strip()]
