"""`sbu query check` and `sbu query match`: the query language for scripts, no database needed."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated, Any

import orjson
import typer
import yaml
from rich.markup import escape

from sbu.cli.base import cli, console, err_console, fail
from sbu.listening.query.lint import check
from sbu.listening.query.matcher import BATCH_SIZE, Matcher, compile_topics
from sbu.listening.query.nodes import Node
from sbu.listening.query.posts import MatchPost
from sbu.listening.query.problems import QueryProblem, pointer

query_cli = typer.Typer(
    help="Check queries and match posts against topics, from files (no database).",
    no_args_is_help=True,
)
cli.add_typer(query_cli, name="query")

#: Fields of a post line besides id and text, all optional; hashtags is a list of strings.
_TEXT_FIELDS = ("lang", "platform", "author", "author_name", "url", "title")
_EXAMPLE_LINE = '{"id": 1, "text": "Panne chez Ondine", "lang": "fr"}'


def _print_problems(query: str, problems: list[QueryProblem]) -> None:
    for problem in problems:
        err_console.print(escape(pointer(query, problem)), highlight=False, soft_wrap=True)
        err_console.print(escape(problem.describe(query)), highlight=False, soft_wrap=True)


@query_cli.command("check")
def check_command(
    query: Annotated[str, typer.Argument(help="The query; quote it for the shell.")],
) -> None:
    """Check a query: exit 0 when it is valid, 2 with each problem and where it is otherwise."""
    checked = check(query)
    if checked.ok:
        console.print("The query is valid.")
        return
    count = len(checked.problems)
    err_console.print(f"The query has {count} problem{'s' if count > 1 else ''}:")
    _print_problems(query, checked.problems)
    raise typer.Exit(2)


def load_topics(path: Path) -> list[tuple[str, Node]]:
    """The (name, tree) of each topic of a YAML file holding a list of {name, query}."""
    try:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        fail(f"Cannot read the topics file {path}: {exc.strerror}. Check the path.", 2)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        fail(f"The topics file {path} is not valid YAML ({exc}). Fix it and run again.", 2)
    if not isinstance(entries, list) or not entries:
        fail(
            f"The topics file {path} must hold a list of topics, each with a name and a query, "
            "for example:\n- name: Pannes\n  query: ondine AND (panne OR coupure)",
            2,
        )
    topics: list[tuple[str, Node]] = []
    names: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str | int)
            or not isinstance(entry.get("query"), str)
        ):
            fail(
                f"Topic {number} of {path} must have a name and a query (text), "
                "for example: {name: Pannes, query: ondine AND panne}.",
                2,
            )
        name = str(entry["name"])
        if name in names:
            fail(f"Two topics of {path} are named {name!r}: give each topic its own name.", 2)
        names.add(name)
        checked = check(entry["query"])
        if not checked.ok or checked.node is None:
            err_console.print(
                f"The query of topic {escape(name)} (topic {number} of {escape(str(path))}) "
                "has a problem; fix it and run again:",
                highlight=False,
                soft_wrap=True,
            )
            _print_problems(entry["query"], checked.problems)
            raise typer.Exit(2)
        topics.append((name, checked.node))
    return topics


def post_of(record: Any) -> MatchPost:
    """A post from one decoded JSON line; raises ValueError saying what is wrong."""
    if not isinstance(record, dict):
        msg = f"a line must be a JSON object such as {_EXAMPLE_LINE}"
        raise ValueError(msg)
    identifier = record.get("id")
    if isinstance(identifier, bool) or not isinstance(identifier, str | int):
        msg = 'it has no "id" (a string or a number)'
        raise ValueError(msg)
    text = record.get("text")
    if not isinstance(text, str):
        msg = 'it has no "text" (a string)'
        raise ValueError(msg)
    values: dict[str, str | None] = {}
    for name in _TEXT_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            msg = f'"{name}" must be a string'
            raise ValueError(msg)
        values[name] = value
    hashtags = record.get("hashtags") or []
    if not isinstance(hashtags, list) or not all(isinstance(tag, str) for tag in hashtags):
        msg = '"hashtags" must be a list of strings'
        raise ValueError(msg)
    return MatchPost(id=str(identifier), text=text, hashtags=tuple(hashtags), **values)


@contextmanager
def _opened(path: Path, mode: str) -> Iterator[IO[bytes]]:
    if str(path) == "-":
        yield sys.stdin.buffer if mode == "rb" else sys.stdout.buffer
        return
    try:
        handle = path.open(mode)
    except OSError as exc:
        fail(f"Cannot open {path}: {exc.strerror}. Check the path.", 2)
    with handle:
        yield handle


@query_cli.command("match")
def match_command(
    topics: Annotated[
        Path,
        typer.Option(
            "--topics", help="A YAML file: a list of topics, each with a name and a query."
        ),
    ],
    input_path: Annotated[
        Path,
        typer.Option(
            "--input",
            help="Posts as JSON lines, each with an id and a text (- reads standard input).",
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", help="Write the results to this file (default: standard output)."),
    ] = None,
) -> None:
    """Match posts against topics: one JSON line per post, {"id": ..., "topics": [names...]}."""
    matcher = compile_topics(load_topics(topics))
    bad = 0
    with _opened(input_path, "rb") as source, _opened(output or Path("-"), "wb") as target:
        for line_number, message in _match_lines(matcher, source, target):
            bad += 1
            err_console.print(
                f"Line {line_number} of {escape(str(input_path))} was skipped: {escape(message)}.",
                highlight=False,
                soft_wrap=True,
            )
        target.flush()
    if bad:
        err_console.print(
            f"{bad} line{'s were' if bad > 1 else ' was'} skipped (see above); every other post "
            "was matched. Fix those lines and run again to match them.",
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(2)


def _match_lines(
    matcher: Matcher[str], source: IO[bytes], target: IO[bytes]
) -> Iterator[tuple[int, str]]:
    """Match the posts of ``source`` batch by batch, writing results to ``target`` in input order;
    yields (line number, what is wrong) for each line that is not a post."""
    batch: list[tuple[Any, MatchPost]] = []
    for line_number, line in enumerate(source, start=1):
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
            batch.append((record.get("id") if isinstance(record, dict) else None, post_of(record)))
        except orjson.JSONDecodeError as exc:
            yield line_number, f"it is not valid JSON ({exc})"
            continue
        except ValueError as exc:
            yield line_number, str(exc)
            continue
        if len(batch) >= BATCH_SIZE:
            _write(matcher, batch, target)
            batch = []
    if batch:
        _write(matcher, batch, target)


def _write(matcher: Matcher[str], batch: list[tuple[Any, MatchPost]], target: IO[bytes]) -> None:
    found = matcher.match([post for _, post in batch])
    target.write(
        b"".join(
            orjson.dumps({"id": identifier, "topics": names}) + b"\n"
            for (identifier, _), names in zip(batch, found, strict=True)
        )
    )
