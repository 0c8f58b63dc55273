from __future__ import annotations

import pytest

from sbu.listening.query.normalize import POST_SEPARATOR, links, match_text, match_texts, words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le Réseau d'ONDINE", "le reseau d ondine"),
        ("L'Élysée répond", "l elysee repond"),
        ("l’opérateur", "l operateur"),  # typographic apostrophe
        ("aujourd'hui", "aujourd hui"),
        ("e-commerce — enfin", "e commerce enfin"),
        ("Œuvre, cœur et naïveté…", "oeuvre coeur et naivete"),
        ("  many   spaces\n\tand lines  ", "many spaces and lines"),
        ("5G+ à 30€/mois", "5g a 30 mois"),
        ("snake_case stays", "snake_case stays"),
    ],
)
def test_words_are_folded_and_split_on_everything_but_letters_digits_and_underscore(
    text: str, expected: str
) -> None:
    assert match_text(text) == expected


def test_hashtags_and_mentions_keep_their_sign() -> None:
    assert match_text("Merci #Ondine et @Support_Ondine !") == "merci #ondine et @support_ondine"


def test_a_mention_loses_its_instance() -> None:
    assert match_text("cc @bob@mastodon.social et @alice") == "cc @bob et @alice"


def test_a_lone_sign_is_a_separator() -> None:
    assert match_text("prix # 1 @ 10h #") == "prix 1 10h"


@pytest.mark.parametrize(
    "link",
    [
        "https://ondine.fr/offres/fibre?x=1",
        "http://Ondine.fr",
        "www.ondine.fr/fibre",
        "HTTPS://X.FR",
    ],
)
def test_links_are_removed_so_their_words_do_not_count(link: str) -> None:
    assert match_text(f"voir {link} merci") == "voir merci"


def test_a_bare_domain_without_scheme_or_www_is_text() -> None:
    assert match_text("ondine.fr/promo") == "ondine fr promo"


def test_each_emoji_is_a_word() -> None:
    assert match_text("top🎉🎉 ☀️ ok") == "top 🎉 🎉 ☀ ok"


def test_unfolded_text_keeps_case_and_accents() -> None:
    assert match_text("L'Opérateur #Fibre", folded=False) == "L Opérateur #Fibre"


def test_the_post_separator_in_a_text_is_a_space() -> None:
    assert match_text(f"a{POST_SEPARATOR}b") == "a b"


def test_match_texts_gives_the_same_as_one_text_at_a_time() -> None:
    texts = [
        "Le réseau d'Ondine #panne",
        "",
        f"séparateur{POST_SEPARATOR}dedans",
        "https://x.fr seul",
        "@bob@mastodon.social 🎉",
    ]
    assert match_texts(texts) == [match_text(t) for t in texts]
    assert match_texts(texts, folded=False) == [match_text(t, folded=False) for t in texts]


def test_words_lists_the_words_in_order() -> None:
    assert words("L'opérateur a dit : oui.") == ["l", "operateur", "a", "dit", "oui"]
    assert words("!!! ...") == []
    assert words("Élysée", folded=False) == ["Élysée"]


def test_links_lists_the_links_of_a_text() -> None:
    assert links("a https://a.fr/x et www.b.fr, pas c.fr") == ["https://a.fr/x", "www.b.fr,"]
