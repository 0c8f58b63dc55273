from __future__ import annotations

from sbu.listening.query.field_index import FieldIndex
from sbu.listening.query.nodes import FieldName
from sbu.listening.query.plan import FieldLeaf
from sbu.listening.query.posts import MatchPost

LEAVES = [
    (0, FieldLeaf(FieldName.LANG, "fr")),
    (1, FieldLeaf(FieldName.LANG, "fr-ca")),
    (2, FieldLeaf(FieldName.PLATFORM, "mastodon")),
    (3, FieldLeaf(FieldName.AUTHOR, "bob")),
    (4, FieldLeaf(FieldName.AUTHOR, "bob martin")),
    (5, FieldLeaf(FieldName.SITE, "example.com")),
    (6, FieldLeaf(FieldName.SITE, "news.example.com")),
]


def satisfied(*posts: MatchPost) -> list[set[int]]:
    index = FieldIndex(LEAVES)
    leaves, numbers = index.pairs(list(posts), range(len(posts)))
    found: list[set[int]] = [set() for _ in posts]
    for leaf, number in zip(leaves.tolist(), numbers.tolist(), strict=True):
        found[number].add(leaf)
    return found


def test_languages_match_their_regional_variants() -> None:
    found = satisfied(
        MatchPost("1", "", lang="FR"), MatchPost("2", "", lang="fr_CA"), MatchPost("3", "")
    )
    assert found == [{0}, {0, 1}, set()]


def test_platform_and_author_handles_and_names() -> None:
    found = satisfied(
        MatchPost("1", "", platform="Mastodon", author="@Bob@mastodon.social"),
        MatchPost("2", "", author="alice", author_name="Bob  Martin"),
    )
    assert found == [{2, 3}, {4}]


def test_sites_of_the_post_link_and_of_links_in_the_text() -> None:
    found = satisfied(
        MatchPost("1", "", url="https://www.example.com/a"),
        MatchPost("2", "lire https://news.example.com/b et WWW.autre.org", url=None),
        MatchPost("3", "example.com sans lien"),
    )
    assert found == [{5}, {5, 6}, set()]


def test_only_the_posts_asked_for() -> None:
    index = FieldIndex(LEAVES)
    posts = [MatchPost("1", "", lang="fr"), MatchPost("2", "", lang="fr")]
    leaves, numbers = index.pairs(posts, [1])
    assert (leaves.tolist(), numbers.tolist()) == ([0], [1])
    assert not FieldIndex([])
