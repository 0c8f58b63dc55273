"""The written contract of messages: the schemas of sbu.bus.subjects, the JSON examples of
docs/messaging.md, and the payloads the code really publishes, all agreeing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from sbu.bootstrap import App, build
from sbu.bus.base import Message
from sbu.bus.memory import MemoryBus
from sbu.bus.subjects import (
    MENTION_COLLECTED,
    SCHEMAS,
    SOURCE_POLLED,
    MentionCollected,
    SourcePolled,
)
from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.connectors.registry import build_registry
from sbu.core.audit import Actor
from sbu.core.clock import FixedClock
from sbu.core.errors import Transient
from sbu.listening.drafts import RawItem
from sbu.listening.polling import poll_source
from sbu.listening.services import create_source
from tests.conftest import NOW, make_settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "messaging.md"
HEADING = re.compile(r"^#{1,6}\s")
SUBJECT_HEADING = re.compile(r"^###\s+`([^`]+)`\s*$")
ACTOR = Actor("test", "pytest")


# -- the examples of docs/messaging.md -------------------------------------------------------


@dataclass(frozen=True)
class Example:
    subject: str
    text: str
    line: int


def parse_examples(doc: str) -> tuple[list[Example], list[str]]:
    """Each fenced ```json block under a "### `subject`" heading is that subject's example."""
    examples: list[Example] = []
    problems: list[str] = []
    subject: str | None = None
    lines = doc.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip().startswith("```"):
            fence_line, language = index + 1, line.strip()[3:].strip()
            block: list[str] = []
            index += 1
            while index < len(lines) and not lines[index].strip().startswith("```"):
                block.append(lines[index])
                index += 1
            if language == "json":
                if subject is None:
                    problems.append(
                        f"The JSON block at line {fence_line} is not the first one under a "
                        "### `subject` heading."
                    )
                else:
                    examples.append(Example(subject, "\n".join(block), fence_line))
                    subject = None
        elif match := SUBJECT_HEADING.match(line):
            subject = match.group(1)
        elif HEADING.match(line):
            subject = None
        index += 1
    return examples, problems


def check_examples(doc: str) -> list[str]:
    """Every problem with the examples, as sentences; empty when the doc keeps the contract."""
    examples, problems = parse_examples(doc)
    seen: dict[str, int] = {}
    for example in examples:
        where = f"The example of {example.subject} at line {example.line}"
        schema = SCHEMAS.get(example.subject)
        if schema is None:
            problems.append(f"{where} names a subject that sbu.bus.subjects.SCHEMAS does not have.")
            continue
        if example.subject in seen:
            problems.append(f"{where} repeats the one at line {seen[example.subject]}.")
        seen[example.subject] = example.line
        try:
            payload = json.loads(example.text)
        except json.JSONDecodeError as exc:
            problems.append(f"{where} is not valid JSON ({exc}).")
            continue
        try:
            schema.model_validate(payload)
        except ValidationError as exc:
            problems.append(f"{where} does not match {schema.__name__}: {exc}")
            continue
        missing = sorted(set(schema.model_fields) - set(payload))
        if missing:
            problems.append(f"{where} leaves out {', '.join(missing)}.")
        extra = sorted(set(payload) - set(schema.model_fields))
        if extra:
            problems.append(f"{where} has fields the schema does not define: {', '.join(extra)}.")
    problems.extend(
        f"{subject} has no example in docs/messaging.md."
        for subject in SCHEMAS
        if subject not in seen
    )
    return problems


def test_every_subject_has_one_valid_complete_example_in_the_docs() -> None:
    assert check_examples(DOC.read_text(encoding="utf-8")) == []


def test_the_docs_name_every_subject_in_the_subjects_table() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for subject in SCHEMAS:
        assert f"| `{subject}` |" in doc


EXAMPLE = {
    "version": 1,
    "mention_id": 1,
    "source_id": 2,
    "platform": "bluesky",
    "external_id": "3kq",
    "created_at": "2026-11-28T08:00:00+00:00",
    "language": None,
    "duplicate_kind": None,
    "duplicate_of_id": None,
}


def doc_with(*blocks: tuple[str, Any]) -> str:
    parts = ["# Messaging", "", "Some prose.", ""]
    for heading, payload in blocks:
        body = payload if isinstance(payload, str) else json.dumps(payload, indent=2)
        parts += [heading, "", "What it means.", "", "```json", body, "```", ""]
    return "\n".join(parts)


def test_the_check_reports_unknown_missing_invalid_and_incomplete_examples() -> None:
    doc = doc_with(
        ("### `mention.collected`", EXAMPLE),
        ("### `mention.forgotten`", EXAMPLE),
        ("### `mention.collected`", {**EXAMPLE, "created_at": "2026-11-28T08:00:00"}),
        ("## Not a subject", EXAMPLE),
        ("### `mention.collected`", "{not json"),
    )
    problems = check_examples(doc)
    assert any("mention.forgotten" in p and "does not have" in p for p in problems)
    assert any("does not match MentionCollected" in p and "timezone" in p for p in problems)
    assert any("repeats the one at line" in p for p in problems)
    assert any("is not the first one under a ### `subject` heading" in p for p in problems)
    assert any("is not valid JSON" in p for p in problems)
    assert "source.polled has no example in docs/messaging.md." in problems

    incomplete = {k: v for k, v in EXAMPLE.items() if k != "language"}
    problems = check_examples(doc_with(("### `mention.collected`", {**incomplete, "extra": 1})))
    assert "The example of mention.collected at line 9 leaves out language." in problems
    assert any("fields the schema does not define: extra" in p for p in problems)


def test_a_second_json_block_under_one_heading_is_reported() -> None:
    doc = "### `mention.collected`\n\n```json\n{}\n```\n\n```json\n{}\n```\n"
    examples, problems = parse_examples(doc)
    assert [e.line for e in examples] == [3]
    assert problems == [
        "The JSON block at line 7 is not the first one under a ### `subject` heading."
    ]


# -- the schemas -----------------------------------------------------------------------------


def test_schemas_are_registered_under_their_subject() -> None:
    assert SCHEMAS[MENTION_COLLECTED] is MentionCollected
    assert SCHEMAS[SOURCE_POLLED] is SourcePolled


@pytest.mark.parametrize("schema", list(SCHEMAS.values()))
def test_schemas_keep_unknown_fields_and_default_to_version_1(schema: type[BaseModel]) -> None:
    examples, _ = parse_examples(DOC.read_text(encoding="utf-8"))
    payload = next(json.loads(e.text) for e in examples if SCHEMAS[e.subject] is schema)
    payload.pop("version")
    model = schema.model_validate({**payload, "added_in_a_later_release": [1, 2]})
    assert model.version == 1  # type: ignore[attr-defined]
    assert model.model_extra == {"added_in_a_later_release": [1, 2]}


@pytest.mark.parametrize(
    ("schema", "field"),
    [
        (MentionCollected, "created_at"),
        (SourcePolled, "started_at"),
        (SourcePolled, "next_poll_at"),
    ],
)
def test_schemas_refuse_dates_without_a_timezone(schema: type[BaseModel], field: str) -> None:
    examples, _ = parse_examples(DOC.read_text(encoding="utf-8"))
    payload = next(json.loads(e.text) for e in examples if SCHEMAS[e.subject] is schema)
    payload[field] = "2026-11-28T09:00:00"
    with pytest.raises(ValidationError, match="timezone"):
        schema.model_validate(payload)


# -- what the code publishes ------------------------------------------------------------------


class ProbeConfig(BaseModel):
    fail: bool = False


class ProbeConnector:
    """A polling connector registered as plugins are: one post per poll, or a failure."""

    key: str = "probe"
    title: str = "Probe"
    capabilities: frozenset[Capability] = frozenset({Capability.POLL})
    settings_model: type[BaseModel] = ProbeConfig
    default_poll_seconds: int = 600

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        assert isinstance(config, ProbeConfig)
        if config.fail:
            msg = "The probe platform answered 503; sbu will try again later."
            raise Transient(msg)
        n = (cursor or {}).get("n", 0) + 1
        return FetchResult([post(f"probe-{n}", "Un message sondé pour vérifier le bus")], {"n": n})


def post(external_id: str, text: str) -> RawItem:
    payload = {
        "id": external_id,
        "text": text,
        "created_at": (NOW - timedelta(hours=2)).isoformat(),
        "platform": "mastodon",
        "language": "fr",
        "author": {"id": f"author-{external_id}", "handle": f"@{external_id}"},
    }
    return RawItem("sbu", payload, f"item {external_id}")


@pytest.fixture
def published(
    database_url: str, tmp_path: Path, clock: FixedClock
) -> Iterator[tuple[App, list[Message]]]:
    """An app whose in-memory bus records every message of every subject."""
    settings = make_settings(database_url, tmp_path)
    registry = build_registry(settings, load_plugins=False, extra=[ProbeConnector()])
    app = build(settings, clock=clock, bus=MemoryBus(), registry=registry)
    messages: list[Message] = []

    async def record(message: Message) -> None:
        messages.append(message)

    for subject in SCHEMAS:
        app.bus.subscribe(subject, record, "contract")
    yield app, messages
    app.close()


def test_ingest_publishes_valid_mention_collected_messages(
    published: tuple[App, list[Message]],
) -> None:
    app, messages = published
    source = create_source(app.db, app.clock, app.registry, ACTOR, name="files", connector="file")
    text = "Le réseau de Télécom Ouest est en panne depuis ce matin à Rennes"
    result = app.ingest.ingest(source.id, [post("a1", text), post("a2", text)])
    app.bus.drain()
    assert result.imported == 2
    assert [m.subject for m in messages] == [MENTION_COLLECTED, MENTION_COLLECTED]
    events = [MentionCollected.model_validate(m.payload) for m in messages]
    assert [m.key for m in messages] == [f"mention:{e.mention_id}" for e in events]
    assert {e.mention_id for e in events} == {m.id for m in result.stored}
    assert {(e.source_id, e.platform, e.language) for e in events} == {
        (source.id, "mastodon", "fr")
    }
    assert events[0].created_at == NOW - timedelta(hours=2)
    assert events[1].duplicate_kind == "copy"
    assert events[1].duplicate_of_id == events[0].mention_id
    assert not any(e.model_extra for e in events)  # the schema describes every field sent


def test_polling_publishes_valid_source_polled_messages(
    published: tuple[App, list[Message]],
) -> None:
    app, messages = published
    fine = create_source(app.db, app.clock, app.registry, ACTOR, name="fine", connector="probe")
    sick = create_source(
        app.db,
        app.clock,
        app.registry,
        ACTOR,
        name="sick",
        connector="probe",
        config={"fail": True},
    )
    poll_source(app, fine.id)
    poll_source(app, sick.id)
    app.bus.drain()
    polled = [m for m in messages if m.subject == SOURCE_POLLED]
    events = [SourcePolled.model_validate(m.payload) for m in polled]
    assert [(e.source_name, e.connector, e.ok, e.imported) for e in events] == [
        ("fine", "probe", True, 1),
        ("sick", "probe", False, 0),
    ]
    assert events[0].error is None
    assert events[1].error == "The probe platform answered 503; sbu will try again later."
    assert all(e.next_poll_at is not None and e.next_poll_at > NOW for e in events)
    assert all(
        m.key.startswith(f"poll:{e.source_id}:") for m, e in zip(polled, events, strict=True)
    )
    assert not any(e.model_extra for e in events)
    assert [m.subject for m in messages].count(MENTION_COLLECTED) == 1
