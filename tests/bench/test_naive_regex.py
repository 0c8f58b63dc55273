"""The naive baseline of bench/match.py (one regular expression per topic) must mean what the
reference evaluator means, or its speed would be compared with a different job."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbu.listening.query.evaluate import matches
from sbu.listening.query.parser import parse
from sbu.listening.query.posts import MatchPost
from tests.listening.query.test_properties import _POST, _QUERY, _node

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
naive_regex = pytest.importorskip("naive_regex")


def _regex_says(query: str, post: MatchPost) -> bool:
    pattern = naive_regex.compile_topic(parse(query))
    return naive_regex.matches(pattern, naive_regex.document(post))


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("fibre", "La fibre est là", True),
        ("fibre", "Les fibres", False),
        ("fib*", "Les fibres", True),
        ("colo?r", "colour", True),
        ("colo?r", "colouur", False),
        ("ondine", "vive #Ondine", True),
        ("#ondine", "vive @ondine", False),
        ('"service client"', "le service, client", True),
        ('"service client"', "service du client", False),
        ("ondine NEAR/1 panne", "panne chez ma box ondine", False),
        ("ondine NEAR/2 panne", "panne chez ma box ondine", False),
        ("ondine NEAR/3 panne", "panne chez ma box ondine", True),
        ("ondine NEAR/3f panne", "panne chez ma box ondine", False),
        ("ondine AND NOT panne", "ondine est en panne", False),
        ("ondine NOT panne", "ondine marche", True),
        ("ondine AND lang:fr", "ondine", True),
        ("ondine AND lang:en", "ondine", False),
        ("site:x.fr", "voir https://www.x.fr/a", True),
        ("raw:Ondine", "ondine", False),
        ("title:ondine", "ondine", False),
    ],
)
def test_examples(query: str, text: str, expected: bool) -> None:
    post = MatchPost(id="p", text=text, lang="fr-FR")
    assert matches(parse(query), post) is expected
    assert _regex_says(query, post) is expected


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_QUERY, st.lists(_POST, min_size=1, max_size=8))
def test_the_regex_baseline_agrees_with_the_reference_evaluator(
    query: str, posts: list[MatchPost]
) -> None:
    node = _node(query)
    pattern = naive_regex.compile_topic(node)
    for post in posts:
        assert naive_regex.matches(pattern, naive_regex.document(post)) is matches(node, post)
