"""Topic tests: examples a topic's query must match, and examples it must not.

Each example is a small post: ``{"text": ..., "expect": "match" | "no_match"}`` with optional
``title``, ``lang``, ``platform``, ``author``, ``url`` (what ``lang:``, ``platform:``,
``author:``, ``site:`` and ``title:`` look at) and a ``note`` saying why it is there. They run
through the reference evaluator (:func:`sbu.listening.query.matches`) on every save of a topic:
one failing example blocks the save with :class:`TopicTestsFailed`, which names each failing
example and why, for the command line, the API and the pages alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import orjson

from sbu.core.errors import InvalidInput
from sbu.listening.query import MatchPost, Node, matches

MATCH = "match"
NO_MATCH = "no_match"
EXPECTATIONS = (MATCH, NO_MATCH)
MAX_EXAMPLES = 100
#: Optional fields of an example and their longest length.
OPTIONAL_FIELDS: MappingProxyType[str, int] = MappingProxyType(
    {"title": 1000, "lang": 16, "platform": 32, "author": 255, "url": 2048, "note": 500}
)
MAX_TEXT_CHARS = 10_000
#: How much of an example's text a message quotes.
QUOTE_CHARS = 60


@dataclass(frozen=True, slots=True)
class ExampleResult:
    """One example run against a query."""

    #: Position in the topic's list, from 0 (messages count from 1).
    index: int
    example: Mapping[str, Any]
    matched: bool

    @property
    def expected(self) -> bool:
        return bool(self.example["expect"] == MATCH)

    @property
    def passed(self) -> bool:
        return self.matched is self.expected

    @property
    def reason(self) -> str | None:
        """Why it fails, in words (None when it passes)."""
        if self.passed:
            return None
        if self.expected:
            return "it should match the query but does not"
        return "it matches the query but should not"

    def describe(self) -> str:
        """``example 2 ("Panne de fibre à Nantes…") should match the query but does not``."""
        return f"example {self.index + 1} ({quote(self.example['text'])}): {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "text": self.example["text"],
            "expect": self.example["expect"],
            "matched": self.matched,
            "passed": self.passed,
            "reason": self.reason,
            "note": self.example.get("note"),
        }


class TopicTestsFailed(InvalidInput):
    """A save refused because examples fail; ``failures`` lists them (for the UI and API)."""

    def __init__(self, failures: Sequence[ExampleResult]) -> None:
        self.failures = list(failures)
        count = len(self.failures)
        which = "1 of its examples fails" if count == 1 else f"{count} of its examples fail"
        details = "; ".join(failure.describe() for failure in self.failures)
        super().__init__(
            f"The topic was not saved because {which}: {details}. Change the query or the "
            "examples, then save again."
        )


def quote(text: str) -> str:
    flat = " ".join(text.split())
    return f'"{flat[:QUOTE_CHARS]}…"' if len(flat) > QUOTE_CHARS else f'"{flat}"'


def clean_examples(examples: object) -> list[dict[str, Any]]:
    """Check and normalise a list of examples (from a form, a file or JSON); raises
    InvalidInput naming the bad one."""
    if examples is None:
        return []
    if not isinstance(examples, list | tuple):
        msg = 'The examples must be a list of {"text": ..., "expect": "match" or "no_match"}.'
        raise InvalidInput(msg)
    if len(examples) > MAX_EXAMPLES:
        msg = f"A topic has at most {MAX_EXAMPLES} examples; this one has {len(examples)}: keep the telling ones."
        raise InvalidInput(msg)
    return [_clean_example(index, example) for index, example in enumerate(examples)]


def _clean_example(index: int, example: object) -> dict[str, Any]:
    where = f"Example {index + 1}"
    if not isinstance(example, Mapping):
        msg = f'{where} must be an object such as {{"text": "...", "expect": "match"}}.'
        raise InvalidInput(msg)
    unknown = sorted(set(example) - {"text", "expect", *OPTIONAL_FIELDS})
    if unknown:
        known = ", ".join(["text", "expect", *OPTIONAL_FIELDS])
        msg = f"{where} has a field sbu does not know ({', '.join(unknown)}): use {known}."
        raise InvalidInput(msg)
    text = example.get("text")
    if not isinstance(text, str) or not text.strip():
        msg = f"{where} needs a text: the post the query is tried on."
        raise InvalidInput(msg)
    if len(text) > MAX_TEXT_CHARS:
        msg = (
            f"The text of {where.lower()} is longer than {MAX_TEXT_CHARS:,} characters: shorten it."
        )
        raise InvalidInput(msg)
    expect = example.get("expect")
    if expect not in EXPECTATIONS:
        msg = f'{where} must say "expect": "match" (the query must find it) or "no_match" (it must not).'
        raise InvalidInput(msg)
    cleaned: dict[str, Any] = {"text": text, "expect": expect}
    for name, limit in OPTIONAL_FIELDS.items():
        value = example.get(name)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            msg = f"The {name} of {where.lower()} must be text."
            raise InvalidInput(msg)
        if len(value) > limit:
            msg = f"The {name} of {where.lower()} is longer than {limit:,} characters."
            raise InvalidInput(msg)
        cleaned[name] = value.strip()
    return cleaned


def example_post(index: int, example: Mapping[str, Any]) -> MatchPost:
    """The post an example stands for."""
    return MatchPost(
        id=f"example-{index + 1}",
        text=example["text"],
        title=example.get("title"),
        lang=example.get("lang"),
        platform=example.get("platform"),
        author=example.get("author"),
        url=example.get("url"),
    )


def run_examples(node: Node, examples: Sequence[Mapping[str, Any]]) -> list[ExampleResult]:
    """Every example run against the query tree, in order (passing ones included)."""
    return [
        ExampleResult(index, example, matches(node, example_post(index, example)))
        for index, example in enumerate(examples)
    ]


def check_examples(node: Node, examples: Sequence[Mapping[str, Any]]) -> list[ExampleResult]:
    """Run the examples; raise :class:`TopicTestsFailed` when any fails."""
    results = run_examples(node, examples)
    failures = [result for result in results if not result.passed]
    if failures:
        raise TopicTestsFailed(failures)
    return results


def read_examples_file(path: Path) -> list[dict[str, Any]]:
    """Examples from a YAML (.yaml, .yml) or JSON file holding a list of examples."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        msg = f"Cannot read the examples file {path}: {exc.strerror or exc}."
        raise InvalidInput(msg) from exc
    loaded: Any
    if path.suffix.lower() in (".yaml", ".yml"):
        import yaml

        try:
            loaded = yaml.safe_load(data)
        except yaml.YAMLError as exc:
            msg = f"The examples file {path} is not valid YAML ({exc}): fix it and try again."
            raise InvalidInput(msg) from exc
    else:
        try:
            loaded = orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            msg = f"The examples file {path} is not valid JSON ({exc}): fix it, or name it .yaml for YAML."
            raise InvalidInput(msg) from exc
    if isinstance(loaded, Mapping) and "examples" in loaded:
        loaded = loaded["examples"]
    if not isinstance(loaded, list):
        msg = f'The examples file {path} must hold a list of examples ({{"text": ..., "expect": ...}}).'
        raise InvalidInput(msg)
    return clean_examples(loaded)
