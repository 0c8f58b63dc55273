"""Property tests: the parser never crashes, and the compiled matcher agrees with the reference
evaluator on generated queries and posts."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sbu.listening.query import automaton
from sbu.listening.query.automaton import Engine
from sbu.listening.query.evaluate import matches
from sbu.listening.query.lint import check
from sbu.listening.query.matcher import compile_topics
from sbu.listening.query.parser import parse
from sbu.listening.query.posts import MatchPost
from sbu.listening.query.problems import QueryError

# --- The parser and the linter never crash --------------------------------------------------

_SYNTAX = [
    "ondine", "fibre", "AND", "OR", "NOT", "NEAR/3", "NEAR/0f", "NEAR/", "NEAR/x", "near/2",
    "and", "or", "(", ")", "((", '"', '"service client"', "lang:", "lang:fr", "platform:",
    "author:@bob", "site:", "site:x.fr", "title:", "raw:", "foo:", ":", "*", "?", "#", "@",
    "#ondine", "@ondine", "conn*", "co*", "colo?r", "??", "réseau", "ÉLYSÉE", "l'opérateur",
    "e-commerce", "🎉", "☀️", "&&", "||", "~", "{", "}", "-", "https://x.fr", "www.", "\x00",
    "\u0301", "Σ", "\t", " ", "  ", "\n",
]  # fmt: skip
_QUERY_TEXT = st.lists(st.one_of(st.sampled_from(_SYNTAX), st.text(max_size=3)), max_size=14).map(
    lambda parts: "".join(p if i % 3 == 0 else f" {p}" for i, p in enumerate(parts))
)


@settings(max_examples=400, deadline=None)
@given(_QUERY_TEXT)
def test_parse_and_check_never_fail_with_anything_but_a_query_error(query: str) -> None:
    problems = []
    try:
        parse(query)
    except QueryError as error:
        problems = error.problems
        failed = True
    else:
        failed = False
    assert bool(problems) is failed
    for problem in problems:
        assert 0 <= problem.start < problem.end
        assert problem.message
        assert problem.hint
    checked = check(query)
    assert checked.ok or checked.problems


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_text_gives_a_tree_or_positioned_problems(query: str) -> None:
    checked = check(query)
    if checked.node is None:
        assert checked.problems
        assert all(p.start <= max(len(query), 1) for p in checked.problems)


# --- The matcher agrees with the reference evaluator ----------------------------------------

_TERMS = [
    "ondine", "fibre", "box", "panne", "reseau", "réseau", "Élysée", "client", '"service client"',
    '"ondine fibre"', '"l\'opérateur"', "e-commerce", "#ondine", "@ondine", "#fibre", "connect*",
    "fib*", '"service conn*"', "colo?r", "b?x", "?box", '"colo?r rouge"', '"conn* client"', "🎉",
    "5g", "@bob",
]  # fmt: skip
_FIELDS = [
    "lang:fr", "lang:en", "platform:mastodon", "platform:rss", "author:bob", "author:alice",
    'author:"Bob Martin"', "site:x.fr", "site:example.com",
]  # fmt: skip
_SCOPED = [
    "title:fibre", 'title:"la box"', "title:conn*", "raw:Ondine", "raw:ondine", "raw:Élysée",
    "raw:Colo?r", 'raw:"Service Client"', "title:(fibre NEAR/1 box)", "raw:(Ondine NEAR/2f box)",
]  # fmt: skip


def _near_side() -> st.SearchStrategy[str]:
    single = st.sampled_from(_TERMS)
    group = st.lists(single, min_size=2, max_size=3).map(lambda ts: "(" + " OR ".join(ts) + ")")
    return st.one_of(single, group)


_NEAR = st.builds(
    lambda left, n, ordered, right: f"({left} NEAR/{n}{'f' if ordered else ''} {right})",
    _near_side(),
    st.integers(0, 3),
    st.booleans(),
    _near_side(),
)
_ATOM = st.one_of(
    st.sampled_from(_TERMS), st.sampled_from(_FIELDS), st.sampled_from(_SCOPED), _NEAR
)
_QUERY = st.recursive(
    _ATOM,
    lambda inner: st.one_of(
        st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
        st.builds(lambda a, b: f"({a} {b})", inner, inner),
        st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
        st.builds(lambda a, b: f"({a} NOT {b})", inner, inner),
        st.builds(lambda a: f"(NOT {a})", inner),
    ),
    max_leaves=6,
)

_WORDS = [
    "ondine", "Ondine", "ONDINE", "#ondine", "#Ondine", "@ondine", "ondines", "fibre", "Fibre",
    "#fibre", "box", "bx", "boox", "panne", "réseau", "reseau", "RÉSEAU", "l'opérateur",
    "l’Opérateur", "opérateur", "Élysée", "elysee", "client", "service", "Service", "connect",
    "connexion", "connecté", "color", "colour", "colr", "rouge", "e-commerce", "ecommerce",
    "5G", "5G+", "🎉", "😡👍", "☀️", "@bob", "@bob@mastodon.social", "la", "le", "x",
]  # fmt: skip
_GLUE = [" ", " ", " ", ", ", ". ", "! ", " - ", "\n", "'", "…", "  ", "/", ""]
_TEXT = st.lists(st.tuples(st.sampled_from(_WORDS), st.sampled_from(_GLUE)), max_size=12).map(
    lambda pairs: "".join(word + glue for word, glue in pairs)
)
_POST = st.builds(
    lambda text, title, extra: MatchPost(id="p", text=text, title=title, **extra),
    st.one_of(_TEXT, st.just("")),
    st.one_of(st.none(), _TEXT),
    st.fixed_dictionaries(
        {
            "lang": st.sampled_from([None, "fr", "en", "FR", "fr-CA", "en_GB", "de"]),
            "platform": st.sampled_from([None, "mastodon", "Mastodon", "rss", "bluesky"]),
            "author": st.sampled_from([None, "bob", "@Bob@mastodon.social", "@alice", "carol"]),
            "author_name": st.sampled_from([None, "Bob Martin", "Alice"]),
            "url": st.sampled_from(
                [None, "https://www.x.fr/a", "https://news.example.com/p?q=1", "http://y.org"]
            ),
            "hashtags": st.sampled_from([(), ("ondine",), ("#Fibre", "box")]),
        }
    ),
)


def _node(query: str) -> Any:
    try:
        return parse(query)
    except QueryError:
        assume(False)
        raise


_ENGINES = [
    "aho-corasick",
    pytest.param(
        "hyperscan",
        marks=pytest.mark.skipif(automaton.hyperscan is None, reason="Hyperscan is not installed"),
    ),
]


@pytest.mark.parametrize("engine", _ENGINES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_QUERY, min_size=1, max_size=6), st.lists(_POST, min_size=1, max_size=10))
def test_the_compiled_matcher_agrees_with_the_reference_evaluator(
    engine: Engine, queries: list[str], posts: list[MatchPost]
) -> None:
    topics = [(index, _node(query)) for index, query in enumerate(queries)]
    matcher = compile_topics(topics, engine)
    expected = [[key for key, node in topics if matches(node, post)] for post in posts]
    assert matcher.match(posts) == expected
    # Again: after a batch where most posts were candidates, the matcher scans in one pass.
    assert matcher.match(posts) == expected
