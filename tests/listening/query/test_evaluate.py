from __future__ import annotations

from typing import Any

import pytest

from sbu.listening.query.evaluate import evaluate, matches, phrase_spans, word_matches
from sbu.listening.query.lint import check
from sbu.listening.query.nodes import Phrase, Scope, Word, WordKind
from sbu.listening.query.normalize import match_text, words
from sbu.listening.query.parser import parse
from sbu.listening.query.posts import MatchPost, PostView
from tests.listening.query.query_doc import tables


def hit(query: str, text: str, **attributes: Any) -> bool:
    return matches(parse(query), MatchPost("p1", text, **attributes))


Case = tuple[str, str, bool]


def check_cases(cases: list[Case]) -> None:
    wrong = [(q, t, want) for q, t, want in cases if hit(q, t) is not want]
    assert not wrong, wrong


# --- Words ----------------------------------------------------------------------------------


def test_case_and_accents_are_ignored_by_default() -> None:
    check_cases(
        [
            ("reseau", "Le réseau est lent", True),
            ("réseau", "LE RESEAU EST LENT", True),
            ("Élysée", "rendez-vous à l'elysee", True),
            ("elysee", "L'ÉLYSÉE", True),
            ("coeur", "Œuvre de cœur", True),
            ("strasse", "Hauptstraße", False),  # one word: hauptstrasse
            ("hauptstrasse", "Hauptstraße", True),
        ]
    )


def test_words_match_whole_words_only() -> None:
    check_cases(
        [
            ("ondine", "Ondine répond", True),
            ("ondine", "les ondines du lac", False),
            ("ondine", "ondinetelecom", False),
            ("ondine", "ondine_telecom", False),
            ("ondine", "ondine-telecom", True),
            ("ondine", "ondine.fr/promo", True),
            ("5g", "la 5G arrive", True),
            ("5g", "la 5G+ arrive", True),
            ("5g", "le 45g", False),
        ]
    )


def test_french_elisions_and_apostrophes_separate_words() -> None:
    check_cases(
        [
            ("opérateur", "l'opérateur ne répond pas", True),
            ("operateur", "L’Opérateur", True),
            ("ondine", "d'Ondine", True),
            ("l'opérateur", "l'opérateur", True),
            ("l'opérateur", "l opérateur", True),
            ("l'opérateur", "opérateur l", False),
            ("hui", "aujourd'hui", True),
        ]
    )


def test_hashtags_and_mentions() -> None:
    check_cases(
        [
            ("ondine", "merci #Ondine", True),
            ("ondine", "merci @Ondine", True),
            ("#ondine", "merci #ondine", True),
            ("#ondine", "merci ondine", False),
            ("#ondine", "merci @ondine", False),
            ("@ondine", "merci @Ondine", True),
            ("@ondine", "merci ondine", False),
            ("@ondine", "merci #ondine", False),
            ("@ondine", "cc @ondine@mastodon.social", True),
            ("@ondine@mastodon.social", "cc @ondine@mastodon.social", True),
            ("@ondine@mastodon.social", "cc @ondine", True),  # instances are not compared
            ("ondine", "#OndineTelecom", False),
            ("ondine*", "#OndineTelecom", True),
            ("#ondine*", "#OndineTelecom", True),
            ('"service client"', "#service client", True),  # the first word may be a tag
            ('"service client"', "service #client", False),  # the others may not
            ('"#service client"', "#service client", True),
            ('"#service client"', "service client", False),
        ]
    )


def test_hashtags_given_apart_by_the_platform_count_as_hashtags() -> None:
    post = MatchPost("p1", "Nouvelle offre", hashtags=("Fibre", "#ondine"))
    assert matches(parse("#fibre"), post)
    assert matches(parse("fibre"), post)
    assert matches(parse("#ondine"), post)


def test_words_inside_links_do_not_match() -> None:
    check_cases(
        [
            ("ondine", "voir https://ondine.fr/ondine/offres", False),
            ("offres", "voir www.ondine.fr/offres", False),
            ("ondine", "voir https://x.fr/ondine et Ondine", True),
        ]
    )


def test_emoji_are_words() -> None:
    check_cases(
        [
            ("🎉", "Bravo🎉🎉", True),
            ("bravo", "Bravo🎉", True),
            ('"bravo 🎉"', "bravo 🎉", True),
            ("🎉", "bravo 🎊", False),
            ("ondine 😡", "Ondine encore en panne 😡", True),
        ]
    )


def test_punctuation_is_ignored() -> None:
    check_cases(
        [
            ('"service client"', "service, client", True),
            ('"service client"', "service... client !", True),
            ('"service-client"', "service client", True),
            ('"service client"', "service (très) client", False),
        ]
    )


# --- Phrases and boolean operators ----------------------------------------------------------


def test_a_phrase_matches_consecutive_words_in_order() -> None:
    check_cases(
        [
            ('"service client"', "Le Service Client répond", True),
            ('"service client"', "client service", False),
            ('"service client"', "service du client", False),
            ('"le service client"', "le service client", True),
            ('"le service client"', "service client", False),
        ]
    )


def test_and_or_not_and_a_space() -> None:
    check_cases(
        [
            ("ondine fibre", "fibre Ondine", True),
            ("ondine fibre", "Ondine", False),
            ("ondine AND fibre", "fibre chez ondine", True),
            ("ondine AND fibre", "fibre", False),
            ("ondine OR fibre", "fibre", True),
            ("ondine OR fibre", "adsl", False),
            ("ondine NOT recrutement", "Ondine répond", True),
            ("ondine NOT recrutement", "Ondine: recrutement", False),
            ("ondine AND NOT recrutement", "Ondine: recrutement", False),
            ("NOT recrutement ondine", "ondine", True),
        ]
    )


def test_and_binds_tighter_than_or() -> None:
    # a OR b c  is  a OR (b AND c)
    check_cases(
        [
            ("ondine OR fibre panne", "ondine", True),
            ("ondine OR fibre panne", "fibre", False),
            ("ondine OR fibre panne", "fibre panne", True),
            ("(ondine OR fibre) panne", "ondine", False),
            ("(ondine OR fibre) panne", "fibre panne", True),
            ("ondine OR fibre NOT panne", "ondine panne", True),
            ("ondine OR fibre NOT panne", "fibre panne", False),
        ]
    )


# --- Wildcards ------------------------------------------------------------------------------


def test_trailing_wildcard_matches_words_starting_with_the_prefix() -> None:
    check_cases(
        [
            ("connect*", "connect", True),
            ("connect*", "Connexion connectée", True),
            ("connect*", "déconnecté", False),
            ("connect*", "con nect", False),
            ('"fibre opti*"', "la fibre optique", True),
            ('"fibr* optique"', "fibres optiques", False),
            ('"fibr* optique"', "fibres optique", True),
        ]
    )


def test_question_mark_is_zero_or_one_character() -> None:
    check_cases(
        [
            ("colo?r", "color", True),
            ("colo?r", "colour", True),
            ("colo?r", "colouur", False),
            ("colo?r", "colr", False),
            ("wom?n", "woman women", True),
            ("wom?n", "womn", True),
            ("?ondine", "xondine", True),
            ("?ondine", "ondine", True),
            ("colo?r*", "colourful", True),
            ("colo?r*", "colorless", True),
            ("colo?r*", "colo", False),
        ]
    )


# --- Proximity ------------------------------------------------------------------------------


def test_near_counts_the_words_between_in_either_order() -> None:
    check_cases(
        [
            ("fibre NEAR/2 panne", "fibre panne", True),
            ("fibre NEAR/2 panne", "panne de fibre", True),
            ("fibre NEAR/2 panne", "fibre en grosse panne", True),
            ("fibre NEAR/2 panne", "fibre encore en grosse panne", False),
            ("fibre NEAR/0 panne", "panne fibre", True),
            ("fibre NEAR/0 panne", "fibre x panne", False),
            ("fibre NEAR/3 panne", "fibre", False),
        ]
    )


def test_near_f_keeps_the_order() -> None:
    check_cases(
        [
            ("fibre NEAR/2f panne", "fibre en panne", True),
            ("fibre NEAR/2f panne", "panne de fibre", False),
            ("fibre NEAR/0f panne", "fibre panne", True),
        ]
    )


def test_near_sides_may_be_phrases_and_groups_of_alternatives() -> None:
    check_cases(
        [
            ('"service client" NEAR/3 (lent OR nul)', "le service client est nul", True),
            ('"service client" NEAR/3 (lent OR nul)', "lent, le service client", True),
            ('"service client" NEAR/3 (lent OR nul)', "le service est nul pour le client", False),
            ('"service client" NEAR/1f attente', "service client en attente", True),
            ("(fibre OR adsl) NEAR/1 (panne OR coupure)", "coupure adsl", True),
            ("(fibre OR adsl) NEAR/1 (panne OR coupure)", "coupure de la fibre", False),
        ]
    )


def test_near_sides_must_not_overlap() -> None:
    check_cases(
        [
            ("ondine NEAR/3 ondine", "ondine", False),
            ("ondine NEAR/3 ondine", "ondine et ondine", True),
            ('"ondine telecom" NEAR/2 telecom', "ondine telecom", False),
            ('"ondine telecom" NEAR/2 telecom', "ondine telecom le telecom", True),
            ("ondine* NEAR/0 ondines", "ondines", False),
        ]
    )


def test_near_uses_the_distance_to_the_closest_pair() -> None:
    text = "fibre a b c d e panne x fibre"
    assert hit("fibre NEAR/1 panne", text)
    assert not hit("fibre NEAR/1f panne", text)


# --- Fields ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "lang", "expected"),
    [
        ("lang:fr", "fr", True),
        ("lang:fr", "FR", True),
        ("lang:fr", "fr-CA", True),
        ("lang:fr", "fr_CA", True),
        ("lang:fr-ca", "fr-CA", True),
        ("lang:fr-ca", "fr", False),
        ("lang:fr", "fra", False),
        ("lang:fr", "en", False),
        ("lang:fr", None, False),
    ],
)
def test_lang_matches_the_language_and_its_regional_variants(
    query: str, lang: str | None, expected: bool
) -> None:
    assert hit(query, "texte", lang=lang) is expected


@pytest.mark.parametrize(
    ("query", "platform", "expected"),
    [
        ("platform:mastodon", "mastodon", True),
        ("platform:mastodon", "Mastodon", True),
        ("platform:mastodon", "bluesky", False),
        ("platform:mastodon", None, False),
    ],
)
def test_platform_matches_the_platform_key(
    query: str, platform: str | None, expected: bool
) -> None:
    assert hit(query, "texte", platform=platform) is expected


@pytest.mark.parametrize(
    ("query", "author", "name", "expected"),
    [
        ("author:bob", "bob", None, True),
        ("author:@bob", "bob", None, True),
        ("author:bob", "@Bob@mastodon.social", None, True),
        ("author:bob@mastodon.social", "@bob@mastodon.social", None, True),
        ("author:bob@mastodon.social", "@bob@piaille.fr", None, False),
        ("author:bob", "bobby", None, False),
        ('author:"Ondine Télécom"', "ondine_telecom", "Ondine  Télécom", True),
        ('author:"ondine telecom"', "ondine_telecom", "Ondine Télécom", True),
        ("author:ondine", "ondine_telecom", "Ondine Télécom", False),
        ("author:ondine_telecom", "ondine_telecom", "Ondine Télécom", True),
        ("author:bob", None, None, False),
    ],
)
def test_author_matches_the_handle_or_the_display_name(
    query: str, author: str | None, name: str | None, expected: bool
) -> None:
    assert hit(query, "texte", author=author, author_name=name) is expected


@pytest.mark.parametrize(
    ("query", "text", "url", "expected"),
    [
        ("site:ondine.fr", "x", "https://ondine.fr/offres", True),
        ("site:ondine.fr", "x", "https://www.ondine.fr/offres", True),
        ("site:ondine.fr", "x", "https://boutique.ondine.fr/", True),
        ("site:www.ondine.fr", "x", "https://ondine.fr/", True),
        ("site:boutique.ondine.fr", "x", "https://ondine.fr/", False),
        ("site:ondine.fr", "x", "https://notondine.fr/", False),
        ("site:ondine.fr", "x", "https://ondine.fr.evil.com/", False),
        ("site:ondine.fr", "lisez https://ondine.fr/a.", None, True),
        ("site:ondine.fr", "lisez (www.ondine.fr/a)", None, True),
        ("site:ondine.fr", "lisez ondine.fr", None, False),  # no scheme, no www: just words
        ("site:ondine.fr", "x", None, False),
    ],
)
def test_site_matches_the_post_url_and_the_links_in_its_text_with_subdomains(
    query: str, text: str, url: str | None, expected: bool
) -> None:
    assert hit(query, text, url=url) is expected


def test_fields_combine_with_words() -> None:
    post = MatchPost("p1", "Panne fibre", lang="fr", platform="mastodon")
    assert matches(parse("panne lang:fr"), post)
    assert not matches(parse("panne NOT lang:fr"), post)
    assert matches(parse("panne (platform:bluesky OR platform:mastodon)"), post)


# --- Scopes ---------------------------------------------------------------------------------


def test_title_looks_in_the_title_only() -> None:
    post = MatchPost("p1", "La fibre arrive", title="Panne géante")
    assert matches(parse("title:panne"), post)
    assert matches(parse("panne"), post)  # the default looks in title and text
    assert not matches(parse("title:fibre"), post)
    assert matches(parse('title:"panne geante"'), post)
    assert matches(parse("title:(panne NEAR/1 géante)"), post)
    assert not matches(parse("title:panne"), MatchPost("p2", "panne"))


def test_raw_is_case_and_accent_sensitive() -> None:
    check_cases(
        [
            ("raw:Orange", "Orange lance une offre", True),
            ("raw:Orange", "une orange pressée", False),
            ("raw:Orange", "ORANGE", False),
            ("raw:Réseau", "Réseau", True),
            ("raw:Réseau", "Reseau", False),
            ("raw:#Orange", "#Orange", True),
            ("raw:#Orange", "#orange", False),
            ('raw:"Apple Store"', "l'Apple Store", True),
            ('raw:"Apple Store"', "l'Apple store", False),
            ("raw:(Orange NEAR/2 Bouygues)", "Orange et Bouygues", True),
            ("raw:(Orange NEAR/2 Bouygues)", "orange et Bouygues", False),
        ]
    )


def test_raw_reads_the_title_too() -> None:
    assert matches(parse("raw:Panne"), MatchPost("p1", "texte", title="Panne"))


# --- Building blocks ------------------------------------------------------------------------


def test_word_matches_strips_a_sign_only_for_the_first_word() -> None:
    assert word_matches(Word("ondine"), "#ondine", first=True)
    assert not word_matches(Word("ondine"), "#ondine", first=False)
    assert word_matches(Word("ondine", WordKind.HASHTAG), "#ondine", first=False)
    assert not word_matches(Word("ondine", WordKind.HASHTAG), "ondine", first=True)
    assert not word_matches(Word("ondine"), "#", first=True)


def test_phrase_spans_gives_every_occurrence() -> None:
    phrase = Phrase((Word("a"), Word("b")), Scope.TEXT, (0, 1))
    assert list(phrase_spans(phrase, words("a b x a b a"))) == [(0, 1), (3, 4)]
    assert list(phrase_spans(phrase, [])) == []


def test_evaluate_reads_a_view_built_once() -> None:
    view = PostView(MatchPost("p1", "Ondine #fibre", lang="fr"))
    assert evaluate(parse("ondine fibre lang:fr"), view)
    assert not evaluate(parse("ondine NOT #fibre"), view)


# --- The examples of docs/listening/query-language.md ---------------------------------------

_ATTRIBUTES = {
    "Title": "title",
    "Language": "lang",
    "Platform": "platform",
    "Author": "author",
    "Display name": "author_name",
    "Post link": "url",
}
DOC_EXAMPLES = [row for table in tables("Query") if "Matches" in table[0] for row in table]


def test_the_doc_has_examples_for_every_feature() -> None:
    queries = " ".join(row["Query"] for row in DOC_EXAMPLES)
    for feature in ("NEAR/", "NEAR/2f", '"', " OR ", " NOT ", "*", "?", "#", "@", "(", "lang:",
                    "platform:", "author:", "site:", "title:", "raw:"):  # fmt: skip
        assert feature in queries, feature
    assert {row["Matches"] for row in DOC_EXAMPLES} == {"yes", "no"}


@pytest.mark.parametrize(
    "row", DOC_EXAMPLES, ids=[f"{r['Query']} ~ {r['Post']}" for r in DOC_EXAMPLES]
)
def test_each_example_of_the_doc_matches_as_documented(row: dict[str, str]) -> None:
    checked = check(row["Query"])
    assert checked.ok, [p.describe(row["Query"]) for p in checked.problems]
    assert checked.node is not None
    attributes: dict[str, Any] = {
        name: row[column] or None for column, name in _ATTRIBUTES.items() if column in row
    }
    post = MatchPost("doc", row["Post"], **attributes)
    assert matches(checked.node, post) is (row["Matches"] == "yes")


WORD_ROWS = [row for table in tables("Post text") for row in table]


@pytest.mark.parametrize("row", WORD_ROWS, ids=[r["Post text"] for r in WORD_ROWS])
def test_the_doc_says_which_words_sbu_sees(row: dict[str, str]) -> None:
    assert match_text(row["Post text"]) == row["Words"]


def test_raw_takes_wildcards_with_their_case() -> None:
    check_cases(
        [
            ("raw:Orang*", "Orange Business", True),
            ("raw:Orang*", "orange pressée", False),
            ("raw:Colo?r", "Colour", True),
        ]
    )


def test_the_title_is_read_before_the_text() -> None:
    post = MatchPost("p1", "panne depuis ce matin", title="Ondine fibre")
    assert matches(parse("fibre NEAR/0f panne"), post)
    assert not matches(parse("panne NEAR/0f fibre"), post)
