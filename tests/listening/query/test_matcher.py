from __future__ import annotations

from typing import Any

import pytest

from sbu.listening.query.evaluate import matches
from sbu.listening.query.lint import check
from sbu.listening.query.matcher import BATCH_SIZE, compile_topics
from sbu.listening.query.nodes import Node
from sbu.listening.query.parser import parse
from sbu.listening.query.posts import MatchPost
from tests.listening.query.query_doc import tables


def post(text: str, **attributes: Any) -> MatchPost:
    return MatchPost(id=text[:20], text=text, **attributes)


def matched(queries: list[str], posts: list[MatchPost]) -> list[list[str]]:
    """The queries each post matches, by the compiled matcher (checked against the reference)."""
    topics: list[tuple[str, Node]] = [(query, parse(query)) for query in queries]
    found = compile_topics(topics).match(posts)
    assert found == [[q for q, node in topics if matches(node, p)] for p in posts]
    return found


def which(query: str, texts: list[str], **attributes: Any) -> list[bool]:
    """For each text, does the query match it?"""
    return [bool(keys) for keys in matched([query], [post(t, **attributes) for t in texts])]


def test_words_match_on_word_boundaries_whatever_the_case_and_accents() -> None:
    texts = ["Ondine répond", "les ondines du lac", "ondinetelecom", "ondine-telecom", "ONDINE."]
    assert which("ondine", texts) == [True, False, False, True, True]
    assert which("réseau", ["le RESEAU", "réseaux", "l'élysée et le réseau"]) == [True, False, True]


def test_a_word_finds_its_hashtag_and_mention_but_a_hashtag_only_itself() -> None:
    texts = ["merci #Ondine", "merci @ondine", "merci ondine", "merci a#ondine"]
    assert which("ondine", texts) == [True, True, True, False]
    assert which("#ondine", texts) == [True, False, False, False]
    assert which("@ondine", texts) == [False, True, False, False]
    # Only the first word of a phrase finds its hashtag.
    assert which('"ondine fibre"', ["#ondine fibre", "ondine #fibre"]) == [True, False]
    assert which("#fibre", ["rien"], hashtags=("Fibre",)) == [True]


def test_a_trailing_wildcard_matches_the_start_of_words() -> None:
    texts = ["Connecté !", "connection", "connexion", "#connecter", "deconnecte"]
    assert which("connect*", texts) == [True, True, False, True, False]
    assert which('"service conn*"', ["Service connexion", "service", "service xconn"]) == [
        True,
        False,
        False,
    ]


def test_a_question_mark_stands_for_zero_or_one_character() -> None:
    texts = ["color", "colour", "colr", "colouur", "watercolor"]
    assert which("colo?r", texts) == [True, True, False, False, False]
    assert which('"colo?r rouge"', ["Colour rouge", "colour vert rouge"]) == [True, False]


def test_phrases_match_consecutive_words_across_punctuation() -> None:
    texts = ["Service-Client", "service, client", "client service", "service du client"]
    assert which('"service client"', texts) == [True, True, False, False]
    assert which("l'opérateur", ["L’Opérateur", "l operateur", "opérateur l"]) == [
        True,
        True,
        False,
    ]


def test_near_in_either_order_and_in_order() -> None:
    texts = [
        "panne chez ondine",  # 1 word between, panne first
        "ondine a une grosse panne",  # 3 words between
        "ondine panne",  # adjacent
        "ondine seule",
    ]
    assert which("ondine NEAR/2 panne", texts) == [True, False, True, False]
    assert which("ondine NEAR/2f panne", texts) == [False, False, True, False]
    assert which("ondine NEAR/3f (panne OR coupure)", texts) == [False, True, True, False]
    assert which('"ondine telecom" NEAR/1 "service client"', ["service client ondine telecom"]) == [
        True
    ]


def test_near_with_a_wildcard_is_decided_word_by_word() -> None:
    texts = ["colour de la box", "box colr", "box et le colour"]
    assert which("colo?r NEAR/2 box", texts) == [True, False, True]
    assert which("colo?r NEAR/2f box", texts) == [True, False, False]


def test_not_excludes_also_with_wildcards_inside() -> None:
    texts = ["ondine colour", "ondine couleur", "ondine color rouge", "couleur"]
    assert which("ondine NOT colo?r", texts) == [False, True, False, False]
    assert which("ondine NOT (colo?r NEAR/0 rouge)", texts) == [True, True, False, False]


def test_fields_filter_on_the_post_attributes() -> None:
    posts = [
        post("ondine", lang="fr-CA", platform="Mastodon", author="@Bob@mastodon.social"),
        post("ondine", lang="en", platform="rss", url="https://news.example.com/a"),
        post("ondine voir https://www.shop.x.fr/promo", author_name="Bob Martin"),
    ]
    found = matched(
        [
            "ondine AND lang:fr",
            "ondine AND platform:mastodon",
            "ondine AND author:bob",
            'ondine AND author:"bob martin"',
            "ondine AND site:example.com",
            "ondine AND site:x.fr",
            "ondine NOT lang:en",
        ],
        posts,
    )
    assert found == [
        ["ondine AND lang:fr", "ondine AND platform:mastodon", "ondine AND author:bob",
         "ondine NOT lang:en"],
        ["ondine AND site:example.com"],
        ['ondine AND author:"bob martin"', "ondine AND site:x.fr", "ondine NOT lang:en"],
    ]  # fmt: skip


def test_title_looks_in_the_title_only_and_raw_keeps_case_and_accents() -> None:
    posts = [post("la fibre arrive", title="Ondine"), post("Ondine", title="Fibre et box")]
    assert matched(["title:fibre", "fibre", "title:(fibre NEAR/1 box)"], posts) == [
        ["fibre"],
        ["title:fibre", "fibre", "title:(fibre NEAR/1 box)"],
    ]
    texts = ["Ondine", "ondine", "ONDINE", "Élysée", "Elysee"]
    assert which("raw:Ondine", texts) == [True, False, False, False, False]
    assert which("raw:Élysée", texts) == [False, False, False, True, False]


def test_many_topics_sharing_words_each_get_their_own_answer() -> None:
    words = [f"mot{i}" for i in range(60)]
    queries = [f"ondine AND {w} NOT stop" for w in words] + ['"ondine mot7"', "ondine"]
    posts = [post("Ondine mot7 et mot12"), post("ondine mot12 stop"), post("mot7 seul")]
    assert matched(queries, posts) == [
        ["ondine AND mot7 NOT stop", "ondine AND mot12 NOT stop", '"ondine mot7"', "ondine"],
        ["ondine"],
        [],
    ]


def test_keys_come_back_in_compile_order() -> None:
    queries = ["zeta", "alpha", "ondine", "beta"]
    assert matched(queries, [post("beta ondine alpha zeta")]) == [queries]


def test_an_empty_batch_and_an_empty_matcher() -> None:
    matcher = compile_topics([("a", parse("ondine"))])
    assert matcher.match([]) == []
    assert compile_topics([]).match([post("ondine"), post("x")]) == [[], []]


def test_the_post_separator_inside_a_text_is_a_space() -> None:
    texts = ["ondine\x00fibre", "\x00ondine", "a\x00\x00b"]
    assert which('"ondine fibre"', texts) == [True, False, False]
    assert which("ondine", texts) == [True, True, False]


def test_texts_read_in_context_give_the_same_answers() -> None:
    # A combining accent, a capital sigma, a handle followed by a letter outside ASCII.
    texts = ["cafe\u0301 ouvert", "ΟΔΟΣ ondine", "@bob@инстанс.рф ondine", "@josé ondine"]
    assert which("café", texts) == [True, False, False, False]
    assert which("ondine", texts) == [False, True, True, True]
    assert which("@jose", texts) == [False, False, False, True]


def test_a_batch_gives_what_posts_one_by_one_give() -> None:
    queries = ["ondine", "ondine NEAR/1 panne", "colo?r", "fibre AND lang:fr", "NOT ondine"]
    texts = ["ondine panne", "fibre", "colour", "rien", "ondine", "panne grosse ondine"]
    posts = [post(t, lang=("fr" if i % 2 else "en")) for i, t in enumerate(texts * 400)]
    matcher = compile_topics([(q, parse(q)) for q in queries])
    assert len(posts) > BATCH_SIZE  # the matcher splits them
    together = matcher.match(posts)
    assert together == [matcher.match_one(p) for p in posts]
    assert together[:6] == [
        ["ondine", "ondine NEAR/1 panne"],
        ["fibre AND lang:fr", "NOT ondine"],
        ["colo?r", "NOT ondine"],
        ["NOT ondine"],
        ["ondine"],
        ["ondine", "ondine NEAR/1 panne"],
    ]


def test_batches_where_most_posts_are_candidates_give_the_same_answers() -> None:
    queries = ["ondine AND fibre", "ondine NEAR/1 panne", "ondine NOT box", "colo?r"]
    matcher = compile_topics([(q, parse(q)) for q in queries])
    brand = [post(t) for t in ("ondine fibre", "ondine box", "panne ondine", "ondine colour")]
    other = [post(t) for t in ("fibre seule", "colour", "rien", "ondine panne fibre")]
    expected_brand = [
        ["ondine AND fibre", "ondine NOT box"],
        [],
        ["ondine NEAR/1 panne", "ondine NOT box"],
        ["ondine NOT box", "colo?r"],
    ]
    expected_other = [[], ["colo?r"], [],
                      ["ondine AND fibre", "ondine NEAR/1 panne", "ondine NOT box"]]  # fmt: skip
    for _ in range(2):  # the second time, a batch after a dense one: scanned in one pass
        assert matcher.match(brand) == expected_brand
        assert matcher.match(other) == expected_other


_ATTRIBUTES = {"Title": "title", "Language": "lang", "Platform": "platform", "Author": "author",
               "Display name": "author_name", "Post link": "url"}  # fmt: skip
DOC_EXAMPLES = [row for table in tables("Query") if "Matches" in table[0] for row in table]


@pytest.mark.skipif(not DOC_EXAMPLES, reason="the query language doc has no example tables")
def test_every_example_of_the_query_language_doc_in_one_matcher() -> None:
    topics: list[tuple[int, Node]] = []
    posts: list[MatchPost] = []
    for number, row in enumerate(DOC_EXAMPLES):
        checked = check(row["Query"])
        assert checked.node is not None, row["Query"]
        topics.append((number, checked.node))
        attributes = {name: row[col] or None for col, name in _ATTRIBUTES.items() if col in row}
        posts.append(MatchPost(str(number), row["Post"], **attributes))
    found = compile_topics(topics).match(posts)
    for number, row in enumerate(DOC_EXAMPLES):
        assert (number in found[number]) is (row["Matches"] == "yes"), row
