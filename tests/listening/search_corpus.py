"""Generated posts and queries for the search and prefilter property tests.

Posts and queries are drawn from one small vocabulary, so queries hit: words in several cases and
with or without accents, hashtags, @mentions (with an instance), elisions, hyphens, links, an
e-mail address, emoji, words joined by ``#``, titles, languages, platforms, authors with accents
in their names, sites. Everything here is fiction.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select

from sbu.bootstrap import App
from sbu.listening.drafts import MentionDraft, RawItem
from sbu.listening.models import Author, Mention
from sbu.listening.query import MatchPost
from tests.conftest import NOW

WORDS = [
    "ondine", "Ondine", "ONDINE", "ondines", "fibre", "Fibre", "box", "panne", "réseau",
    "reseau", "Réseau", "service", "client", "clients", "orange", "connect", "connexion",
    "connectivité", "color", "colour", "colr", "élysée", "Elysee", "5g", "l'opérateur",
    "opérateur", "e-commerce", "commerce", "le", "top", "brest", "Brest", "ondine_telecom",
]  # fmt: skip
EXTRAS = [
    "https://www.ondine.fr/offre", "http://news.example.com/fibre", "contact@ondine.fr", "🎉",
    "👍🏽", "ondine#fibre", "@bob@mastodon.social", "c'est", "L'Élysée", "—", "...",
    "service-client", "Service Client", "#Ondine", "@ondine", "(ondine)", "ondine!",
]  # fmt: skip
LANGS = [None, "fr", "en", "fr-CA", "EN_us", "de"]
PLATFORMS = ["mastodon", "bluesky", "rss"]
AUTHORS: list[tuple[str, str | None] | None] = [
    None,
    ("@ondine_telecom", "Ondine Télécom"),
    ("@bob@mastodon.social", "Bob  Smith"),
    ("élodie", "Élodie Martin"),
    ("BOB", "bob"),
    ("@zoe", None),
]
URLS = [
    None, "https://www.ondine.fr/a", "https://blog.ondine.fr/b", "https://news.example.com/c",
    "https://café.fr/d", "https://ONDINE.FR/x",
]  # fmt: skip

QUERY_WORDS = [
    "ondine", "fibre", "box", "panne", "reseau", "réseau", "service", "client", "orange",
    "connect*", "connex*", "colo?r", "co?lor", "?olor", "colo?", "elysee", "5g", "operateur",
    "l'opérateur", "e-commerce", "commerce", "top", "brest", "#ondine", "#fibre", "@ondine",
    "@bob", "🎉", "ondine#fibre", "contact", "offre", "ondin*", "serv*", "#ond*", "clients",
]  # fmt: skip
PHRASES = [
    '"service client"', '"l\'opérateur ondine"', '"ondine fibre"', '"réseau panne"',
    '"#ondine fibre"', '"conn* ondine"', '"colo?r box"', '"ondine ondine"', '"top brest"',
]  # fmt: skip
FIELDS = [
    "lang:fr", "lang:en", "lang:de", "platform:mastodon", "platform:rss", "author:bob",
    "author:ondine_telecom", 'author:"élodie martin"', "author:elodie", "author:zoe",
    "site:ondine.fr", "site:example.com", "site:cafe.fr", "author:bob@mastodon.social",
]  # fmt: skip
SCOPED = [
    "title:ondine", 'title:"service client"', "title:fibre", "raw:Ondine", "raw:ONDINE",
    "raw:Réseau", 'raw:"Service client"', "raw:Élysée", "raw:Colo?r", "raw:Conn*",
]  # fmt: skip


def random_text(rng: random.Random, low: int = 1, high: int = 12) -> str:
    tokens = []
    for _ in range(rng.randint(low, high)):
        roll = rng.random()
        if roll < 0.2:
            tokens.append(rng.choice(EXTRAS))
        else:
            word = rng.choice(WORDS)
            if roll < 0.28:
                word = "#" + word
            elif roll < 0.33:
                word = "@" + word
            elif roll < 0.4:
                word = word.upper()
            elif roll < 0.45:
                word += rng.choice([",", ".", "!", ":"])
            tokens.append(word)
    return " ".join(tokens)


def random_record(rng: random.Random, external_id: str, minutes_ago: int) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": external_id,
        "text": random_text(rng),
        "created_at": (NOW - timedelta(minutes=minutes_ago)).isoformat(),
        "platform": rng.choice(PLATFORMS),
    }
    if rng.random() < 0.3:
        record["title"] = random_text(rng, 1, 4)
    lang = rng.choice(LANGS)
    if lang is not None:
        record["lang"] = lang
    author = rng.choice(AUTHORS)
    if author is not None:
        handle, name = author
        record["author"] = {"id": handle, "handle": handle, "name": name}
    url = rng.choice(URLS)
    if url is not None:
        record["url"] = url
    return record


def store(app: App, source_id: int, records: list[dict[str, Any]]) -> None:
    items = [RawItem("sbu", record, f"record {record['id']}") for record in records]
    app.ingest.ingest(source_id, items)


@dataclass
class AsGiven:
    """A payload mapper that stores the language exactly as given, as a third-party one may
    (the built-in ones store lower-case codes)."""

    key: str = "as-given"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        return MentionDraft(
            platform="mastodon",
            external_id=payload["id"],
            text=payload["text"],
            created_at=NOW - timedelta(minutes=5),
            raw=dict(payload),
            language=payload.get("lang"),
        )


def store_as_given(app: App, source_id: int, posts: list[tuple[str, str, str | None]]) -> None:
    """Store ``(id, text, language)`` posts with their language as given."""
    items = [RawItem("as-given", {"id": i, "text": t, "lang": lang}, i) for i, t, lang in posts]
    app.ingest.ingest(source_id, items, mappers={"as-given": AsGiven()})


def store_corpus(app: App, source_id: int, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    store(
        app,
        source_id,
        [random_record(rng, f"p{i}", rng.randint(0, 60 * 24 * 20)) for i in range(count)],
    )


def stored_posts(app: App) -> list[tuple[int, Any, MatchPost]]:
    """Every stored mention as ``(id, created_at, MatchPost)``, read with plain SQL, newest first."""
    with app.db.session() as session:
        rows = session.execute(
            select(
                Mention.id, Mention.created_at, Mention.text, Mention.title, Mention.language,
                Mention.platform, Mention.url, Author.handle, Author.display_name,
            )
            .outerjoin(Author, Author.id == Mention.author_id)
            .order_by(Mention.created_at.desc(), Mention.id.desc())
        ).all()  # fmt: skip
    return [
        (
            mid,
            created,
            MatchPost(str(mid), text, title, lang, platform, handle, name, url),
        )
        for mid, created, text, title, lang, platform, url, handle, name in rows
    ]


def _near_side() -> st.SearchStrategy[str]:
    group = st.lists(st.sampled_from(QUERY_WORDS), min_size=2, max_size=3).map(
        lambda words: "(" + " OR ".join(words) + ")"
    )
    return st.one_of(st.sampled_from(QUERY_WORDS + PHRASES), group)


def _near() -> st.SearchStrategy[str]:
    return st.builds(
        lambda a, n, ordered, b: f"{a} NEAR/{n}{'f' if ordered else ''} {b}",
        _near_side(),
        st.integers(0, 4),
        st.booleans(),
        _near_side(),
    )


def queries() -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(QUERY_WORDS + PHRASES + FIELDS + SCOPED), _near())
    return st.recursive(
        leaf,
        lambda inner: st.one_of(
            st.builds(lambda a, b: f"({a} AND {b})", inner, inner),
            st.builds(lambda a, b: f"({a} OR {b})", inner, inner),
            st.builds(lambda a, b: f"({a} NOT {b})", inner, inner),
            st.builds(lambda a, b: f"{a} {b}", inner, inner),
            st.builds(lambda a: f"NOT {a}", inner),
        ),
        max_leaves=6,
    )


def _texts(low: int, high: int) -> st.SearchStrategy[str]:
    token = st.one_of(
        st.sampled_from(WORDS),
        st.sampled_from(EXTRAS),
        st.sampled_from(WORDS).map(lambda word: "#" + word),
        st.sampled_from(WORDS).map(lambda word: "@" + word),
        st.sampled_from(WORDS).map(str.upper),
    )
    return st.lists(token, min_size=low, max_size=high).map(" ".join)


def records() -> st.SearchStrategy[list[dict[str, Any]]]:
    """Small lists of generated records (the test gives them ids)."""

    def record(
        text: str,
        title: str | None,
        lang: str | None,
        platform: str,
        author: tuple[str, str | None] | None,
        url: str | None,
        minutes: int,
    ) -> dict[str, Any]:
        found: dict[str, Any] = {
            "id": "",
            "text": text,
            "created_at": (NOW - timedelta(minutes=minutes)).isoformat(),
            "platform": platform,
        }
        for key, value in (("title", title), ("lang", lang), ("url", url)):
            if value is not None:
                found[key] = value
        if author is not None:
            found["author"] = {"id": author[0], "handle": author[0], "name": author[1]}
        return found

    return st.lists(
        st.builds(
            record,
            _texts(1, 8),
            st.one_of(st.none(), _texts(1, 3)),
            st.sampled_from(LANGS),
            st.sampled_from(PLATFORMS),
            st.sampled_from(AUTHORS),
            st.sampled_from(URLS),
            st.integers(0, 60 * 24 * 20),
        ),
        min_size=1,
        max_size=5,
    )
