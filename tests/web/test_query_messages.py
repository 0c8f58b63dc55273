"""Query problems in the page's language: every template of the query package is marked for
translation here, values that are sbu's words are translated, positions are kept."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from sbu.listening.query import QueryProblem, check
from sbu.listening.query.problems import TEMPLATES as QUERY_TEMPLATES
from sbu.web import query_messages
from sbu.web.locales import load_translations
from sbu.web.query_messages import (
    TEMPLATES,
    ProblemView,
    marked_segments,
    problem_view,
    problem_views,
)

TRANSLATIONS = load_translations()
EN, FR = TRANSLATIONS["en"], TRANSLATIONS["fr"]


def test_every_problem_of_the_language_is_marked_for_translation() -> None:
    assert dict(TEMPLATES) == dict(QUERY_TEMPLATES)


def test_english_is_the_query_package_sentence() -> None:
    for query in ("ondine AND (fibre", "le", "NOT ondine", "ondine NEAR/x fibre", "lang:"):
        for problem in check(query).problems:
            view = problem_view(EN, problem)
            assert (view.message, view.hint) == (problem.message, problem.hint), query
            assert (view.start, view.end, view.column) == (problem.start, problem.end,
                                                           problem.start + 1)  # fmt: skip


def test_french_with_the_query_words_filled_in() -> None:
    [stopword] = problem_views(FR, check("le").problems)
    assert stopword.message.startswith("le est un mot vide")
    [near] = problem_views(FR, check("(a AND b) NEAR/3 c").problems)
    assert "(a AND b)" in near.message
    assert near.message != check("(a AND b) NEAR/3 c").problems[0].message
    [broad] = problem_views(FR, check("lang:fr").problems)
    assert broad.message.startswith(
        "Cette requête trouverait la plupart des publications : lang:fr"
    )


def test_a_problem_this_module_does_not_know_yet_reads_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A problem added to the language before this module learns it: its English sentence.
    monkeypatch.setattr(query_messages, "TEMPLATES", MappingProxyType({}))
    view = problem_view(FR, QueryProblem("empty", 0, 1))
    assert (view.message, view.code) == ("The query is empty.", "empty")


def test_marked_segments_underline_the_problems() -> None:
    problems = [ProblemView("x", "", "", 2, 4), ProblemView("y", "", "", 3, 6),
                ProblemView("z", "", "", 9, 9)]  # fmt: skip
    segments = marked_segments("abcdefghij", problems)
    assert [(s.text, s.marked) for s in segments] == [
        ("ab", False),
        ("cdef", True),
        ("ghi", False),
        ("j", True),
    ]
    assert marked_segments("", problems) == []
    assert [(s.text, s.marked) for s in marked_segments("abc", [])] == [("abc", False)]
