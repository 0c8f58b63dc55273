"""Listening → Topics → a topic's history: versions newest first, each one's changes, and the
comparison of any two versions (fields and a line diff of the query and the examples)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sbu.bootstrap import App
from sbu.listening.topic_queries import VersionRow
from sbu.listening.topics import set_topic_active, update_topic
from sbu.web.pages.topic_history import chosen_pair, diff_versions, example_line
from tests.web.accounts import EN, FR, SETUP
from tests.web.conftest import TestClient
from tests.web.topics import make_department, make_topic


def version_row(version: int, **fields: object) -> VersionRow:
    values: dict[str, object] = {
        "topic_id": 1, "version": version, "change": "edited", "name": "Ondine",
        "description": "", "query": "ondine", "subject_kind": "own_brand",
        "subject_name": "Ondine", "department_id": 1, "department_name": "SBU", "active": True,
        "examples": [], "author": "cli:root", "author_member_id": None, "author_name": "root",
        "created_at": datetime(2026, 11, 28, tzinfo=UTC), "note": None,
    }  # fmt: skip
    values.update(fields)
    return VersionRow(**values)  # type: ignore[arg-type]


def test_the_diff_lists_only_what_changed_with_line_diffs() -> None:
    old = version_row(1, query="ondine\nOR fibre", examples=[{"text": "a", "expect": "match"}])
    new = version_row(
        3, query="ondine\nOR internet", active=False, department_name="Care",
        examples=[{"text": "a", "expect": "match"}, {"text": "b\nc", "expect": "no_match",
                                                      "lang": "fr"}],
    )  # fmt: skip
    diff = diff_versions(old, new)
    assert [change.field for change in diff.changes] == ["active", "department", "query",
                                                         "examples"]  # fmt: skip
    query = diff.changes[2].lines
    assert query is not None
    assert [(line.op, line.text) for line in query] == [
        (" ", "ondine"),
        ("-", "OR fibre"),
        ("+", "OR internet"),
    ]
    examples = diff.changes[3].lines
    assert examples is not None
    assert [(line.op, line.text) for line in examples] == [
        (" ", "match: a"),
        ("+", "no_match: b ⏎ c · lang=fr"),
    ]
    assert diff.changes[0].lines is None
    assert diff_versions(old, old).changes == []


def test_the_versions_to_compare() -> None:
    versions = [version_row(n) for n in (4, 3, 2, 1)]
    assert chosen_pair(versions, "", "") == (3, 4)
    assert chosen_pair(versions, "4", "1") == (1, 4)
    assert chosen_pair(versions, "2", "2") == (3, 4)  # the same twice: the default
    assert chosen_pair(versions, "9", "1") == (3, 4)  # unknown: the default
    assert chosen_pair(versions, "x", "") == (3, 4)
    assert chosen_pair(versions[-1:], "", "") is None
    assert example_line({"text": "t", "expect": "match", "url": "https://x.example"}) == (
        "match: t · url=https://x.example"
    )


def test_the_history_page(app: App, client: TestClient) -> None:
    topic = make_topic(app, make_department(app), query="ondine")
    update_topic(app.db, app.clock, SETUP, topic.id, query="ondine OR ondinet",
                 note="Le diminutif aussi")  # fmt: skip
    set_topic_active(app.db, app.clock, SETUP, topic.id, False, note="Pause")
    html = client.get(f"/listening/topics/{topic.id}/history", headers=EN).text
    numbers = re.findall(r'<span class="version-number">Version (\d+)</span>', html)
    assert numbers == ["3", "2", "1"]
    assert '<span class="badge">Deactivated</span>' in html
    assert '<p class="version-note">Le diminutif aussi</p>' in html
    assert '<span class="version-author">setup</span>' in html
    # the default comparison: the newest version against the one before it
    assert "From version 2 to version 3" in html
    assert "What changed from version 1" in html
    assert (
        '<span class="diff-line diff-add"><span class="diff-op" aria-hidden="true">+</span>'
        '<span class="visually-hidden">Added: </span>ondine OR ondinet'
    ) in html
    assert '<span class="visually-hidden">Removed: </span>ondine\n' in html
    picked = client.get(f"/listening/topics/{topic.id}/history?a=3&b=1", headers=EN).text
    assert "From version 1 to version 3" in picked
    assert '<option value="1" selected>1</option>' in picked
    compared = picked.split('id="compared"', 1)[1].split("</section>", 1)[0]
    assert "<dt>Active</dt>" in compared
    assert "<dt>Query</dt>" in compared
    french = client.get(f"/listening/topics/{topic.id}/history", headers=FR).text
    assert "De la version 2 à la version 3" in french
    assert "Ajouté :" in french


def test_a_topic_with_one_version(app: App, client: TestClient) -> None:
    topic = make_topic(app, make_department(app))
    html = client.get(f"/listening/topics/{topic.id}/history", headers=EN).text
    assert "The topic as created" in html
    assert 'id="compared"' not in html
    assert 'name="a"' not in html
