"""The phrase banks: every placeholder is provided, every kind can be written, short replies
are short enough never to be compared as copies."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest

from sbu.core.text import duplicate_key_text
from sbu.demo import phrases
from sbu.demo.kinds import KINDS
from sbu.demo.texts import Bank, Phrase, render
from sbu.demo.writer import DYNAMIC_FILLERS

KNOWN = set(phrases.FILLERS) | DYNAMIC_FILLERS


def _names(p: Phrase) -> Iterator[str]:
    for piece in p.pieces:
        splits = piece if piece and isinstance(piece[0], tuple) else (piece,)
        for split in splits:
            yield from split[1::2]


def _all_phrases() -> Iterator[tuple[str, Phrase]]:
    for name, filler in phrases.FILLERS.items():
        if isinstance(filler, Bank):
            yield from ((name, p) for p in filler.phrases)
    for key, templates in phrases.POSTS.items():
        yield from ((key, p) for tpl in templates for p in tpl.sentences)
    for key, titles in phrases.TITLES.items():
        yield from ((key, p) for p in titles.phrases)


def test_every_placeholder_has_a_filler() -> None:
    missing = {
        (where, name) for where, p in _all_phrases() for name in _names(p) if name not in KNOWN
    }
    assert not missing


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_is_written_in_french_and_in_english_when_it_has_english_posts(
    kind: str,
) -> None:
    assert f"{kind}/fr" in phrases.POSTS
    if KINDS[kind].english > 0:
        assert f"{kind}/en" in phrases.POSTS


def test_every_banked_template_key_names_a_kind_and_a_language() -> None:
    for key in phrases.POSTS:
        kind, lang = key.rsplit("/", 1)
        assert lang in ("fr", "en")
        assert kind.split("!")[0].split("@")[0] in KINDS, key


def _fillers() -> dict[str, object]:
    dynamic = dict.fromkeys(DYNAMIC_FILLERS, "")
    dynamic.update({"brand": "Ondine", "actor": "Alizé", "rival": "Brisant"})
    return {**phrases.FILLERS, **dynamic}


@pytest.mark.parametrize("key", sorted(k for k in phrases.POSTS if "!short/" in k))
def test_short_replies_are_too_short_to_be_compared_as_copies(key: str) -> None:
    fillers = _fillers()
    for seed in range(40):
        for tpl in phrases.POSTS[key]:
            normalised = duplicate_key_text(render(tpl, random.Random(seed), fillers))  # type: ignore[arg-type]
            assert len(normalised) < 24 or len(normalised.split()) < 6, normalised


def test_templates_fall_back_from_variants_to_the_plain_kind() -> None:
    assert (
        phrases.templates("outage.complaint", "fr", variant="viral")
        == phrases.POSTS["outage.complaint!viral/fr"]
    )
    assert (
        phrases.templates("brand.praise", "fr", variant="viral") == phrases.POSTS["brand.praise/fr"]
    )
    assert phrases.templates("outage.official", "en") == phrases.POSTS["outage.official/fr"]
    with pytest.raises(KeyError):
        phrases.templates("no.such", "fr")


def test_titles_fall_back_to_the_intent() -> None:
    assert phrases.title_bank("outage.news", "news", "fr") is phrases.TITLES["outage.news/fr"]
    assert (
        phrases.title_bank("brand.question", "question", "fr")
        is phrases.TITLES["title.question/fr"]
    )
