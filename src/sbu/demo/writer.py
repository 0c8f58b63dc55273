"""The writer: turns a planned post into its text (and title), from the phrase banks.

The text of a post depends only on the seed and the post's key. Intentional copies are written
from their original: the same text with other tags or links ("exact"), or with a few words added
in front or behind ("edited": small enough that the copy still overlaps the original by at least
85% of its words and word pairs, the ingest's notion of a near-duplicate).
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from threading import Lock
from types import MappingProxyType
from typing import Any

from sbu.core.text import duplicate_key_text
from sbu.demo import ids, phrases
from sbu.demo.plan import Event
from sbu.demo.rhythm import PARIS
from sbu.demo.texts import Fillers, phrase, pick, render, tidy
from sbu.demo.world import CITIES, ORGANISATIONS, OWN
from sbu.listening.fingerprint import similarity

EDIT_MIN_SIMILARITY = 0.85
#: Share of replies written in a few words (like "Pareil ici"), never compared as copies.
SHORT_REPLIES = 0.45
#: People's posts shorter than this (in words) get a personal aside ("Je dis ça depuis le
#: train."), as do some longer ones: this keeps unrelated posts from looking like copies.
MIN_WORDS = 18
ASIDES = 0.4
#: Share of press articles that get an extra sentence (a quote, a figure, an update note).
NEWS_EXTRAS = 0.8
_CACHE = 20_000
_PREFIXES_FR = (
    "+1", "Pareil.", "Je partage :", "À lire :", "Tellement vrai.", "Ça suffit !", "Je relaie.",
    "Vu passer :", "Exactement ça.", "On en est là.", "Idem.", "Partage :",
)  # fmt: skip
_SUFFIXES_FR = (
    "Partagez !", "Faites tourner.", "Tout est dit.", "Je confirme.", "Pareil chez moi.",
    "Vu chez un ami.", "Révoltant.", "À suivre.",
)  # fmt: skip
_PREFIXES_EN = ("+1", "This.", "Sharing:", "So true.", "Same here.")
_SUFFIXES_EN = ("Please share.", "Spread the word.", "Exactly.")
_NEWS_PREFIXES = ("(Dépêche)", "Mise à jour :", "Selon nos informations,", "Info locale :")
_NEWS_SUFFIXES = ("Plus d'informations à suivre.", "Article mis à jour.", "Avec agences.")
#: Fillers that depend on the post (its platform, actors, parent): see Writer._dynamic.
DYNAMIC_FILLERS = frozenset(
    {
        "brand", "brand_name", "brand_at", "care_at", "actor", "actor_name", "actor_at",
        "actor_link", "rival", "rival_name", "rival_at", "to", "parent_name", "year", "city_tag",
        "hour", "later_hour", "now_hour", "now_minute",
    }
)  # fmt: skip
_ASIDE = phrase("{aside}")
_ASIDE_EN = phrase("{aside_en}")
_NEWS_EXTRA = phrase("{news_extra}")
_NEWS_EXTRA_EN = phrase("{news_extra_en}")
_EXACT_EXTRAS = (
    "#PanneOndine",
    "#partage",
    "#fibre",
    "#Ondine",
    "https://t.example/{ticket}",
    "📢",
)


class _Layers(Mapping[str, Any]):
    """The event's own fillers first, then the phrase banks' (without copying either)."""

    def __init__(self, first: Mapping[str, Any], second: Mapping[str, Any]) -> None:
        self.first, self.second = first, second

    def __getitem__(self, key: str) -> Any:
        try:
            return self.first[key]
        except KeyError:
            return self.second[key]

    def __iter__(self) -> Iterator[str]:
        yield from self.first
        yield from (k for k in self.second if k not in self.first)

    def __len__(self) -> int:
        return len(set(self.first) | set(self.second))


@dataclass(frozen=True, slots=True)
class Written:
    text: str
    title: str | None = None
    #: For copies, how the text was actually copied ("exact" when an edit would be too big).
    copy_kind: str | None = None


class Writer:
    """Writes the texts of one seed's posts; keeps recent texts (copies reuse their original)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self._cache: OrderedDict[str, Written] = OrderedDict()
        self._lock = Lock()

    def write(self, event: Event) -> Written:
        with self._lock:
            cached = self._cache.get(event.key)
        if cached is not None:
            return cached
        written = self._write(event)
        with self._lock:
            self._cache[event.key] = written
            while len(self._cache) > _CACHE:
                self._cache.popitem(last=False)
        return written

    # -- composing --------------------------------------------------------------------------

    def _write(self, event: Event) -> Written:
        rng = random.Random(ids.digest(self.seed, "text", event.key))
        if event.copy_of is not None:
            return self._copy(rng, event, event.copy_of)
        fillers = _Layers(self._dynamic(event), phrases.FILLERS)
        kind = event.spec
        person = event.author.role in ("public", "influencer", "pro")
        variant = ""
        if event.viral:
            variant = "viral"
        elif person and event.kind.startswith("reply.") and rng.random() < SHORT_REPLIES:
            variant = "short"
        options = phrases.templates(
            event.kind, event.lang, storyline=event.storyline, variant=variant
        )
        text = render(options[int(rng.random() * len(options))], rng, fillers)
        if person and variant != "short":
            text = self._personal(rng, text, event.lang, fillers)
        elif event.author.role == "journalist" and rng.random() < NEWS_EXTRAS:
            extra = _NEWS_EXTRA_EN if event.lang == "en" else _NEWS_EXTRA
            text = f"{text} {tidy(extra.render(rng, fillers))}"
        if person and event.lang == "fr":
            text = _casual(rng, text)
        title = None
        if _has_title(event):
            bank = phrases.title_bank(event.kind, kind.intent, event.lang)
            title = bank.pick(rng).render(rng, fillers).strip()
            title = title[:1].upper() + title[1:]
        return Written(text, title)

    def _personal(self, rng: random.Random, text: str, lang: str, fillers: Fillers) -> str:
        """Add a personal aside to short posts (and some others), as people do."""
        words = len(duplicate_key_text(text).split())
        if words >= MIN_WORDS and rng.random() >= ASIDES:
            return text
        for _ in range(2):
            aside = tidy((_ASIDE_EN if lang == "en" else _ASIDE).render(rng, fillers))
            aside = aside if aside.endswith(("!", ".", "?", "…")) else f"{aside}."
            before = rng.random() < 0.3 and not text.startswith("@")
            text = f"{aside} {text}" if before else f"{text} {aside}"
            words += len(duplicate_key_text(aside).split())
            if words >= MIN_WORDS:
                break
        return text

    def _copy(self, rng: random.Random, event: Event, original: Event) -> Written:
        source = self.write(original)
        if event.copy_kind in ("repost", "crosspost"):
            return Written(source.text, source.title, event.copy_kind)
        if event.platform == "rss":
            text, how = self._edit(rng, source.text, news=True, how=event.copy_kind)
            return Written(text, source.title, how)
        body = source.text
        if source.title and original.platform == "reddit":
            body = f"{source.title}\n\n{body}"
        text, how = self._edit(rng, body, news=False, how=event.copy_kind, lang=event.lang)
        return Written(text, None, how)

    def _edit(
        self, rng: random.Random, text: str, *, news: bool, how: str | None, lang: str = "fr"
    ) -> tuple[str, str]:
        if how == "exact":
            extra = pick(rng, _EXACT_EXTRAS).replace(
                "{ticket}", str(ids.digest(self.seed, text) % 10**7)
            )
            return (f"{text} {extra}" if rng.random() < 0.7 else f"RT {text}"), "exact"
        prefixes: tuple[str, ...]
        suffixes: tuple[str, ...]
        if news:
            prefixes, suffixes = _NEWS_PREFIXES, _NEWS_SUFFIXES
        elif lang == "en":
            prefixes, suffixes = _PREFIXES_EN, _SUFFIXES_EN
        else:
            prefixes, suffixes = _PREFIXES_FR, _SUFFIXES_FR
        for _ in range(4):
            if rng.random() < 0.5:
                edited = f"{pick(rng, prefixes)} {text}"
            else:
                edited = f"{text} {pick(rng, suffixes)}"
            original, changed = duplicate_key_text(text), duplicate_key_text(edited)
            if similarity(original, changed) >= EDIT_MIN_SIMILARITY:
                return edited, "edited"
        return f"{text} 📢", "exact"

    def _dynamic(self, event: Event) -> dict[str, str | Callable[[random.Random], str]]:
        platform = event.platform
        role = event.author.role
        local = event.at.astimezone(PARIS)
        actor = ORGANISATIONS.get(event.actor) or OWN
        also = event.spec.also
        rival = ORGANISATIONS[also[0]] if also else OWN
        to = ""
        parent_name = ""
        if event.parent is not None:
            parent_name = event.parent.author.first_name
            if platform in ("mastodon", "bluesky", "youtube"):
                to = event.parent.author.mention
        return {
            "brand": lambda rng: _name(rng, OWN.key, platform, role),
            "brand_name": lambda rng: pick(rng, OWN.aliases[:2]),
            "brand_at": _MENTIONS[(OWN.key, platform, "main")],
            "care_at": _MENTIONS[(OWN.key, platform, "care")],
            "actor": lambda rng: _name(rng, actor.key, platform, role),
            "actor_name": actor.name,
            "actor_at": _MENTIONS[(actor.key, platform, "main")],
            "actor_link": f"https://www.{actor.domain}",
            "rival": lambda rng: _name(rng, rival.key, platform, role),
            "rival_name": lambda rng: pick(rng, rival.aliases[:2]),
            "rival_at": _MENTIONS[(rival.key, platform, "main")],
            "to": to,
            "parent_name": parent_name,
            "year": str(event.at.year),
            "hour": lambda rng: str((local.hour - int(rng.random() * 5)) % 24),
            "later_hour": lambda rng: str((local.hour + 1 + int(rng.random() * 3)) % 24),
            "now_hour": str(local.hour),
            "now_minute": f"{local.minute:02d}",
            "city_tag": lambda rng: _CITY_TAGS[int(rng.random() * len(_CITY_TAGS))],
        }


def _has_title(event: Event) -> bool:
    if event.platform == "rss":
        return True
    if event.platform == "youtube":
        return event.video is None and event.parent is None
    return event.platform == "reddit" and event.parent is None


def _mention(org_key: str, platform: str, role: str = "main") -> str:
    org = ORGANISATIONS[org_key]
    account = (
        org.account(platform, role) if platform in ("mastodon", "bluesky", "youtube") else None
    )
    if account is None:
        return org.aliases[0]
    if platform == "youtube":
        return "@" + "".join(
            ch for ch in ids.slug(account.handle).replace("-", " ").title() if ch.isalnum()
        )
    return f"@{account.handle}"


_MENTIONS = MappingProxyType(
    {
        (org, platform, role): _mention(org, platform, role)
        for org in ORGANISATIONS
        for platform in ("mastodon", "bluesky", "reddit", "youtube", "rss")
        for role in ("main", "care")
    }
)
_CITY_TAGS = tuple("".join(ch for ch in city if ch.isalnum()) for city in CITIES)


def _name(rng: random.Random, org_key: str, platform: str, role: str) -> str:
    """How a post names an organisation: its name mostly, sometimes its handle or hashtag."""
    org = ORGANISATIONS[org_key]
    point = rng.random()
    if role not in ("journalist",) and platform in ("mastodon", "bluesky") and point < 0.25:
        return _MENTIONS[(org_key, platform, "main")]
    if role not in ("journalist",) and point > 0.88 and org.hashtags:
        return f"#{org.hashtags[0]}"
    return pick(rng, org.aliases[:2]) if len(org.aliases) > 1 else org.aliases[0]


def _casual(rng: random.Random, text: str) -> str:
    """Some people write without capitals or final full stop."""
    point = rng.random()
    if point < 0.12:
        return text.lower()
    if point < 0.22 and text.endswith("."):
        return text[:-1]
    return text
