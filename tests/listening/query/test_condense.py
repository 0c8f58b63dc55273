"""Condensed match text: runs of words no query word matches are shortened, and the reference
evaluator answers the same on the condensed text as on the whole text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sbu.listening.query import MatchPost, PostView, QueryError, evaluate
from sbu.listening.query.condense import PLACEHOLDER, Condenser
from sbu.listening.query.normalize import match_text
from sbu.listening.query.parser import parse
from tests.listening.search_corpus import WORDS, queries


def test_words_no_query_word_matches_become_placeholders() -> None:
    condenser = Condenser(parse('ondine AND "service client"'))
    text = match_text("Le service client d'Ondine a répondu vite et bien, merci #ondine")
    assert condenser.condense(text) == " ".join(
        ["\x00", "service", "client", "\x00", "ondine", "\x00", "#ondine"]
    )
    assert condenser.condense("") == ""


def test_runs_keep_one_more_word_than_the_largest_near_distance() -> None:
    condenser = Condenser(parse("a NEAR/2 b OR c NEAR/4f d"))
    assert condenser.gap == 5
    text = "a x x x x x x x b"
    assert condenser.condense(text) == "a " + " ".join([PLACEHOLDER] * 5) + " b"
    assert Condenser(parse("a")).gap == 1


def test_title_and_raw_words_are_not_looked_for_in_the_text() -> None:
    condenser = Condenser(parse("title:ondine OR raw:Fibre OR box"))
    assert condenser.condense("ondine fibre box") == f"{PLACEHOLDER} box"


def test_prefix_optional_hashtag_and_mention_words_are_kept() -> None:
    condenser = Condenser(parse("connect* OR colo?r OR #fibre OR @ondine"))
    text = "connexion connectivite colour color fibre #fibre ondine @ondine"
    assert condenser.condense(text) == (
        f"{PLACEHOLDER} connectivite colour color {PLACEHOLDER} #fibre {PLACEHOLDER} @ondine"
    )


_TEXTS = st.lists(
    st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(WORDS).map(lambda word: "#" + word),
        st.sampled_from(["x", "y", "z", "le", "la"]),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(query=queries(), text=_TEXTS, title=st.one_of(st.none(), _TEXTS))
def test_the_evaluator_answers_the_same_on_condensed_text(
    query: str, text: str, title: str | None
) -> None:
    try:
        node = parse(query)
    except QueryError:
        return
    post = MatchPost("1", text, title=title, lang="fr", url="https://ondine.fr/a")
    whole = PostView(post)
    condensed = PostView(post, text=Condenser(node).condense(" ".join(whole.words)))
    assert evaluate(node, condensed) == evaluate(node, whole)
