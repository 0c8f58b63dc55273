from __future__ import annotations

from sbu.listening.query.nodes import (
    And,
    Field,
    FieldName,
    Near,
    Not,
    Or,
    Phrase,
    Scope,
    Word,
    WordKind,
    fields_of,
    phrases_of,
)


def phrase(*texts: str, start: int = 0) -> Phrase:
    return Phrase(tuple(Word(t) for t in texts), Scope.TEXT, (start, start + 1))


def test_a_word_is_literal_without_wildcards() -> None:
    assert Word("ondine").literal
    assert not Word("connect", prefix=True).literal
    assert not Word("color", optional=(4,)).literal


def test_display_writes_the_word_back_with_its_sign_and_wildcards() -> None:
    assert Word("ondine").display() == "ondine"
    assert Word("ondine", WordKind.HASHTAG).display() == "#ondine"
    assert Word("ondine", WordKind.MENTION, prefix=True).display() == "@ondine*"
    assert Word("color", optional=(4,)).display() == "colo?r"
    assert Word("wom", optional=(0, 3)).display() == "?wom?"
    assert Word("colr", optional=(3, 3)).display() == "col??r"


def test_phrases_of_lists_every_phrase_in_query_order() -> None:
    a, b, c, d = phrase("a"), phrase("b"), phrase("c", "d"), phrase("d")
    lang = Field(FieldName.LANG, "fr", (0, 7))
    tree = And((Or((a, Not(b, (0, 1))), (0, 1)), Near((c,), (d,), 3, False, (0, 1)), lang), (0, 1))
    assert phrases_of(tree) == [a, b, c, d]
    assert phrases_of(lang) == []


def test_fields_of_lists_every_field_and_skips_phrases_and_near() -> None:
    lang = Field(FieldName.LANG, "fr", (0, 7))
    site = Field(FieldName.SITE, "ondine.fr", (8, 22))
    near = Near((phrase("a"),), (phrase("b"),), 1, True, (0, 1))
    tree = Or((And((phrase("x"), lang), (0, 1)), Not(site, (0, 1)), near), (0, 1))
    assert fields_of(tree) == [lang, site]
    assert fields_of(phrase("x")) == []


def test_nodes_are_values() -> None:
    assert phrase("a", "b") == phrase("a", "b")
    assert hash(Word("a")) == hash(Word("a"))
    assert Word("a", WordKind.HASHTAG) != Word("a")
