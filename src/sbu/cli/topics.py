"""`sbu topics`: list, show, add, edit, activate, deactivate and re-match topics, and their history."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from sbu.bootstrap import App
from sbu.cli.base import application, cli, cli_actor, console, err_console, fail, new_table, when
from sbu.core.errors import InvalidInput
from sbu.listening.query import QueryError
from sbu.listening.query.problems import pointer
from sbu.listening.topic_tests import TopicTestsFailed, read_examples_file

topics_cli = typer.Typer(
    help="List, add and change topics (named queries), with their tests and history.",
    no_args_is_help=True,
)
cli.add_typer(topics_cli, name="topics")

KINDS = "own_brand, competitor, partner, supplier, influencer or theme"
TopicArg = Annotated[str, typer.Argument(help="The topic's name or id.")]
NameOpt = Annotated[str | None, typer.Option("--name", help="A unique name (1 to 100 characters).")]
QueryOpt = Annotated[
    str | None,
    typer.Option("--query", help="The query (docs/listening/query-language.md)."),
]
KindOpt = Annotated[str | None, typer.Option("--subject-kind", help=f"What it is about: {KINDS}.")]
SubjectOpt = Annotated[
    str | None, typer.Option("--subject-name", help="The actor's or theme's name.")
]
DepartmentOpt = Annotated[
    str | None, typer.Option("--department", help="The department that owns it: name or id.")
]
DescriptionOpt = Annotated[
    str | None, typer.Option("--description", help="What the topic is for, in a few words.")
]
ExamplesOpt = Annotated[
    Path | None,
    typer.Option(
        "--examples",
        help="A YAML or JSON file of examples (text, expect: match or no_match...); replaces them.",
    ),
]
NoteOpt = Annotated[
    str | None, typer.Option("--note", help="Why this change (kept in the history).")
]


def _refused(exc: QueryError | TopicTestsFailed) -> None:
    """Print a refused save in full (every problem with its place, every failing example)."""
    if isinstance(exc, QueryError):
        err_console.print("[bold red]Error:[/] The query cannot be saved:", highlight=False)
        for problem in exc.problems:
            err_console.print(escape(pointer(exc.query, problem)), highlight=False)
            err_console.print(escape(problem.describe(exc.query)), highlight=False)
    else:
        fail(str(exc), 2)
    raise typer.Exit(2)


def _department_id(app: App, value: str) -> int:
    from sbu.org.queries import find_department

    with app.db.session() as session:
        return find_department(session, value).id


def _topic_id(app: App, value: str) -> int:
    from sbu.listening.topic_queries import find_topic

    with app.db.session() as session:
        return find_topic(session, value).id


def _show_rematch(app: App, topic_id: int) -> None:
    from sbu.listening.topic_queries import latest_rematch

    with app.db.session() as session:
        job = latest_rematch(session, topic_id)
    if job is not None and job.status in ("queued", "running"):
        console.print(
            f"History ({job.total:,} mentions) is re-matched in the background by `sbu serve`, "
            "or now with `sbu enrich run`."
        )


@topics_cli.command("list")
def topics_list(
    inactive: Annotated[
        bool, typer.Option("--inactive", help="Only inactive topics (default: all).")
    ] = False,
    department: DepartmentOpt = None,
) -> None:
    """List the topics with their subject, department, state and matched mentions."""
    from sbu.listening.topic_queries import list_topics

    with application() as app:
        department_id = _department_id(app, department) if department else None
        with app.db.session() as session:
            rows = list_topics(
                session, active=False if inactive else None, department_id=department_id
            )
        if not rows:
            console.print("There are no topics yet: add one with `sbu topics add`.")
            return
        table = new_table("Id", "Name", "Subject", "Department", "Active", "Version", "Matches",
                          "Re-match")  # fmt: skip
        for row in rows:
            t = row.topic
            job = row.rematch
            progress = f"{job.status} {job.done:,}/{job.total:,}" if job else "-"
            table.add_row(str(t.id), escape(t.name),
                          f"{t.subject_kind}: {escape(t.subject_name)}",
                          escape(row.department_name), "yes" if t.active else "no",
                          str(t.version), f"{row.matches:,}", progress)  # fmt: skip
        console.print(table)


@topics_cli.command("show")
def topics_show(topic: TopicArg) -> None:
    """Show a topic: its query, description, examples and re-match progress."""
    from sbu.listening.topic_queries import topic_row

    with application() as app:
        topic_id = _topic_id(app, topic)
        with app.db.session() as session:
            row = topic_row(session, topic_id)
        t = row.topic
        console.print(f"[bold]{escape(t.name)}[/] (id {t.id}, version {t.version}, "
                      f"{'active' if t.active else 'inactive'})", highlight=False)  # fmt: skip
        lines = [
            ("Subject", f"{t.subject_kind}: {t.subject_name}"),
            ("Department", row.department_name),
            ("Description", t.description or "-"),
            ("Query", t.query),
            ("Matches", f"{row.matches:,} mentions"),
            ("Changed", f"{when(t.updated_at)} by {t.updated_by}"),
        ]
        if row.rematch is not None:
            job = row.rematch
            lines.append(("Re-match", f"{job.status}, {job.done:,} of {job.total:,} mentions "
                                      f"(version {job.topic_version})"))  # fmt: skip
        for label, value in lines:
            console.print(f"{label}: {escape(value)}", highlight=False)
        console.print(f"Examples: {len(t.examples)}", highlight=False)
        for index, example in enumerate(t.examples, start=1):
            sign = "+" if example["expect"] == "match" else "-"
            note = f"  ({example['note']})" if example.get("note") else ""
            console.print(f"  {index}. {sign} {escape(example['text'])}{escape(note)}",
                          highlight=False)  # fmt: skip


def _fields(
    app: App, *, name: str | None, query: str | None, subject_kind: str | None,
    subject_name: str | None, department: str | None, description: str | None,
    examples: Path | None,
) -> dict[str, Any]:  # fmt: skip
    fields: dict[str, Any] = {}
    for key, value in (("name", name), ("query", query), ("subject_kind", subject_kind),
                       ("subject_name", subject_name), ("description", description)):  # fmt: skip
        if value is not None:
            fields[key] = value
    if department is not None:
        fields["department_id"] = _department_id(app, department)
    if examples is not None:
        fields["examples"] = read_examples_file(examples)
    return fields


@topics_cli.command("add")
def topics_add(
    name: NameOpt = None,
    query: QueryOpt = None,
    subject_kind: KindOpt = None,
    subject_name: SubjectOpt = None,
    department: DepartmentOpt = None,
    description: DescriptionOpt = None,
    examples: ExamplesOpt = None,
    note: NoteOpt = None,
    inactive: Annotated[
        bool, typer.Option("--inactive", help="Create it inactive (it matches nothing yet).")
    ] = False,
) -> None:
    """Add a topic; its examples must pass. History is then matched in the background."""
    from sbu.listening.topics import create_topic

    missing = [
        option for option, value in (("--name", name), ("--query", query),
                                     ("--subject-kind", subject_kind),
                                     ("--subject-name", subject_name), ("--department", department))
        if value is None
    ]  # fmt: skip
    if missing:
        fail(f"A topic needs {', '.join(missing)}: add them and try again.", 2)
    with application() as app:
        fields = _fields(app, name=name, query=query, subject_kind=subject_kind,
                         subject_name=subject_name, department=department,
                         description=description, examples=examples)  # fmt: skip
        try:
            topic = create_topic(app.db, app.clock, cli_actor(), active=not inactive, note=note,
                                 **fields)  # fmt: skip
        except (QueryError, TopicTestsFailed) as exc:
            _refused(exc)
            return
        console.print(
            f"Added the topic [bold]{escape(topic.name)}[/] (id {topic.id}, "
            f"{len(topic.examples)} examples pass)."
        )
        _show_rematch(app, topic.id)


@topics_cli.command("edit")
def topics_edit(
    topic: TopicArg,
    name: NameOpt = None,
    query: QueryOpt = None,
    subject_kind: KindOpt = None,
    subject_name: SubjectOpt = None,
    department: DepartmentOpt = None,
    description: DescriptionOpt = None,
    examples: ExamplesOpt = None,
    note: NoteOpt = None,
) -> None:
    """Change a topic (only the options given); its examples must still pass."""
    from sbu.listening.topics import update_topic

    with application() as app:
        topic_id = _topic_id(app, topic)
        fields = _fields(app, name=name, query=query, subject_kind=subject_kind,
                         subject_name=subject_name, department=department,
                         description=description, examples=examples)  # fmt: skip
        if not fields:
            msg = "Nothing to change: give at least one option, such as --query."
            raise InvalidInput(msg)
        try:
            before = _version(app, topic_id)
            saved = update_topic(app.db, app.clock, cli_actor(), topic_id, note=note, **fields)
        except (QueryError, TopicTestsFailed) as exc:
            _refused(exc)
            return
        if saved.version == before:
            console.print(f"Nothing changed: {escape(saved.name)} stays at version {before}.")
            return
        console.print(f"Saved [bold]{escape(saved.name)}[/] as version {saved.version}.")
        _show_rematch(app, topic_id)


def _version(app: App, topic_id: int) -> int:
    from sbu.listening.topic_models import Topic

    with app.db.session() as session:
        found = session.get(Topic, topic_id)
        return found.version if found is not None else 0


def _set_active(topic: str, active: bool, note: str | None) -> None:
    from sbu.listening.topics import set_topic_active

    with application() as app:
        topic_id = _topic_id(app, topic)
        try:
            saved = set_topic_active(app.db, app.clock, cli_actor(), topic_id, active, note=note)
        except (QueryError, TopicTestsFailed) as exc:
            _refused(exc)
            return
        state = "active" if active else "inactive"
        console.print(f"{escape(saved.name)} is {state} (version {saved.version}).")
        if active:
            _show_rematch(app, topic_id)
        else:
            console.print("New mentions are no longer matched; the matches recorded stay.")


@topics_cli.command("activate")
def topics_activate(topic: TopicArg, note: NoteOpt = None) -> None:
    """Activate a topic (its examples must pass); history is matched again."""
    _set_active(topic, True, note)


@topics_cli.command("deactivate")
def topics_deactivate(topic: TopicArg, note: NoteOpt = None) -> None:
    """Deactivate a topic: new mentions are no longer matched; recorded matches stay."""
    _set_active(topic, False, note)


@topics_cli.command("history")
def topics_history(
    topic: TopicArg,
    diff: Annotated[
        tuple[int, int] | None,
        typer.Option("--diff", help="Show what changed between two versions, e.g. --diff 1 3."),
    ] = None,
) -> None:
    """List a topic's versions (who, when, what, why), or the diff of two versions."""
    from sbu.listening.topic_queries import topic_versions, version_diff

    with application() as app:
        topic_id = _topic_id(app, topic)
        with app.db.session() as session:
            if diff is not None:
                changes = version_diff(session, topic_id, *diff)
                _print_diff(changes.old.version, changes.new.version, changes.changes)
                return
            versions = topic_versions(session, topic_id)
        table = new_table("Version", "When", "Who", "Change", "Active", "Note")
        for v in versions:
            table.add_row(str(v.version), when(v.created_at), escape(v.author_name), v.change,
                          "yes" if v.active else "no", escape(v.note or ""))  # fmt: skip
        console.print(table)


def _print_diff(old: int, new: int, changes: list[Any]) -> None:
    if not changes:
        console.print(f"Versions {old} and {new} are the same.")
        return
    console.print(f"From version {old} to version {new}:")
    for change in changes:
        if change.lines is None:
            console.print(f"  {change.field}: {escape(str(change.before))} → "
                          f"{escape(str(change.after))}", highlight=False)  # fmt: skip
            continue
        console.print(f"  {change.field}:", highlight=False)
        colours = {"-": "red", "+": "green", " ": "default"}
        for line in change.lines:
            console.print(f"    [{colours[line.op]}]{line.op} {escape(line.text)}[/]",
                          highlight=False)  # fmt: skip


@topics_cli.command("rematch")
def topics_rematch(
    topic: TopicArg,
    now: Annotated[
        bool, typer.Option("--now", help="Re-match here and wait, with a progress bar.")
    ] = False,
) -> None:
    """Re-match an active topic's history with its current query (in the background, or --now)."""
    from sbu.listening.topics import request_rematch

    with application() as app:
        topic_id = _topic_id(app, topic)
        job = request_rematch(app.db, app.clock, cli_actor(), topic_id)
        if job.status == "done":
            console.print(
                "There is nothing to re-match: enrichment has not processed any mention yet, and "
                "when it does it uses the current query (`sbu enrich run` does it now)."
            )
            return
        if not now:
            console.print(f"Queued the re-matching of {job.total:,} mentions (job {job.id}).")
            _show_rematch(app, topic_id)
            return
        from sbu.cli.enrich import run_rematch_jobs

        run_rematch_jobs(app)
