from __future__ import annotations

import pytest

from sbu.listening.query.lint import BROAD_PREFIX_CHARS, check, compile_query
from sbu.listening.query.nodes import Or
from sbu.listening.query.parser import MIN_PREFIX_CHARS
from sbu.listening.query.problems import QueryError


def codes(query: str) -> list[tuple[str, int, int]]:
    return [(p.code, p.start, p.end) for p in check(query).problems]


def test_a_good_query_has_a_tree_and_no_problem() -> None:
    checked = check('ondine AND ("service client" OR sav) NOT recrutement')
    assert checked.ok
    assert checked.node is not None
    assert checked.problems == []
    assert compile_query(checked.query) == checked.node


def test_a_syntax_error_gives_no_tree() -> None:
    checked = check("ondine (")
    assert not checked.ok
    assert checked.node is None
    assert [p.code for p in checked.problems] == ["unclosed_paren"]


def test_a_lint_problem_keeps_the_tree_but_the_query_is_not_ok() -> None:
    checked = check("ondine the")
    assert checked.node is not None
    assert not checked.ok


def test_compile_query_refuses_any_problem() -> None:
    with pytest.raises(QueryError) as caught:
        compile_query("ondine the")
    assert [p.code for p in caught.value.problems] == ["stopword"]
    with pytest.raises(QueryError):
        compile_query("ondine (")


# --- Stopwords ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("ondine the", [("stopword", 7, 10)]),
        ("ondine LES", [("stopword", 7, 10)]),
        ('ondine "de"', [("stopword", 7, 11)]),
        ("ondine OR été", [("stopword", 10, 13)]),
        ("ondine NOT le", [("stopword", 11, 13)]),
        ("la NEAR/3 ondine", [("stopword", 0, 2)]),
        ("raw:The ondine", [("stopword", 0, 7)]),
        ("title:le ondine", [("stopword", 0, 8)]),
        ("the ondine of", [("stopword", 0, 3), ("stopword", 11, 13)]),
    ],
)
def test_a_stopword_alone_is_refused(query: str, found: list[tuple[str, int, int]]) -> None:
    assert codes(query) == found


@pytest.mark.parametrize(
    "query",
    [
        '"the ondine"',
        '"la fibre" NEAR/3 ondine',
        "l'opérateur",  # a term post text splits into words is a phrase
        "#le ondine",  # a hashtag is not a stopword
        "@the",
        "les* ondine",  # a wildcard is not the stopword itself
        "ondine lang:en",
    ],
)
def test_stopwords_inside_phrases_and_tags_are_accepted(query: str) -> None:
    assert check(query).ok, codes(query)


@pytest.mark.parametrize(
    ("query", "word", "upper", "start"),
    [
        ("ondine and fibre", "and", "AND", 7),
        ("ondine or fibre", "or", "OR", 7),
        ("ondine not recrutement", "not", "NOT", 7),
    ],
)
def test_lowercase_operators_are_reported_as_such(
    query: str, word: str, upper: str, start: int
) -> None:
    (problem,) = check(query).problems
    assert (problem.code, problem.start, problem.end) == (
        "lowercase_operator",
        start,
        start + len(word),
    )
    assert problem.params == {"word": word, "upper": upper}


def test_a_capitalised_operator_word_is_a_plain_stopword() -> None:
    assert codes("ondine Or fibre") == [("stopword", 7, 9)]


# --- Queries that only exclude --------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "what"),
    [
        ("NOT recrutement", "recrutement"),
        ("NOT lang:en", "lang:en"),
        ("NOT (emploi OR recrutement)", "(emploi OR recrutement)"),
        ("ondine OR NOT recrutement", "recrutement"),
        ("NOT emploi NOT recrutement", "emploi, recrutement"),
        ('NOT "offre emploi"', '"offre emploi"'),
        ("NOT #job*", "#job*"),
    ],
)
def test_a_query_that_only_excludes_is_refused(query: str, what: str) -> None:
    (problem,) = check(query).problems
    assert (problem.code, problem.start, problem.end) == ("not_only", 0, len(query))
    assert problem.params == {"what": what}


@pytest.mark.parametrize(
    "query",
    [
        "ondine NOT recrutement",
        "(ondine OR fibre) NOT emploi",
        "NOT emploi ondine",
        "ondine OR (fibre NOT emploi)",
    ],
)
def test_an_exclusion_beside_something_to_find_is_accepted(query: str) -> None:
    assert check(query).ok, codes(query)


# --- Broad queries --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("merci", "merci"),
        ("ondine OR merci", "merci"),
        ("merci AND bien", "merci, bien"),
        ("merci NOT ondine", "merci"),
        ("con*", "con*"),
        ("lang:fr", "lang:fr"),
        ("platform:mastodon", "platform:mastodon"),
        ("lang:fr merci", "lang:fr, merci"),
    ],
)
def test_a_query_that_would_match_most_posts_is_refused(query: str, terms: str) -> None:
    (problem,) = check(query).problems
    assert (problem.code, problem.start, problem.end) == ("too_broad", 0, len(query))
    assert problem.params == {"terms": terms}
    assert problem.message.startswith(f"This query would match most posts: {terms} alone")


@pytest.mark.parametrize(
    "query",
    [
        "merci ondine",  # a distinctive word narrows the common one
        "lang:fr ondine",
        "site:ondine.fr fibre",
        "author:ondine_telecom",  # an author or a site is a topic of its own
        "site:ondine.fr",
        "ondine OR site:ondine-telecom.example",
        '"merci bien"',  # a phrase of common words is rare enough
        "#merci",
        "merci NEAR/2 ondine",
        "conn*",
    ],
)
def test_a_distinctive_query_is_not_broad(query: str) -> None:
    assert check(query).ok, codes(query)


def test_raw_words_are_folded_for_the_stopword_and_breadth_checks() -> None:
    assert codes("raw:Merci") == [("too_broad", 0, 9)]
    assert codes("raw:Les ondine") == [("stopword", 0, 7)]


def test_short_wildcards_are_valid_from_min_letters_and_broad_below_broad_letters() -> None:
    assert MIN_PREFIX_CHARS < BROAD_PREFIX_CHARS
    short = "x" * MIN_PREFIX_CHARS + "*"
    enough = "x" * BROAD_PREFIX_CHARS + "*"
    assert codes(short) == [("too_broad", 0, len(short))]
    assert check(enough).ok


def test_stopwords_are_reported_before_breadth() -> None:
    # A query with a stopword is reported for the stopword only: fixing it may fix the rest.
    assert [p.code for p in check("merci the").problems] == ["stopword"]


def test_problems_come_in_query_order() -> None:
    checked = check("of ondine OR the OR le")
    assert [p.start for p in checked.problems] == sorted(p.start for p in checked.problems)
    assert len(checked.problems) == 3
    assert isinstance(checked.node, Or)
