from __future__ import annotations

import pytest

from sbu.listening.query.posts import MatchPost, PostView, body_of, site_of


def test_body_is_title_then_text_then_the_hashtags_given_apart() -> None:
    post = MatchPost("1", "Le texte", title="Le titre", hashtags=("Fibre", "#panne"))
    assert body_of(post) == "Le titre\nLe texte\n#Fibre #panne"
    assert body_of(MatchPost("2", "Seul")) == "Seul"


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.Ondine.fr/offres", "ondine.fr"),
        ("http://shop.ondine.fr:8443/x?y=1", "shop.ondine.fr"),
        ("www.ondine.fr/fibre", "ondine.fr"),
        ("ondine.fr/fibre", "ondine.fr"),
        ("https://user@ondine.fr/", "ondine.fr"),
        # Punctuation after a link written in a sentence is not part of the domain.
        ("https://ondine.fr).", "ondine.fr"),
        ("www.ondine.fr,", "ondine.fr"),
        ("https://ondine.fr.", "ondine.fr"),
        ("https://", None),
        ("http://[::1", None),
    ],
)
def test_site_of_a_link(url: str, site: str | None) -> None:
    assert site_of(url) == site


def test_view_words_are_the_match_text_of_the_body() -> None:
    view = PostView(MatchPost("1", "L'Opérateur #Fibre", title="Réseau"))
    assert view.words == ["reseau", "l", "operateur", "#fibre"]
    assert view.raw_words == ["Réseau", "L", "Opérateur", "#Fibre"]
    assert view.title_words == ["reseau"]


def test_view_words_use_the_text_normalised_by_the_caller() -> None:
    view = PostView(MatchPost("1", "ignored here"), text="deja normalise")
    assert view.words == ["deja", "normalise"]
    assert PostView(MatchPost("1", "x"), text="").words == []


def test_a_post_without_words_or_title_has_empty_word_lists() -> None:
    view = PostView(MatchPost("1", "!!! https://x.fr"))
    assert view.words == []
    assert view.raw_words == []
    assert view.title_words == []


def test_view_attributes_are_folded() -> None:
    view = PostView(MatchPost("1", "x", lang="fr_CA", platform="Mastodon"))
    assert view.lang == "fr-ca"
    assert view.platform == "mastodon"
    empty = PostView(MatchPost("2", "x"))
    assert (empty.lang, empty.platform, empty.authors, empty.sites) == (
        "",
        "",
        frozenset(),
        frozenset(),
    )


def test_authors_hold_the_handle_with_and_without_instance_and_the_display_name() -> None:
    view = PostView(
        MatchPost("1", "x", author="@Bob@Mastodon.Social", author_name="  Bob   Lé Bricoleur ")
    )
    assert view.authors == {"bob@mastodon.social", "bob", "bob le bricoleur"}


def test_sites_come_from_the_post_url_and_the_links_in_its_text() -> None:
    view = PostView(
        MatchPost(
            "1", "voir https://Shop.Exemple.com/a et (www.autre.org).", url="https://ondine.fr/p"
        )
    )
    assert view.sites == {"ondine.fr", "shop.exemple.com", "autre.org"}
