from __future__ import annotations

import re

import pytest

from sbu.listening.query.nodes import Phrase
from sbu.listening.query.parser import parse
from sbu.listening.query.plan import (
    FieldLeaf,
    Leaves,
    NearLeaf,
    PhraseLeaf,
    compile_programs,
    phrase_leaf,
    phrase_pattern,
    plan_topic,
)


def leaf_of(term: str) -> PhraseLeaf:
    node = parse(term)
    assert isinstance(node, Phrase)
    return phrase_leaf(node)


@pytest.mark.parametrize(
    ("term", "strings"),
    [
        ("ondine", (" ondine ", " #ondine ", " @ondine ")),
        ("#ondine", (" #ondine ",)),
        ("@ondine", (" @ondine ",)),
        ("connect*", (" connect", " #connect", " @connect")),
        ('"service client"', (" service client ", " #service client ", " @service client ")),
        ('"ondine #fibre"', (" ondine #fibre ", " #ondine #fibre ", " @ondine #fibre ")),
        ("l'opérateur", (" l operateur ", " #l operateur ", " @l operateur ")),
    ],
)
def test_literal_phrases_are_found_exactly_as_strings(term: str, strings: tuple[str, ...]) -> None:
    leaf = leaf_of(term)
    assert leaf.pattern is None  # a string found is a match
    assert leaf.strings == strings


@pytest.mark.parametrize(
    ("term", "fragments"),
    [
        ("colo?r", (" colo", " #colo", " @colo")),  # at the start of the word: after a space
        ("#colo?r", (" #colo",)),
        ('"colo?r rouge"', (" rouge ",)),  # a whole word is longer
        ('"conn* client"', (" client ",)),
        ("?ondine", ("ondine",)),  # no letter known at the start: inside the word
    ],
)
def test_wildcards_are_found_by_a_fragment_every_match_holds(
    term: str, fragments: tuple[str, ...]
) -> None:
    leaf = leaf_of(term)
    assert leaf.pattern is not None  # a string found is only a fragment
    assert leaf.strings == fragments


def test_topics_share_their_leaves() -> None:
    leaves = Leaves()
    first = plan_topic(parse("ondine AND lang:fr"), leaves)
    second = plan_topic(parse("(fibre OR ondine) AND lang:fr"), leaves)
    assert len(leaves.items) == 3  # ondine, lang:fr, fibre
    assert set(first.args) < set(second.args)
    assert FieldLeaf.__name__ in {type(item).__name__ for item in leaves.items}


@pytest.mark.parametrize(
    ("query", "trigger_words"),
    [
        ("ondine", {"ondine"}),
        ("ondine OR fibre", {"ondine", "fibre"}),
        ("ondine AND lang:fr", {"ondine"}),  # a phrase is rarer than a language
        ("tout AND ondine", {"ondine"}),  # a common word is not rare
        ('box AND "ondine telecom"', {"ondine telecom"}),
        ("ondine NOT fibre", {"ondine"}),
        ("ondine NEAR/3 fibre", None),  # either side: any one of them will do
        ("NOT ondine", set()),
        ("ondine OR NOT fibre", set()),
    ],
)
def test_triggers_are_the_rarest_side_of_and_and_every_side_of_or(
    query: str, trigger_words: set[str] | None
) -> None:
    leaves = Leaves()
    plan = plan_topic(parse(query), leaves)
    if trigger_words == set():
        assert plan.triggers is None
        return
    assert plan.triggers is not None
    words = set()
    for number in plan.triggers:
        item = leaves.items[number]
        assert isinstance(item, PhraseLeaf)
        words.add(item.strings[0].strip())
    if trigger_words is None:
        assert words in ({"ondine"}, {"fibre"})
    else:
        assert words == trigger_words


@pytest.mark.parametrize(
    ("term", "text", "found"),
    [
        ("colo?r", "la colour et le color", True),
        ("colo?r", "colr coloouur", False),
        ("colo?r", "#colour", True),  # a plain first word may carry a sign
        ("#colo?r", "colour", False),
        ("?olor", "#olor", True),
        ('"colo?r rouge"', "colour rouge", True),
        ('"colo?r rouge"', "colour #rouge", False),  # only the first word carries a sign
        ('"conn* client"', "service connexion client", True),
        ('"conn* client"', "deconnexion client", False),
        ("raw:Colo?r", "Colour", True),
        ("raw:Colo?r", "colour", False),
        ("caf?", "café", True),  # ? is one character, not one byte
    ],
)
def test_a_phrase_pattern_finds_the_phrase_as_the_reference_does(
    term: str, text: str, found: bool
) -> None:
    node = parse(term)
    assert isinstance(node, Phrase)
    assert (re.search(phrase_pattern(node.words), text) is not None) is found


def test_a_near_is_a_leaf_of_the_leaves_of_its_sides() -> None:
    leaves = Leaves()
    plan_topic(parse("ondine NEAR/2f (panne OR coupure)"), leaves)
    plan_topic(parse("colo?r NEAR/2 box"), leaves)
    nears = [item for item in leaves.items if isinstance(item, NearLeaf)]
    assert [(len(n.left), len(n.right), n.distance, n.ordered) for n in nears] == [
        (1, 2, 2, True),
        (1, 1, 2, False),
    ]
    sides = [leaves.items[nears[1].left[0]], leaves.items[nears[1].right[0]]]
    assert [isinstance(side, PhraseLeaf) and side.pattern is not None for side in sides] == [
        True,
        False,
    ]


def test_a_program_evaluates_every_topic_of_a_shape_over_masks() -> None:
    leaves = Leaves()
    plans = [plan_topic(parse(q), leaves) for q in ("ondine NOT fibre", "box NOT panne")]
    assert plans[0].source == plans[1].source  # one shape, two topics
    programs = compile_programs([plan.source for plan in plans])
    assert len(programs) == 1
    masks = [0] * len(leaves.items)
    number = {
        item.strings[0].strip(): i
        for i, item in enumerate(leaves.items)
        if isinstance(item, PhraseLeaf)
    }
    masks[number["ondine"]] = 0b0111
    masks[number["fibre"]] = 0b0010
    masks[number["box"]] = 0b1100
    program = programs[plans[0].source]
    assert program(masks, 0b1111, [plans[0].args, plans[1].args]) == [0b0101, 0b1100]


def test_program_source_holds_no_query_text() -> None:
    plan = plan_topic(parse('"__import__" AND os NOT lang:fr'), Leaves())
    assert "__import__" not in plan.source
    assert "os" not in plan.source.replace("lambda", "")
