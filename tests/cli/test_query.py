"""`sbu query check` and `sbu query match`: exit codes, messages and the JSON lines output."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from tests.cli.conftest import Run

TOPICS = """\
- name: Pannes
  query: ondine AND (panne* OR coupure)
- name: Fibre
  query: '"fibre optique" OR #fibre'
- name: Anglais
  query: ondine AND lang:en
"""


@pytest.fixture
def topics_file(tmp_path: Path) -> Path:
    path = tmp_path / "topics.yaml"
    path.write_text(TOPICS, encoding="utf-8")
    return path


def write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_check_accepts_a_valid_query(run: Run) -> None:
    result = run("query", "check", 'ondine AND ("fibre optique" OR box*) NOT lang:en')
    assert result.code == 0
    assert result.stdout.strip() == "The query is valid."


def test_check_points_at_each_problem_and_exits_2(run: Run) -> None:
    result = run("query", "check", "ondine AND (fibre OR")
    assert result.code == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "The query has 1 problem:"
    assert lines[1] == "ondine AND (fibre OR"
    assert lines[2] == " " * 18 + "^^"  # under OR
    assert lines[3].startswith("column 19: OR needs something on both sides.")
    assert "Add a word, phrase or group on each side of OR" in lines[3]


def test_check_reports_lint_problems_too(run: Run) -> None:
    result = run("query", "check", "the AND ondine")
    assert result.code == 2
    assert "the is a stopword" in result.stderr
    assert result.stderr.splitlines()[2] == "^^^"


def test_match_prints_one_line_per_post_in_input_order(
    run: Run, topics_file: Path, tmp_path: Path
) -> None:
    posts = write_lines(
        tmp_path / "posts.jsonl",
        '{"id": 1, "text": "Grosse panne chez Ondine", "lang": "fr"}',
        '{"id": "b2", "text": "La #Fibre arrive", "hashtags": []}',
        '{"id": 3, "text": "Ondine outage", "lang": "en", "platform": "rss"}',
        '{"id": 4, "text": "rien", "title": "Fibre optique", "author": "@bob", "url": "https://x.fr"}',
        '{"id": 5, "text": "coupure", "hashtags": ["ondine"]}',
    )
    result = run("query", "match", "--topics", str(topics_file), "--input", str(posts))
    assert result.code == 0, result.output
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [
        {"id": 1, "topics": ["Pannes"]},
        {"id": "b2", "topics": ["Fibre"]},
        {"id": 3, "topics": ["Anglais"]},
        {"id": 4, "topics": ["Fibre"]},
        {"id": 5, "topics": ["Pannes"]},
    ]


def test_match_writes_to_a_file_and_reads_many_batches(
    run: Run, topics_file: Path, tmp_path: Path
) -> None:
    lines = [orjson.dumps({"id": i, "text": f"panne {i} Ondine"}).decode() for i in range(4500)]
    posts = write_lines(tmp_path / "posts.jsonl", *lines)
    out = tmp_path / "out.jsonl"
    result = run(
        "query", "match", "--topics", str(topics_file), "--input", str(posts),
        "--output", str(out),
    )  # fmt: skip
    assert result.code == 0, result.output
    assert result.stdout == ""
    found = [orjson.loads(line) for line in out.read_text().splitlines()]
    assert [record["id"] for record in found] == list(range(4500))
    assert all(record["topics"] == ["Pannes"] for record in found)


def test_bad_lines_are_reported_skipped_and_exit_2(
    run: Run, topics_file: Path, tmp_path: Path
) -> None:
    posts = write_lines(
        tmp_path / "posts.jsonl",
        '{"id": 1, "text": "panne Ondine"}',
        "{not json",
        '{"text": "no id"}',
        "",
        '{"id": 4, "text": 12}',
        '{"id": 5, "text": "ok", "hashtags": "fibre"}',
        '["a list"]',
        '{"id": 8, "text": "fibre optique"}',
    )
    result = run("query", "match", "--topics", str(topics_file), "--input", str(posts))
    assert result.code == 2
    assert [orjson.loads(line) for line in result.stdout.splitlines()] == [
        {"id": 1, "topics": ["Pannes"]},
        {"id": 8, "topics": ["Fibre"]},
    ]
    errors = result.stderr.splitlines()
    assert errors[0].startswith(f"Line 2 of {posts} was skipped: it is not valid JSON")
    assert errors[1] == f'Line 3 of {posts} was skipped: it has no "id" (a string or a number).'
    assert errors[2] == f'Line 5 of {posts} was skipped: it has no "text" (a string).'
    assert errors[3] == f'Line 6 of {posts} was skipped: "hashtags" must be a list of strings.'
    assert errors[4].startswith(f"Line 7 of {posts} was skipped: a line must be a JSON object")
    assert errors[5].startswith("5 lines were skipped (see above)")


def test_an_invalid_topic_query_names_the_topic_and_the_problem(run: Run, tmp_path: Path) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text("- name: Bon\n  query: ondine\n- name: Cassé\n  query: ondine AND (\n")
    posts = write_lines(tmp_path / "posts.jsonl", '{"id": 1, "text": "ondine"}')
    result = run("query", "match", "--topics", str(topics), "--input", str(posts))
    assert result.code == 2
    assert result.stdout == ""
    assert f"The query of topic Cassé (topic 2 of {topics}) has a problem" in result.stderr
    assert "ondine AND (\n           ^\ncolumn 12: This parenthesis is never closed." in (
        result.stderr
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name: x\nquery: y\n", "must hold a list of topics"),
        ("- name: x\n", "Topic 1 of"),
        ("- {name: a, query: x}\n- {name: a, query: y}\n", "Two topics of"),
        ("- [unclosed\n", "is not valid YAML"),
    ],
)
def test_a_bad_topics_file_says_what_to_fix(
    run: Run, tmp_path: Path, content: str, message: str
) -> None:
    topics = tmp_path / "topics.yaml"
    topics.write_text(content)
    posts = write_lines(tmp_path / "posts.jsonl", '{"id": 1, "text": "x"}')
    result = run("query", "match", "--topics", str(topics), "--input", str(posts))
    assert result.code == 2
    assert message in result.stderr


def test_a_missing_file_exits_2(run: Run, topics_file: Path, tmp_path: Path) -> None:
    result = run(
        "query", "match", "--topics", str(topics_file), "--input", str(tmp_path / "none.jsonl")
    )
    assert result.code == 2
    assert "Cannot open" in result.stderr
    result = run("query", "match", "--topics", str(tmp_path / "no.yaml"), "--input", "-")
    assert result.code == 2
    assert "Cannot read the topics file" in result.stderr


def test_match_reads_standard_input(run: Run, topics_file: Path) -> None:
    result = run(
        "query", "match", "--topics", str(topics_file), "--input", "-",
        input='{"id": "x", "text": "coupure Ondine"}\n',
    )  # fmt: skip
    assert result.code == 0, result.output
    assert orjson.loads(result.stdout) == {"id": "x", "topics": ["Pannes"]}
