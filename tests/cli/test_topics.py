"""`sbu topics`: add, edit, list, show, history, activate, deactivate, rematch."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sbu.bootstrap import build
from sbu.core.audit import Actor
from sbu.db.engine import Database
from sbu.listening.topic_models import RematchJob, Topic, TopicVersion
from sbu.org.services import create_department
from sbu.settings import Settings
from tests.cli.conftest import Result, Run
from tests.web.posts import make_source, post

QUERY = "ondine AND (panne OR coupure)"
EXAMPLES_YAML = """\
- text: Grosse panne chez Ondine à Nantes
  expect: match
- text: Ondine recrute des techniciens
  expect: no_match
  note: jobs
"""


@pytest.fixture
def care(db: Database) -> int:
    from sbu.core.clock import SystemClock

    return create_department(db, SystemClock(), Actor("test", "setup"), name="Service client",
                             kind="care").id  # fmt: skip


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    path = tmp_path / "examples.yaml"
    path.write_text(EXAMPLES_YAML, encoding="utf-8")
    return path


def _store_posts(db: Database, *texts: str) -> None:
    app = build(Settings(database={"url": db.settings.url}))  # type: ignore[arg-type]
    try:
        app.ingest.ingest(make_source(app), [post(str(i), t) for i, t in enumerate(texts)])
    finally:
        app.close()


def topics(db: Database) -> dict[str, Topic]:
    with db.session() as session:
        return {t.name: t for t in session.execute(select(Topic)).scalars()}


def add(run: Run, examples: Path, *extra: str) -> Result:
    return run("topics", "add", "--name", "Pannes", "--query", QUERY, "--subject-kind", "theme",
               "--subject-name", "Pannes réseau", "--department", "service client",
               "--examples", str(examples), "--description", "Outages.", "--note", "First.",
               *extra)  # fmt: skip


def test_add_list_show(run: Run, db: Database, care: int, examples: Path) -> None:
    assert "There are no topics yet" in run("topics", "list").stdout
    result = add(run, examples)
    assert result.code == 0, result.output
    assert "Added the topic Pannes (id 1, 2 examples pass)." in result.stdout
    stored = topics(db)["Pannes"]
    assert (stored.query, stored.department_id, stored.description, stored.active) == (
        QUERY, care, "Outages.", True,
    )  # fmt: skip
    assert stored.examples[1] == {"text": "Ondine recrute des techniciens", "expect": "no_match",
                                  "note": "jobs"}  # fmt: skip
    listed = run("topics", "list")
    row = next(line for line in listed.stdout.splitlines() if "Pannes" in line)
    assert "theme: Pannes réseau" in row
    assert "Service client" in row
    shown = run("topics", "show", "pannes")
    assert shown.code == 0, shown.output
    assert "Pannes (id 1, version 1, active)" in shown.stdout
    assert f"Query: {QUERY}" in shown.stdout
    assert "2. - Ondine recrute des techniciens  (jobs)" in shown.stdout
    inactive = run("topics", "add", "--name", "Dormant", "--query", "fibre", "--subject-kind",
                   "theme", "--subject-name", "Fibre", "--department", str(care), "--inactive")  # fmt: skip
    assert inactive.code == 0, inactive.output
    assert topics(db)["Dormant"].active is False
    only = run("topics", "list", "--inactive", "--department", "Service client")
    assert "Dormant" in only.stdout
    assert "Pannes" not in only.stdout


def test_add_refuses_a_bad_query_with_its_place(run: Run, db: Database, care: int) -> None:
    result = run("topics", "add", "--name", "X", "--query", "ondine AND (panne",
                 "--subject-kind", "theme", "--subject-name", "X", "--department", str(care))  # fmt: skip
    assert result.code == 2
    assert "The query cannot be saved" in result.stderr
    assert "ondine AND (panne\n           ^" in result.stderr
    assert "column 12: This parenthesis is never closed." in result.stderr
    assert topics(db) == {}


def test_add_refuses_failing_examples_and_missing_options(
    run: Run, db: Database, care: int, tmp_path: Path
) -> None:
    path = tmp_path / "bad.json"
    path.write_text('[{"text": "Ondine recrute", "expect": "match"}]', encoding="utf-8")
    result = run("topics", "add", "--name", "X", "--query", QUERY, "--subject-kind", "theme",
                 "--subject-name", "X", "--department", str(care), "--examples", str(path))  # fmt: skip
    assert result.code == 2
    assert 'example 1 ("Ondine recrute"): it should match the query but does not' in result.stderr
    missing = run("topics", "add", "--name", "X")
    assert missing.code == 2
    assert "A topic needs --query, --subject-kind, --subject-name, --department" in missing.stderr
    unknown = run("topics", "add", "--name", "X", "--query", QUERY, "--subject-kind", "theme",
                  "--subject-name", "X", "--department", "Nowhere")  # fmt: skip
    assert unknown.code == 2
    assert topics(db) == {}


def test_edit_history_and_diff(run: Run, db: Database, care: int, examples: Path) -> None:
    add(run, examples)
    edited = run("topics", "edit", "Pannes", "--query", "ondine AND (panne OR coupure OR noir)",
                 "--note", "Plus large.")  # fmt: skip
    assert edited.code == 0, edited.output
    assert "Saved Pannes as version 2." in edited.stdout
    same = run("topics", "edit", "1", "--description", "Outages.")
    assert "Nothing changed: Pannes stays at version 2." in same.stdout
    nothing = run("topics", "edit", "1")
    assert nothing.code == 2
    assert "Nothing to change" in nothing.stderr
    failing = run("topics", "edit", "1", "--query", "ondine AND coupure")
    assert failing.code == 2
    assert "example 1" in failing.stderr
    history = run("topics", "history", "pannes")
    assert history.code == 0
    lines = [line for line in history.stdout.splitlines() if "│" in line]
    assert len(lines) == 2  # the two versions, newest first
    assert "edited" in lines[0]
    assert "Plus large." in lines[0]
    assert "created" in lines[1]
    assert "First." in lines[1]
    diff = run("topics", "history", "pannes", "--diff", "2", "1")
    assert diff.code == 0, diff.output
    assert "From version 1 to version 2:" in diff.stdout
    assert f"- {QUERY}" in diff.stdout
    assert "+ ondine AND (panne OR coupure OR noir)" in diff.stdout
    assert (
        "Versions 2 and 2 are the same." in run("topics", "history", "1", "--diff", "2", "2").stdout
    )


def test_deactivate_activate_and_rematch(run: Run, db: Database, care: int, examples: Path) -> None:
    add(run, examples)
    off = run("topics", "deactivate", "Pannes", "--note", "Pause.")
    assert off.code == 0
    assert "Pannes is inactive (version 2)." in off.stdout
    assert "the matches recorded stay" in off.stdout
    refused = run("topics", "rematch", "Pannes")
    assert refused.code == 2
    assert "is inactive: activate it" in refused.stderr
    on = run("topics", "activate", "Pannes")
    assert "Pannes is active (version 3)." in on.stdout
    nothing = run("topics", "rematch", "Pannes")
    assert nothing.code == 0, nothing.output
    assert "There is nothing to re-match" in nothing.stdout
    assert run("enrich", "run").code == 0  # the stage has now processed the (no) mentions
    _store_posts(db, "Panne chez Ondine", "Coupure Ondine")
    assert run("enrich", "run").code == 0
    queued = run("topics", "rematch", "Pannes")
    assert queued.code == 0, queued.output
    assert "Queued the re-matching of 2 mentions (job" in queued.stdout
    assert "re-matched in the background by `sbu serve`" in queued.stdout
    now = run("topics", "rematch", "Pannes", "--now")
    assert now.code == 0, now.output
    assert "Re-matched 2 mentions for topic 1 (version 3): done." in now.stdout
    with db.session() as session:
        notes = [
            v.note
            for v in session.execute(select(TopicVersion).order_by(TopicVersion.version)).scalars()
        ]
        statuses = {j.status for j in session.execute(select(RematchJob)).scalars()}
    assert notes == ["First.", "Pause.", None]
    assert statuses <= {"done", "cancelled"}
    assert run("topics", "show", "Nothing").code == 2
