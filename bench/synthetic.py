"""Synthetic posts for benchmarks: realistic shapes, invented words.

Texts draw words from a Zipf distribution over a vocabulary of common French and English words
plus invented ones, with hashtags, @handles and links; 3 % of posts copy an earlier post (with
another link), 1 % edit one word of an earlier post, 1 % are reposts. Each post records which in
``annotations.bench``. Authors follow a long tail. Everything is deterministic from the seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

#: Part of the cached file names: bump it when the generated posts change.
VERSION = 2

COMMON = [
    "le",
    "la",
    "les",
    "un",
    "une",
    "des",
    "de",
    "du",
    "et",
    "à",
    "en",
    "pour",
    "pas",
    "que",
    "qui",
    "sur",
    "avec",
    "dans",
    "est",
    "sont",
    "il",
    "elle",
    "on",
    "nous",
    "vous",
    "ils",
    "ce",
    "cette",
    "mon",
    "ma",
    "mes",
    "ton",
    "son",
    "leur",
    "plus",
    "très",
    "bien",
    "mais",
    "ou",
    "si",
    "tout",
    "fait",
    "faire",
    "encore",
    "the",
    "a",
    "an",
    "and",
    "to",
    "of",
    "in",
    "for",
    "is",
    "are",
    "was",
    "it",
    "this",
    "that",
    "with",
    "on",
    "not",
    "be",
    "have",
    "you",
    "we",
    "they",
    "my",
    "your",
    "but",
    "so",
    "just",
    "at",
    "from",
    "all",
    "can",
    "will",
    "more",
    "about",
    "what",
    "when",
    "how",
]
TOPIC = [
    "réseau",
    "fibre",
    "box",
    "panne",
    "coupure",
    "opérateur",
    "forfait",
    "prix",
    "client",
    "service",
    "internet",
    "mobile",
    "5G",
    "débit",
    "facture",
    "support",
    "appel",
    "attente",
    "technicien",
    "installation",
    "abonnement",
    "offre",
    "promo",
    "network",
    "outage",
    "price",
    "plan",
    "customer",
    "support",
    "bill",
    "speed",
    "coverage",
    "signal",
    "roaming",
    "router",
    "launch",
    "update",
    "app",
    "delay",
    "delivery",
    "order",
    "refund",
    "contract",
    "quote",
    "business",
    "partner",
    "job",
    "hiring",
]
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ra",
    "to",
    "vi",
    "su",
    "pe",
    "de",
    "ba",
    "fo",
    "gu",
    "li",
    "mo",
    "na",
    "ri",
    "sa",
    "te",
    "vo",
    "zu",
    "ch",
    "an",
    "on",
    "in",
    "ou",
]


def _vocabulary(rng: random.Random, size: int) -> list[str]:
    words = list(COMMON) + list(TOPIC)
    seen = set(words)
    while len(words) < size:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class PostGenerator:
    def __init__(self, seed: int = 1, vocabulary: int = 30_000, authors: int = 200_000) -> None:
        self.rng = random.Random(seed)
        self.words = _vocabulary(self.rng, vocabulary)
        # Zipf-like weights: the i-th word is drawn with weight 1 / (i + 10).
        self.cum_weights: list[float] = []
        total = 0.0
        for i in range(len(self.words)):
            total += 1.0 / (i + 10)
            self.cum_weights.append(total)
        self.authors = authors
        self.recent: list[dict[str, Any]] = []

    def _text(self) -> str:
        rng = self.rng
        count = rng.randint(6, 45)
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=count)
        if rng.random() < 0.4:
            words.insert(rng.randrange(len(words) + 1), f"#{rng.choice(TOPIC)}")
        if rng.random() < 0.25:
            words.insert(0, f"@user{rng.randrange(self.authors)}")
        if rng.random() < 0.2:
            words.append(f"https://example.com/{rng.randrange(10**9):x}")
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice((".", "!", " !", "?", "", " 😡", " 👍"))

    def posts(self, count: int, start: datetime | None = None) -> Iterator[dict[str, Any]]:
        rng = self.rng
        start = start or datetime(2026, 9, 1, tzinfo=UTC)
        step = timedelta(days=60) / max(count, 1)
        for i in range(count):
            created = start + step * i
            author = min(int(rng.paretovariate(1.2)), self.authors) - 1
            post: dict[str, Any] = {
                "id": f"p{i}",
                "platform": rng.choice(("mastodon", "bluesky", "reddit", "youtube", "rss")),
                "created_at": created.isoformat(),
                "lang": rng.choice(("fr", "fr", "fr", "en")),
                "author": {
                    "id": f"u{author}",
                    "handle": f"@user{author}",
                    "name": f"User {author}",
                },
                "likes": int(rng.expovariate(0.2)),
                "reposts": int(rng.expovariate(0.5)),
                "url": f"https://social.example/p/{i}",
            }
            roll = rng.random()
            if self.recent and roll < 0.03:
                original = rng.choice(self.recent)
                post["text"] = f"{original['text']} https://t.example/{i}"
                post["platform"] = original["platform"]
                truth = "copy"
            elif self.recent and roll < 0.04:
                original = rng.choice(self.recent)
                words = original["text"].split()
                words[rng.randrange(len(words))] = rng.choice(self.words)
                post["text"] = " ".join(words)
                post["platform"] = original["platform"]
                truth = "edit"
            elif self.recent and roll < 0.05:
                original = rng.choice(self.recent)
                post["text"] = original["text"]
                post["platform"] = original["platform"]
                post["repost_of"] = original["id"]
                truth = "repost"
            else:
                post["text"] = self._text()
                truth = "original"
            # The generator's truth, kept by sbu beside the post: the benchmark scores the
            # duplicate detection against it.
            post["annotations"] = {"bench": truth}
            if len(self.recent) < 2000:
                self.recent.append(post)
            else:
                self.recent[rng.randrange(2000)] = post
            yield post


def write_jsonl(path: str, count: int, seed: int = 1) -> None:
    generator = PostGenerator(seed)
    with open(path, "wb") as handle:
        for post in generator.posts(count):
            handle.write(orjson.dumps(post))
            handle.write(b"\n")
