from __future__ import annotations

import pytest

from sbu.listening.query.normalize import match_text
from sbu.listening.query.vocabulary import COMMON_WORDS, LOWERCASE_OPERATORS, STOPWORDS


@pytest.mark.parametrize("name", ["STOPWORDS", "COMMON_WORDS"])
def test_every_listed_word_is_one_word_in_match_form(name: str) -> None:
    listed = {"STOPWORDS": STOPWORDS, "COMMON_WORDS": COMMON_WORDS}[name]
    assert listed
    odd = sorted(word for word in listed if match_text(word) != word)
    assert not odd, f"{name} holds words post text never contains as written: {odd}"


def test_a_word_is_either_a_stopword_or_a_common_word_not_both() -> None:
    assert not STOPWORDS & COMMON_WORDS


def test_french_and_english_function_words_are_stopwords() -> None:
    assert {"the", "and", "of", "le", "la", "les", "de", "et", "qu", "l", "d"} <= STOPWORDS
    # Folded like post text: "été" and "était" are listed without accents.
    assert {"ete", "etait"} <= STOPWORDS


def test_content_words_are_not_stopwords() -> None:
    assert not {"ondine", "fibre", "panne", "reseau", "orange", "service"} & STOPWORDS
    assert not {"ondine", "fibre", "panne", "reseau", "orange", "service"} & COMMON_WORDS


def test_lowercase_operators_are_the_operators_in_lower_case() -> None:
    assert {"and", "or", "not", "near"} == LOWERCASE_OPERATORS
    # and / or / not are also stopwords: written in lower case they are refused as words.
    assert {"and", "or", "not"} <= STOPWORDS
