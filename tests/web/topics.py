"""Topics for the web tests: a department to own them, topics made through the services, the
topic form as a browser sends it, and matching the stored mentions (the enrichment pipeline)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from sbu.bootstrap import App
from sbu.enrichment.worker import build_pipeline, build_rematcher
from sbu.listening.topic_models import Topic
from sbu.listening.topics import create_topic
from sbu.org.services import create_department
from tests.web.accounts import SETUP

EXAMPLE_COLUMNS = ("text", "expect", "title", "lang", "platform", "author", "url", "note")


def make_department(app: App, name: str = "SBU") -> int:
    return create_department(app.db, app.clock, SETUP, name=name, kind="sbu").id


def make_topic(app: App, department_id: int, **fields: Any) -> Topic:
    values: dict[str, Any] = {
        "name": "Ondine",
        "query": 'ondine OR "ondine telecom"',
        "subject_kind": "own_brand",
        "subject_name": "Ondine Télécom",
        "examples": [{"text": "Ondine a coupé la fibre", "expect": "match"}],
    }
    values.update(fields)
    return create_topic(app.db, app.clock, SETUP, department_id=department_id, **values)


def form_data(
    department_id: int,
    examples: Sequence[Mapping[str, str]] = (),
    *,
    blank_rows: int = 2,
    **fields: str,
) -> dict[str, Any]:
    """The topic form as the browser sends it: every field, one list entry per example row
    (the rows given, then ``blank_rows`` empty ones, as the page shows them)."""
    data: dict[str, Any] = {
        "name": "Ondine",
        "subject_kind": "own_brand",
        "subject_name": "Ondine Télécom",
        "department_id": str(department_id),
        "description": "",
        "query": "ondine AND fibre",
        "note": "",
        "active": "1",
        "action": "save",
    }
    data.update(fields)
    rows = [*examples, *({} for _ in range(blank_rows))]
    for column in EXAMPLE_COLUMNS:
        default = "match" if column == "expect" else ""
        data[f"ex_{column}"] = [row.get(column, default) for row in rows]
    return data


def match_everything(app: App) -> None:
    """Run topic matching on every new mention and every waiting re-match job."""
    build_pipeline(app).run_until_caught_up()
    rematcher = build_rematcher(app)
    while rematcher.step() is not None:
        pass


def new_id(location: str) -> int:
    found = re.match(r"^/listening/topics/(\d+)", location)
    assert found is not None, location
    return int(found.group(1))
