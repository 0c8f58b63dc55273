from __future__ import annotations

import numpy as np
import pytest

from sbu.listening.query.characters import (
    ASCII,
    CONTEXT,
    DELETE,
    LETTER,
    OTHER,
    PICTOGRAPH,
    SAME,
    SEPARATOR,
    CharTables,
    fold_char,
    utf8_chars,
    word_class,
)


@pytest.mark.parametrize(
    ("char", "folded", "expected"),
    [
        ("é", True, "e"),
        ("Œ", True, "oe"),
        ("ß", True, "ss"),
        ("…", True, "…"),  # a separator, not folded
        ("\u2003", True, " "),
        ("Д", True, "д"),
        ("\u0301", True, None),  # combines with the letter before it
        ("\u1161", True, None),  # a Korean vowel composes with the consonant before it
        ("Σ", True, None),  # final or not depends on the letters around
        ("😀", True, "😀"),
        ("é", False, "é"),
        ("\u2003", False, " "),
        ("ſ", False, None),  # a case-insensitive link reads it as s
    ],
)
def test_each_character_folds_alone_or_is_read_in_context(
    char: str, folded: bool, expected: str | None
) -> None:
    assert fold_char(char, folded=folded) == expected


def test_characters_are_letters_separators_or_pictographs() -> None:
    assert [word_class(c) for c in ("я", "中", "€", "…", "😀", "\ufe0f")] == [
        LETTER,
        LETTER,
        SEPARATOR,
        SEPARATOR,
        PICTOGRAPH,
        SEPARATOR,
    ]


def test_utf8_characters_with_their_code_points() -> None:
    chars = utf8_chars(np.frombuffer("aé中😀b".encode(), np.uint8))
    assert chars.starts.tolist() == [1, 3, 6]
    assert chars.sizes.tolist() == [2, 3, 4]
    assert chars.codes.tolist() == [ord("é"), ord("中"), ord("😀")]
    assert utf8_chars(np.frombuffer(b"ascii", np.uint8)).codes.size == 0


def test_tables_learn_each_character_once_it_is_met() -> None:
    tables = CharTables(folded=True)
    codes = np.array([ord(c) for c in "éßД\u0301😀é"], np.int64)
    assert tables.fold_codes_of(codes).tolist() == [ASCII, ASCII, OTHER, CONTEXT, SAME, ASCII]
    assert tables.replacements[ord("é")].tolist() == [ord("e"), DELETE, DELETE]
    assert tables.replacements[ord("ß")].tolist() == [ord("s"), ord("s"), DELETE]
    assert tables.folded_char(ord("Д")) == "д"
    assert tables.classes_of(np.array([ord("€"), ord("😀")])).tolist() == [SEPARATOR, PICTOGRAPH]
