"""Topic tests: examples are checked, run through the reference evaluator, and block a save."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sbu.core.errors import InvalidInput
from sbu.listening.query import compile_query
from sbu.listening.topic_tests import (
    MAX_EXAMPLES,
    TopicTestsFailed,
    check_examples,
    clean_examples,
    example_post,
    read_examples_file,
    run_examples,
)

PANNE = compile_query("ondine AND (panne OR coupure)")


def test_clean_examples_keeps_known_fields_and_drops_empty_ones() -> None:
    cleaned = clean_examples([
        {"text": "Panne chez Ondine", "expect": "match", "lang": " fr ", "title": "",
         "note": None},
        {"text": "Rien à voir", "expect": "no_match", "author": "@bob@social.example"},
    ])  # fmt: skip
    assert cleaned == [
        {"text": "Panne chez Ondine", "expect": "match", "lang": "fr"},
        {"text": "Rien à voir", "expect": "no_match", "author": "@bob@social.example"},
    ]
    assert clean_examples(None) == []
    assert clean_examples(()) == []


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ("panne", "must be a list"),
        ({"text": "x"}, "must be a list"),
        (["panne"], "Example 1 must be an object"),
        ([{"expect": "match"}], "Example 1 needs a text"),
        ([{"text": "  ", "expect": "match"}], "Example 1 needs a text"),
        ([{"text": "ok", "expect": "match"}, {"text": "x", "expect": "yes"}],
         'Example 2 must say "expect": "match"'),
        ([{"text": "x", "expect": "match", "colour": "blue"}],
         "Example 1 has a field sbu does not know (colour)"),
        ([{"text": "x", "expect": "match", "lang": 3}], "The lang of example 1 must be text."),
        ([{"text": "x" * 10_001, "expect": "match"}], "longer than 10,000 characters"),
        ([{"text": "x", "expect": "match", "note": "n" * 501}], "The note of example 1 is longer"),
        ([{"text": "x", "expect": "match"}] * (MAX_EXAMPLES + 1), "at most 100 examples"),
    ],
)  # fmt: skip
def test_clean_examples_refuses_bad_ones_naming_them(examples: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        clean_examples(examples)
    assert message in str(raised.value)


def test_an_example_is_a_post_with_its_attributes() -> None:
    post = example_post(
        2, {"text": "t", "expect": "match", "title": "T", "lang": "fr", "platform": "rss",
            "author": "@a", "url": "https://x.example/1"},
    )  # fmt: skip
    assert (post.id, post.text, post.title, post.lang, post.platform, post.author, post.url) == (
        "example-3", "t", "T", "fr", "rss", "@a", "https://x.example/1",
    )  # fmt: skip


def test_run_examples_reports_each_result_with_the_reason() -> None:
    examples = clean_examples([
        {"text": "Grosse panne chez Ondine", "expect": "match"},
        {"text": "Ondine recrute", "expect": "match"},
        {"text": "Coupure de courant, rien à voir", "expect": "no_match"},
        {"text": "Coupure Ondine à Nantes", "expect": "no_match", "note": "on purpose"},
    ])  # fmt: skip
    results = run_examples(PANNE, examples)
    assert [(r.matched, r.passed) for r in results] == [
        (True, True), (False, False), (False, True), (True, False),
    ]  # fmt: skip
    assert [r.reason for r in results] == [
        None,
        "it should match the query but does not",
        None,
        "it matches the query but should not",
    ]
    assert results[3].as_dict() == {
        "index": 3, "text": "Coupure Ondine à Nantes", "expect": "no_match", "matched": True,
        "passed": False, "reason": "it matches the query but should not", "note": "on purpose",
    }  # fmt: skip


def test_fields_of_examples_reach_the_query() -> None:
    query = compile_query("ondine AND lang:fr AND site:ondine-telecom.example")
    examples = clean_examples([
        {"text": "Ondine", "expect": "match", "lang": "fr", "url": "https://www.ondine-telecom.example/a"},
        {"text": "Ondine", "expect": "no_match", "lang": "en", "url": "https://ondine-telecom.example"},
        {"text": "Ondine", "expect": "no_match", "lang": "fr"},
    ])  # fmt: skip
    assert all(result.passed for result in run_examples(query, examples))
    by_author = compile_query('author:ondine_recrute AND "nous recrutons"')
    assert check_examples(by_author, [
        {"text": "Nous recrutons !", "expect": "match", "author": "@ondine_recrute@social.example"},
        {"text": "Nous recrutons !", "expect": "no_match", "author": "@bob"},
    ])  # fmt: skip


def test_check_examples_raises_with_every_failure_named() -> None:
    examples = clean_examples([
        {"text": "Grosse panne chez Ondine", "expect": "match"},
        {"text": "Ondine   recrute\ndes techniciens", "expect": "match"},
        {"text": "Coupure chez Ondine " + "x" * 80, "expect": "no_match"},
    ])  # fmt: skip
    with pytest.raises(TopicTestsFailed) as raised:
        check_examples(PANNE, examples)
    failures = raised.value.failures
    assert [f.index for f in failures] == [1, 2]
    message = str(raised.value)
    assert message.startswith("The topic was not saved because 2 of its examples fail: ")
    assert (
        'example 2 ("Ondine recrute des techniciens"): it should match the query but does not'
        in message
    )
    assert 'example 3 ("Coupure chez Ondine xxxx' in message
    assert '…"): it matches the query but should not' in message
    assert message.endswith("Change the query or the examples, then save again.")
    with pytest.raises(TopicTestsFailed, match="because 1 of its examples fails"):
        check_examples(PANNE, examples[:2])


def test_examples_files_in_yaml_and_json(tmp_path: Path) -> None:
    yaml_file = tmp_path / "examples.yaml"
    yaml_file.write_text(
        "- text: Panne chez Ondine\n  expect: match\n- text: Ondine recrute\n  expect: no_match\n"
        "  note: jobs\n",
        encoding="utf-8",
    )
    assert read_examples_file(yaml_file) == [
        {"text": "Panne chez Ondine", "expect": "match"},
        {"text": "Ondine recrute", "expect": "no_match", "note": "jobs"},
    ]
    json_file = tmp_path / "examples.json"
    json_file.write_text('{"examples": [{"text": "Réseau", "expect": "match"}]}', encoding="utf-8")
    assert read_examples_file(json_file) == [{"text": "Réseau", "expect": "match"}]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bad.yaml", "- text: [unclosed", "is not valid YAML"),
        ("bad.json", "[{", "is not valid JSON"),
        ("scalar.yml", "just text", "must hold a list of examples"),
        ("wrong.json", '[{"text": "x", "expect": "maybe"}]', 'Example 1 must say "expect"'),
    ],
)
def test_bad_examples_files_are_refused_with_a_sentence(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput) as raised:
        read_examples_file(path)
    assert message in str(raised.value)
    with pytest.raises(InvalidInput, match="Cannot read the examples file"):
        read_examples_file(tmp_path / "missing.yaml")
