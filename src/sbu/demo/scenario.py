"""The parameters of one demo world and the expected number of posts in each time slot.

A :class:`Scenario` is everything the generated posts depend on: the seed, the first day, the
length of the history, its approximate number of posts, and when live mode started. Time is cut
into five-minute slots; :class:`Rates` says how many thread-starting posts each storyline is
expected to publish in a slot (the planner draws the actual number).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sbu.demo.kinds import KINDS, Kind
from sbu.demo.rhythm import PARIS, factor
from sbu.demo.storylines import STORYLINES, Storyline, scaled_day

SLOT = timedelta(minutes=5)
SLOT_HOURS = SLOT.total_seconds() / 3600
#: Replies, copies and reposts come at most this long after the post that started the thread.
THREAD_SPAN = timedelta(hours=6)
LOOKBACK_SLOTS = int(THREAD_SPAN / SLOT)
#: A Reddit submission draws more comments than a post draws replies elsewhere.
REDDIT_THREAD_BOOST = 1.6
#: Influencers' and viral posts draw this many times more replies and boosts.
THREAD_BOOST = 3.0
#: Share of the public's posts written by influencers.
INFLUENCER_SHARE = 0.03
#: A reply gets its own reply this often (one level of banter, up to two levels deep).
NESTED_REPLY = 0.15
NESTED_FACTOR = 1.0 / (1.0 - NESTED_REPLY)
#: After the brand's care account answers, the customer answers back this often.
FOLLOW_UP = 0.4


@dataclass(frozen=True, slots=True)
class Scenario:
    seed: int
    #: Midnight UTC of the scenario's first day.
    start: datetime
    days: int
    posts: int
    #: From this time on, posts arrive at the live rate (None: never).
    live_since: datetime | None = None
    #: New conversations per minute in live mode (replies, copies and reposts come on top).
    live_per_minute: float = 12.0

    @property
    def history_end(self) -> datetime:
        return self.start + timedelta(days=self.days)

    def slot_of(self, at: datetime) -> int:
        return int((at - self.start) // SLOT)

    def slot_start(self, slot: int) -> datetime:
        return self.start + slot * SLOT


def day_start(at: datetime) -> datetime:
    """Midnight UTC of the day of ``at``."""
    at = at.astimezone(UTC)
    return at.replace(hour=0, minute=0, second=0, microsecond=0)


def moment(scenario: Scenario, storyline: Storyline) -> datetime | None:
    """When a storyline happens (its day and Paris time), or None for everyday storylines."""
    if storyline.day is None:
        return None
    local_day = scenario.start.astimezone(PARIS).date() + timedelta(
        days=scaled_day(storyline.day, scenario.days)
    )
    local = datetime.combine(local_day, storyline.at, tzinfo=PARIS)
    return local.astimezone(UTC)


def expected_children(kind: Kind) -> float:
    """About how many replies, answers, copies and reposts one post of ``kind`` brings.

    It mirrors the planner's draws (see :mod:`sbu.demo.plan`), so that a storyline's share of
    the history counts whole conversations, not just the posts that start them.
    """
    weights = dict(kind.platforms)
    total = sum(weights.values())
    share = {p: w / total for p, w in weights.items()}
    social = sum(share.get(p, 0.0) for p in ("mastodon", "bluesky", "reddit", "youtube"))
    boost = share.get("reddit", 0.0) * REDDIT_THREAD_BOOST + social - share.get("reddit", 0.0)
    influence = 1.0 + INFLUENCER_SHARE * (THREAD_BOOST - 1) + kind.viral * (THREAD_BOOST - 1)
    replies = kind.replies * boost * influence * NESTED_FACTOR
    care = kind.care_reply * social * (1.0 + FOLLOW_UP)
    if kind.author == "journalist":
        copies = kind.viral * 2.0
    elif kind.author == "bot":
        copies = kind.viral * 5.0
    else:
        copies = kind.viral * 8.0
    reposts = kind.reposts * share.get("mastodon", 0.0) * (1.0 + kind.viral * (THREAD_BOOST - 1))
    crossposts = share.get("reddit", 0.0) * (0.02 + kind.viral)
    return replies + care + copies + reposts + crossposts


class Rates:
    """Expected thread-starting posts per storyline and slot, for one scenario."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.moments = {key: moment(scenario, s) for key, s in STORYLINES.items()}
        self.norms: dict[str, float] = {}
        self.fanout: dict[str, float] = {}
        for key, storyline in STORYLINES.items():
            self.norms[key], phase_mass = self._norm(storyline)
            self.fanout[key] = self._fanout(storyline, phase_mass)
        live_total = sum(s.live for s in STORYLINES.values())
        self.live_share = {key: s.live / live_total for key, s in STORYLINES.items()}

    def hours_since(self, key: str, at: datetime) -> float:
        when = self.moments[key]
        if when is None:
            return float("inf")
        return (at - when).total_seconds() / 3600

    def roots(self, key: str, at: datetime) -> float:
        """Expected thread-starting posts of storyline ``key`` in the slot starting at ``at``
        (at the live rate from ``live_since`` on)."""
        s = self.scenario
        if s.live_since is not None and at >= s.live_since:
            # Live: new conversations at a steady rate; their replies come on top.
            per_slot = s.live_per_minute * SLOT.total_seconds() / 60
            return per_slot * self.live_share[key]
        storyline = STORYLINES[key]
        middle = at + SLOT / 2
        intensity = storyline.curve(self.hours_since(key, middle))
        if intensity <= 0:
            return 0.0
        busy = factor(storyline.profile, middle)
        budget = s.posts * storyline.share
        return budget * intensity * busy * SLOT_HOURS / self.norms[key] / self.fanout[key]

    def _norm(self, storyline: Storyline) -> tuple[float, list[float]]:
        """Sum of intensity x rhythm over the history's hours (so the budget is spent there),
        and how it splits between the storyline's phases."""
        total = 0.0
        phase_mass = [0.0] * len(storyline.phases)
        hour = timedelta(hours=1)
        at = self.scenario.start
        for _ in range(self.scenario.days * 24):
            middle = at + hour / 2
            hours = self.hours_since(storyline.key, middle)
            mass = storyline.curve(hours) * factor(storyline.profile, middle)
            total += mass
            phase_mass[storyline.phases.index(storyline.phase(hours))] += mass
            at += hour
        return total or 1.0, phase_mass

    def _fanout(self, storyline: Storyline, phase_mass: list[float]) -> float:
        total_mass = sum(phase_mass) or 1.0
        mean = 0.0
        for phase, mass in zip(storyline.phases, phase_mass, strict=True):
            weight = sum(w for _, w in phase.kinds)
            per_root = sum(w * expected_children(KINDS[k]) for k, w in phase.kinds) / weight
            mean += per_root * mass / total_mass
        return 1.0 + mean
