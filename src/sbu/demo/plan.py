"""The planner: which posts exist in each five-minute slot, who writes them, what they answer.

The plan of a slot depends only on the scenario and the slot number: a random generator seeded
with (seed, slot) draws how many threads each storyline starts, their kinds, platforms, languages
and authors, and how each thread grows (replies, the brand's answer and the customer's follow-up,
viral copies with small edits, Mastodon boosts, Reddit crossposts) over the next six hours. YouTube
videos are planned per day; comments attach to a recent video, preferably of their storyline.
Texts are written later, only for the posts a fetch returns (see :mod:`sbu.demo.writer`).
"""

from __future__ import annotations

import random
from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from threading import Lock

from sbu.demo import ids, phrases
from sbu.demo.authors import Authors, Persona
from sbu.demo.casting import creator, other_outlet, outlet, subreddit
from sbu.demo.kinds import CHATTY, KINDS, Kind, Weights
from sbu.demo.rhythm import PARIS, poisson, weighted
from sbu.demo.scenario import (
    FOLLOW_UP,
    LOOKBACK_SLOTS,
    NESTED_REPLY,
    REDDIT_THREAD_BOOST,
    SLOT,
    THREAD_BOOST,
    THREAD_SPAN,
    Rates,
    Scenario,
)
from sbu.demo.storylines import DAILY_VIDEO_MEAN, DAILY_VIDEOS, STORYLINES
from sbu.demo.world import ORGANISATIONS

SOCIAL_PLATFORMS = frozenset({"mastodon", "bluesky", "reddit", "youtube"})
VIDEO_WINDOW = timedelta(hours=72)
_CACHE_SLOTS = 3000
_CACHE_DAYS = 64


@dataclass(frozen=True, slots=True, eq=False)
class Event:
    """One planned post."""

    key: str
    at: datetime
    platform: str
    kind: str
    storyline: str
    actor: str
    lang: str
    author: Persona
    parent: Event | None = None
    root: Event | None = None
    #: Intentional copies: the post copied and how (exact, edited, repost, crosspost).
    copy_of: Event | None = None
    copy_kind: str | None = None
    viral: bool = False
    #: YouTube comments: the video they are under.
    video: Event | None = None
    #: Reddit subreddit or press outlet key.
    place: str = ""
    phase: int = 0

    @property
    def spec(self) -> Kind:
        return KINDS[self.kind]

    @property
    def thread_root(self) -> Event:
        return self.root or self


@dataclass(slots=True)
class _Caches:
    slots: OrderedDict[int, tuple[Event, ...]] = field(default_factory=OrderedDict)
    days: OrderedDict[int, tuple[Event, ...]] = field(default_factory=OrderedDict)
    lock: Lock = field(default_factory=Lock)


class Planner:
    """Plans the posts of one scenario; keeps recently planned slots in a bounded cache."""

    def __init__(self, scenario: Scenario, authors: Authors | None = None) -> None:
        self.scenario = scenario
        self.authors = authors or Authors(scenario.seed)
        self.rates = Rates(scenario)
        self._caches = _Caches()

    # -- public -----------------------------------------------------------------------------

    def events(self, start: datetime, end: datetime, platform: str | None = None) -> list[Event]:
        """Every planned post with ``start <= at < end`` (of one platform), oldest first."""
        s = self.scenario
        start = max(start, s.start)
        if end <= start:
            return []
        first = max(0, s.slot_of(start) - LOOKBACK_SLOTS)
        last = s.slot_of(end - timedelta(microseconds=1))
        found = [
            e
            for slot in range(first, last + 1)
            for e in self.slot(slot)
            if start <= e.at < end and (platform is None or e.platform == platform)
        ]
        found.sort(key=lambda e: (e.at, e.key))
        return found

    def slot(self, slot: int) -> tuple[Event, ...]:
        caches = self._caches
        with caches.lock:
            cached = caches.slots.get(slot)
            if cached is not None:
                caches.slots.move_to_end(slot)
                return cached
        planned = self._plan_slot(slot)
        with caches.lock:
            caches.slots[slot] = planned
            while len(caches.slots) > _CACHE_SLOTS:
                caches.slots.popitem(last=False)
        return planned

    def videos(self, day: int) -> tuple[Event, ...]:
        caches = self._caches
        with caches.lock:
            cached = caches.days.get(day)
        if cached is not None:
            return cached
        planned = self._plan_videos(day)
        with caches.lock:
            caches.days[day] = planned
            while len(caches.days) > _CACHE_DAYS:
                caches.days.popitem(last=False)
        return planned

    # -- slots ------------------------------------------------------------------------------

    def _plan_slot(self, slot: int) -> tuple[Event, ...]:
        s = self.scenario
        rng = random.Random(ids.digest(s.seed, "slot", slot))
        slot_start = s.slot_start(slot)
        slot_end = slot_start + SLOT
        # A slot cut by the start of live mode: its history part, then its live part.
        segments = [(slot_start, slot_end)]
        if s.live_since is not None and slot_start < s.live_since < slot_end:
            segments = [(slot_start, s.live_since), (s.live_since, slot_end)]
        out: list[Event] = []
        for key in STORYLINES:
            for part, (begin, end) in enumerate(segments):
                share = (end - begin) / SLOT
                count = poisson(rng, self.rates.roots(key, begin) * share)
                seconds = (end - begin).total_seconds()
                for number in range(count):
                    at = begin + timedelta(seconds=rng.random() * seconds)
                    root = self._root(rng, f"{slot}.{key}.{part}.{number}", key, at)
                    if root is not None:
                        out.append(root)
                        self._grow(rng, root, out)
        day = int((slot_start - s.start) // timedelta(days=1))
        out.extend(v for v in self.videos(day) if slot_start <= v.at < slot_end)
        return tuple(out)

    def _root(self, rng: random.Random, key: str, storyline: str, at: datetime) -> Event | None:
        story = STORYLINES[storyline]
        hours = self.rates.hours_since(storyline, at)
        phase = story.phase(hours)
        kind = KINDS[weighted(rng, phase.kinds)]
        actor = kind.actors[int(rng.random() * len(kind.actors))]
        platform = self._platform(rng, kind, actor)
        lang = self._language(rng, kind)
        viral = kind.viral > 0 and rng.random() < kind.viral
        video = None
        if platform == "youtube" and kind.platforms != (("youtube", 1.0),):
            video = self._video_for(rng, storyline, actor, at)
            if video is None:
                platform = "bluesky" if kind.author != "journalist" else platform
        author = self._author(rng, kind, platform, actor, lang, storyline, viral)
        if author is None:
            return None
        place = subreddit(rng, storyline, lang) if platform == "reddit" else ""
        return Event(key, at, platform, kind.key, storyline, actor, lang, author, viral=viral,
                     video=video, place=place, phase=story.phases.index(phase))  # fmt: skip

    def _platform(self, rng: random.Random, kind: Kind, actor: str) -> str:
        options: Weights = kind.platforms
        if kind.author in ("org", "official", "care", "hr"):
            org = actor if kind.author == "org" else "ondine"
            role = {"care": "care", "hr": "hr"}.get(kind.author, "main")
            usable = tuple(
                (p, w) for p, w in options if ORGANISATIONS[org].account(p, role) is not None
            )
            options = usable or (("bluesky", 1.0),)
        return weighted(rng, options)

    def _language(self, rng: random.Random, kind: Kind) -> str:
        if kind.english > 0 and rng.random() < kind.english and f"{kind.key}/en" in phrases.POSTS:
            return "en"
        return "fr"

    def _author(
        self,
        rng: random.Random,
        kind: Kind,
        platform: str,
        actor: str,
        lang: str,
        storyline: str,
        viral: bool,
    ) -> Persona | None:
        role = kind.author
        if role == "journalist":
            return self.authors.journalist(rng, outlet(rng, storyline, lang))
        if role in ("official", "care", "hr"):
            account = {"official": "main"}.get(role, role)
            return self.authors.official(platform, "ondine", account)
        if role == "org":
            return self.authors.official(platform, actor or "ondine")
        if role == "creator":
            return self.authors.creator(creator(rng, kind.key))
        if viral and role == "public" and rng.random() < 0.6:
            role = "influencer"
        return self.authors.pick(rng, platform, role, lang)

    # -- threads ----------------------------------------------------------------------------

    def _grow(self, rng: random.Random, root: Event, out: list[Event]) -> None:
        kind = root.spec
        limit = root.at + THREAD_SPAN
        if root.platform in SOCIAL_PLATFORMS:
            self._replies(rng, root, root, kind, limit, out, depth=0)
            if (
                kind.care_reply
                and root.author.role not in ("official",)
                and rng.random() < kind.care_reply
            ):
                self._care(rng, root, limit, out)
        if root.viral:
            self._copies(rng, root, limit, out)
        if root.platform == "mastodon" and kind.reposts:
            count = poisson(rng, kind.reposts * (THREAD_BOOST if root.viral else 1.0))
            for n in range(count):
                at = root.at + timedelta(minutes=rng.expovariate(1 / 40))
                if at < limit:
                    booster = self.authors.pick(rng, "mastodon", "public", root.lang)
                    out.append(self._child(root, f"{root.key}.b{n}", at, root.kind, booster,
                                           copy_of=root, copy_kind="repost"))  # fmt: skip
        if root.platform == "reddit" and (root.viral or rng.random() < 0.02):
            at = root.at + timedelta(minutes=rng.expovariate(1 / 60))
            if at < limit:
                author = self.authors.pick(rng, "reddit", "public", root.lang)
                place = subreddit(rng, root.storyline, root.lang)
                crosspost = self._child(root, f"{root.key}.p", at, root.kind, author,
                                        copy_of=root, copy_kind="crosspost")  # fmt: skip
                out.append(_replace(crosspost, parent=None, root=None, place=place))

    def _replies(
        self,
        rng: random.Random,
        root: Event,
        parent: Event,
        kind: Kind,
        limit: datetime,
        out: list[Event],
        depth: int,
    ) -> None:
        if not kind.reply_kinds:
            return
        boost = REDDIT_THREAD_BOOST if parent.platform == "reddit" and depth == 0 else 1.0
        if parent.author.role == "influencer" or parent.viral:
            boost *= THREAD_BOOST
        mean_delay = 80.0 if parent.platform == "reddit" else 35.0
        for n in range(poisson(rng, kind.replies * boost)):
            at = parent.at + timedelta(minutes=rng.expovariate(1 / mean_delay))
            if at >= limit:
                continue
            reply_kind = weighted(rng, kind.reply_kinds)
            author = self.authors.pick(rng, parent.platform, "public", parent.lang)
            reply = self._child(root, f"{parent.key}.r{n}", at, reply_kind, author, parent=parent)
            out.append(reply)
            if depth < 2 and rng.random() < NESTED_REPLY:
                nested = Kind(reply_kind, "neutral", "comment", "none", replies=1.0,
                              reply_kinds=(("reply.banter", 0.6), ("reply.agree", 0.4)))  # fmt: skip
                self._replies(rng, root, reply, nested, limit, out, depth + 1)

    def _care(self, rng: random.Random, root: Event, limit: datetime, out: list[Event]) -> None:
        busy = root.storyline == "outage" and root.phase == 0
        at = root.at + timedelta(minutes=rng.expovariate(1 / (120.0 if busy else 45.0)))
        agent = self.authors.official(root.platform, "ondine", "care")
        if at >= limit or agent is None:
            return
        care = self._child(root, f"{root.key}.c", at, "reply.care", agent, parent=root)
        out.append(care)
        if rng.random() < FOLLOW_UP:
            later = at + timedelta(minutes=rng.expovariate(1 / 30))
            ok = rng.random() < (0.35 if busy else 0.65)
            if later < limit:
                follow = "reply.followup_ok" if ok else "reply.followup_ko"
                out.append(
                    self._child(root, f"{root.key}.f", later, follow, root.author, parent=care)
                )

    def _copies(self, rng: random.Random, root: Event, limit: datetime, out: list[Event]) -> None:
        kind = root.spec
        if kind.author == "journalist":
            count = 1 + poisson(rng, 1.0)
        elif kind.author == "bot":
            count = 2 + poisson(rng, 3.0)
        else:
            count = 3 + poisson(rng, 5.0)
        for n in range(count):
            at = root.at + timedelta(minutes=5 + rng.expovariate(1 / 70))
            if at >= limit:
                continue
            if kind.author == "journalist":
                platform = "rss"
                author = self.authors.journalist(
                    rng, other_outlet(rng, root.storyline, root.lang, root.author.org)
                )
            else:
                options = tuple((p, w) for p, w in kind.platforms if p in ("mastodon", "bluesky"))
                platform = weighted(rng, options or CHATTY[:2])
                role = "bot" if kind.author == "bot" else "public"
                author = self.authors.pick(rng, platform, role, root.lang)
            how = "exact" if rng.random() < 0.35 else "edited"
            copy = self._child(
                root, f"{root.key}.x{n}", at, root.kind, author, copy_of=root, copy_kind=how
            )
            out.append(_replace(copy, platform=platform, parent=None, root=None))

    def _child(
        self,
        root: Event,
        key: str,
        at: datetime,
        kind: str,
        author: Persona,
        *,
        parent: Event | None = None,
        copy_of: Event | None = None,
        copy_kind: str | None = None,
    ) -> Event:
        actor = "ondine" if kind == "reply.care" else root.actor
        return Event(key, at, root.platform, kind, root.storyline, actor, root.lang, author,
                     parent=parent, root=root if parent is not None else None,
                     copy_of=copy_of, copy_kind=copy_kind, video=root.video, place=root.place,
                     phase=root.phase)  # fmt: skip

    # -- videos -----------------------------------------------------------------------------

    def _plan_videos(self, day: int) -> tuple[Event, ...]:
        s = self.scenario
        rng = random.Random(ids.digest(s.seed, "videos", day))
        first = s.start + timedelta(days=day)
        local_date = (first + timedelta(hours=12)).astimezone(PARIS).date()
        out: list[Event] = []
        for number in range(poisson(rng, DAILY_VIDEO_MEAN)):
            minutes = 8 * 60 + rng.random() * 13 * 60
            at = datetime.combine(local_date, time(0), tzinfo=PARIS) + timedelta(minutes=minutes)
            kind = KINDS[weighted(rng, DAILY_VIDEOS)]
            storyline = {"brand": "brand", "competitor": "competitors"}.get(
                kind.key.split(".")[0], "noise"
            )
            video = self._video(rng, f"v{day}.{number}", kind, storyline, at.astimezone(UTC))
            if video is not None:
                out.append(video)
        for key, story in STORYLINES.items():
            when = self.rates.moments[key]
            if when is None:
                continue
            for number, (hours, kind_key) in enumerate(story.videos):
                at = when + timedelta(hours=hours)
                if first <= at < first + timedelta(days=1):
                    video = self._video(rng, f"v.{key}.{number}", KINDS[kind_key], key, at)
                    if video is not None:
                        out.append(video)
        out.sort(key=lambda v: v.at)
        return tuple(out)

    def _video(
        self, rng: random.Random, key: str, kind: Kind, storyline: str, at: datetime
    ) -> Event | None:
        actor = kind.actors[int(rng.random() * len(kind.actors))]
        lang = self._language(rng, kind)
        author = self._author(rng, kind, "youtube", actor, lang, storyline, viral=False)
        if author is None:
            return None
        return Event(key, at.astimezone(UTC), "youtube", kind.key,
                     storyline, actor, lang, author)  # fmt: skip

    def _video_for(
        self, rng: random.Random, storyline: str, actor: str, at: datetime
    ) -> Event | None:
        s = self.scenario
        today = int((at - s.start) // timedelta(days=1))
        candidates: list[tuple[Event, float]] = []
        for day in range(max(0, today - 3), today + 1):
            for video in self.videos(day):
                if not (at - VIDEO_WINDOW <= video.at < at):
                    continue
                if video.storyline == storyline:
                    weight = 10.0
                elif video.storyline == "brand" and actor == "ondine":
                    weight = 2.0
                else:
                    weight = 0.3
                candidates.append((video, weight))
        if not candidates:
            return None
        total = sum(w for _, w in candidates)
        point = rng.random() * total
        for video, weight in candidates:
            point -= weight
            if point < 0:
                return video
        return candidates[-1][0]


def _replace(event: Event, **changes: object) -> Event:
    values = {name: getattr(event, name) for name in Event.__dataclass_fields__}
    values.update(changes)
    return Event(**values)
