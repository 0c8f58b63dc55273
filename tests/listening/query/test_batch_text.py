from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from sbu.listening.query.batch_text import BatchNormaliser
from sbu.listening.query.normalize import match_text

# Pieces that exercise every step: accents, ligatures, combining marks, capital sigma, the long
# s, spaces outside ASCII, links in any case, handles with instances, emoji, lone signs.
_PIECES = [
    "a", "É", "é", "e\u0301", "\u0301", "Σ", "ΑΣ", "ς", "İ", "ı", "ſ", "ß", "æ", "Œ", "½",
    "´", "¨", "…", "’", "«", "»", "—", "\u00a0", "\u2003", "\u3000", "\x85", "\x1c", "\t",
    "\n", " ", "  ", ",", ".", "-", "_", "'", "#", "@", "##", "@@", "#@", "http://",
    "https://", "HTTPS://", "www.", "WWW.", "httpſ://", "x.fr", "/", "😀", "👍🏽", "☀️", "❶",
    "\ufe0f", "中文", "Дом", "ДОМ", "ŵŵŵ.", "ﬁ", "가", "\u1100\u1161", "\u11a8",
    "\u0b47\u0b3e", "\x00", "bob", "@bob@x.fr", "@josé@x.fr", "@ωmega", "@u😀", "@uя@x", "€",
    "5G+", "l'op", "𐐀", "𝐀", "ǅ", "µ", "ª", "²", "Ondine",
]  # fmt: skip
_TEXTS = st.lists(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join), max_size=6)


@settings(max_examples=500, deadline=None)
@given(_TEXTS, st.booleans())
def test_a_batch_gives_the_reference_match_text_of_each_post(
    texts: list[str], folded: bool
) -> None:
    normaliser = BatchNormaliser(folded=folded)
    assert normaliser.match_texts(texts) == [match_text(t, folded=folded) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=30), max_size=5))
def test_any_unicode_text_gives_the_reference_match_text(texts: list[str]) -> None:
    assert BatchNormaliser().match_texts(texts) == [match_text(t) for t in texts]


def test_the_encoded_batch_has_a_space_around_each_post() -> None:
    batch = BatchNormaliser().encode(["L'Opérateur, #Ondine!", "", "https://x.fr seul 🎉"])
    assert batch.data == " l operateur #ondine \x00 \x00 seul 🎉 ".encode()
    assert batch.texts() == ["l operateur #ondine", "", "seul 🎉"]
    assert [batch.text(i) for i in range(3)] == batch.texts()
    selected = batch.select(np.array([2, 0]))
    assert selected.texts() == ["seul 🎉", "l operateur #ondine"]


def test_no_text_gives_an_empty_batch() -> None:
    batch = BatchNormaliser().encode([])
    assert batch.size == 0
    assert batch.texts() == []


def test_lone_surrogates_are_read_by_the_reference() -> None:
    texts = ["ok \ud800 Ondine", "Fibre"]
    assert BatchNormaliser().match_texts(texts) == [match_text(t) for t in texts]
