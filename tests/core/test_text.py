from __future__ import annotations

import pytest

from sbu.core.text import duplicate_key_text, fold, html_to_text


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Réseau", "reseau"),
        ("ÉLYSÉE", "elysee"),
        ("L’Opérateur", "l'operateur"),
        ("Œuvre cœur Ægir", "oeuvre coeur aegir"),
        ("Straße", "strasse"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("Ça va ? «oui»", 'ca va ? "oui"'),
        ("موبايل Ελλάδα 😡", "موبايل ελλαδα 😡"),  # other scripts and emoji are kept
        ("plain ascii TEXT", "plain ascii text"),
    ],
)
def test_fold_removes_case_and_latin_accents(given: str, expected: str) -> None:
    assert fold(given) == expected


def test_duplicate_key_text_drops_what_copies_change() -> None:
    original = "Encore une PANNE réseau ce matin chez @TelecomOuest !!! #panne https://t.co/abc"
    copy = (
        "RT @someone: encore une panne réseau ce matin chez @autre... https://bit.ly/x #colère 😡"
    )
    assert duplicate_key_text(original) == "encore une panne reseau ce matin chez"
    assert duplicate_key_text(copy) == duplicate_key_text(original)


def test_duplicate_key_text_keeps_words_that_differ() -> None:
    assert duplicate_key_text("panne le matin") != duplicate_key_text("panne le soir")


def test_html_to_text_keeps_text_and_breaks_and_drops_markup() -> None:
    markup = (
        '<p>Bonjour &amp; <a href="https://x.example">bienvenue</a></p>'
        "<p>ligne<br>suivante &lt;b&gt;</p><script>alert(1)</script><style>p{}</style>"
    )
    text = html_to_text(markup)
    assert text == "Bonjour & bienvenue\n\nligne\nsuivante <b>"
    assert "alert" not in text


def test_html_to_text_leaves_plain_text_alone() -> None:
    assert html_to_text("  just text  ") == "just text"


def test_html_to_text_decodes_entities_exactly_once() -> None:
    assert html_to_text("<p>a &amp;lt;b&amp;gt; &amp;amp;</p>") == "a &lt;b&gt; &amp;"
    assert html_to_text("Fish &amp; chips") == "Fish & chips"
