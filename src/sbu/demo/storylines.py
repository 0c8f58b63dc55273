"""The storylines of the 30-day scenario: when they happen, how loud they are, what is said.

Each storyline has a share of the history's posts, a moment (a day of the scenario and a Paris
time; everyday storylines have none), an intensity curve over the hours around that moment, a
posting rhythm, and phases: which kinds of posts it is made of as it unfolds. Days are given for
the default 30-day scenario and scaled when the scenario is shorter or longer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from types import MappingProxyType

from sbu.demo.kinds import Weights
from sbu.demo.rhythm import Profile

SCENARIO_DAYS = 30
INF = math.inf


@dataclass(frozen=True, slots=True)
class Phase:
    #: The phase lasts until this many hours after the storyline's moment.
    until: float
    kinds: Weights


@dataclass(frozen=True, slots=True)
class Storyline:
    key: str
    title: str
    share: float
    profile: Profile
    curve: Callable[[float], float]
    phases: tuple[Phase, ...]
    #: Day of the 30-day scenario (0 = first day) and Paris time of the storyline's moment.
    day: int | None = None
    at: time = time(9, 0)
    #: Weight in the live mix (after the history, while `sbu serve --demo-live` runs).
    live: float = 0.0
    #: YouTube videos the storyline publishes: (hours after the moment, kind).
    videos: tuple[tuple[float, str], ...] = ()

    def phase(self, hours: float) -> Phase:
        for phase in self.phases:
            if hours < phase.until:
                return phase
        return self.phases[-1]


def everyday(_: float) -> float:
    return 1.0


def outage_curve(h: float) -> float:
    """Down at the moment for 30 hours (loud at first, then tired), a tail of 24 hours."""
    if h < 0:
        return 0.0
    if h < 30:
        return (0.45 + 0.55 * math.exp(-h / 9)) * min(1.0, (h + 0.15) / 0.75)
    if h < 54:
        return 0.35 * math.exp(-(h - 30) / 7)
    return 0.0


def launch_curve(h: float) -> float:
    """Rumours two days before, a launch-day peak, then a slow decay to a lasting level."""
    if h < -48:
        return 0.0
    if h < 0:
        return 0.08
    return math.exp(-h / 30) + (0.1 if h < 24 * 12 else 0.04)


def pricecut_curve(h: float) -> float:
    if h < 0:
        return 0.0
    return math.exp(-h / 40) + (0.06 if h < 24 * 10 else 0.0)


def supplier_curve(h: float) -> float:
    """Deliveries late for five days (rising on the first), then back to normal in two."""
    if h < 0:
        return 0.0
    if h < 24:
        return 0.2 + 0.8 * h / 24
    if h < 120:
        return 1.0
    if h < 168:
        return math.exp(-(h - 120) / 14)
    return 0.0


def jobs_curve(h: float) -> float:
    """Everyday job talk, more in the three days before the job fair, a peak on the day."""
    extra = 0.0
    if -72 <= h < 0:
        extra = 0.6
    elif 0 <= h < 24:
        extra = 7.0 * math.exp(-h / 4)
    return 1.0 + extra


def club_curve(h: float) -> float:
    """Match-day chatter every week; the sponsorship renewal makes a short peak."""
    return 1.0 + (10.0 * math.exp(-h / 8) if 0 <= h < 72 else 0.0)


def streaming_curve(h: float) -> float:
    """Nothing before the bundle is announced, a peak, then people discovering it."""
    if h < 0:
        return 0.0
    return 5.0 * math.exp(-h / 20) + 0.5


BRAND = Storyline(
    "brand", "Everyday customer talk about Ondine", 0.235, Profile.PUBLIC, everyday,
    (Phase(INF, (("brand.question", 0.26), ("brand.complaint", 0.22), ("brand.billing", 0.08),
                 ("brand.install", 0.07), ("brand.praise", 0.15), ("brand.mention", 0.14),
                 ("brand.promo", 0.02), ("brand.tip", 0.01), ("brand.news", 0.02))),),
    live=0.32,
)  # fmt: skip
COMPETITORS = Storyline(
    "competitors", "Everyday talk about the three competitors", 0.10, Profile.PUBLIC, everyday,
    (Phase(INF, (("competitor.complaint", 0.3), ("competitor.praise", 0.18),
                 ("competitor.question", 0.21), ("competitor.switch", 0.13),
                 ("competitor.promo", 0.04), ("competitor.news", 0.04))),),
    live=0.14,
)  # fmt: skip
NOISE = Storyline(
    "noise", "Homonyms, unrelated posts, spam and unrelated news", 0.15, Profile.PUBLIC, everyday,
    (Phase(INF, (("noise.homonym", 0.42), ("noise.unrelated", 0.36), ("noise.spam", 0.04),
                 ("noise.news", 0.18))),),
    live=0.22,
)  # fmt: skip
B2B = Storyline(
    "b2b", "Businesses asking for offers and quotes", 0.05, Profile.BUSINESS, everyday,
    (Phase(INF, (("b2b.rfq", 0.42), ("b2b.question", 0.25), ("b2b.compare", 0.15),
                 ("b2b.complaint", 0.12), ("b2b.news", 0.06))),),
    live=0.08,
)  # fmt: skip
_JOBS_EVERYDAY: Weights = (
    ("jobs.offer", 0.12), ("jobs.interest", 0.28), ("jobs.application", 0.14),
    ("jobs.praise", 0.18), ("jobs.criticism", 0.2), ("jobs.news", 0.08),
)  # fmt: skip
JOBS = Storyline(
    "jobs", "Employer brand, job offers and the job fair", 0.07, Profile.BUSINESS, jobs_curve,
    (Phase(-72, _JOBS_EVERYDAY),
     Phase(0, (*_JOBS_EVERYDAY, ("jobs.forum", 0.06))),
     Phase(12, (("jobs.forum_visit", 0.55), ("jobs.forum", 0.04), ("jobs.interest", 0.18),
                ("jobs.application", 0.12), ("jobs.praise", 0.08), ("jobs.news", 0.03))),
     Phase(INF, _JOBS_EVERYDAY)),
    day=23, at=time(9, 30), live=0.08, videos=((-20, "jobs.video"),),
)  # fmt: skip
_CLUB_EVERYDAY: Weights = (("club.match", 0.65), ("club.fan", 0.3), ("club.criticism", 0.05))
CLUB = Storyline(
    "partner_club", "Partner: the FC Estuaire sponsorship is renewed", 0.035, Profile.PUBLIC,
    club_curve,
    (Phase(0, _CLUB_EVERYDAY),
     Phase(24, (("club.announcement", 0.03), ("club.partner_post", 0.03), ("club.fan", 0.5),
                ("club.criticism", 0.17), ("club.news", 0.07), ("club.match", 0.2))),
     Phase(INF, _CLUB_EVERYDAY)),
    day=3, at=time(18, 30), live=0.04, videos=((1, "club.video"),),
)  # fmt: skip
STREAMING = Storyline(
    "partner_streaming", "Partner: Cinéflux is bundled with the Ondine box", 0.03,
    Profile.PUBLIC, streaming_curve,
    (Phase(24, (("streaming.announcement", 0.03), ("streaming.partner_post", 0.03),
                ("streaming.praise", 0.42), ("streaming.question", 0.42),
                ("streaming.news", 0.1))),
     Phase(INF, (("streaming.praise", 0.5), ("streaming.question", 0.48),
                 ("streaming.news", 0.02)))),
    day=15, at=time(9, 0), live=0.02, videos=((0.5, "streaming.video"),),
)  # fmt: skip
PRICECUT = Storyline(
    "pricecut", "Competitor Brisant Mobile cuts its 5G plan price", 0.07, Profile.PUBLIC,
    pricecut_curve,
    (Phase(6, (("pricecut.official", 0.02), ("pricecut.spam", 0.03), ("pricecut.news", 0.05),
               ("pricecut.churn", 0.26), ("pricecut.match", 0.2), ("pricecut.compare", 0.28),
               ("pricecut.skeptic", 0.16))),
     Phase(INF, (("pricecut.churn", 0.28), ("pricecut.match", 0.16), ("pricecut.compare", 0.32),
                 ("pricecut.skeptic", 0.17), ("pricecut.spam", 0.02), ("pricecut.news", 0.03),
                 ("pricecut.official", 0.005)))),
    day=7, at=time(8, 0), videos=((1, "pricecut.video"), (30, "pricecut.video_compare")),
)  # fmt: skip
OUTAGE = Storyline(
    "outage", "Service outage in Loire-Atlantique and Vendée", 0.12, Profile.INCIDENT,
    outage_curve,
    (Phase(30, (("outage.complaint", 0.5), ("outage.question", 0.17), ("outage.churn", 0.08),
                ("outage.pro_impact", 0.07), ("outage.humor", 0.12), ("outage.official", 0.006),
                ("outage.news", 0.012), ("outage.jab", 0.004))),
     Phase(INF, (("outage.thanks", 0.36), ("outage.compensation", 0.28),
                 ("outage.complaint", 0.16), ("outage.humor", 0.1), ("outage.resolved", 0.012),
                 ("outage.news_resolved", 0.02)))),
    day=12, at=time(7, 40), videos=((2.5, "outage.video"), (7, "outage.video"), (26, "outage.video")),
)  # fmt: skip
LAUNCH = Storyline(
    "launch", "Launch of the Box Ondine Neo", 0.08, Profile.PUBLIC, launch_curve,
    (Phase(0, (("launch.teaser", 1.0),)),
     Phase(8, (("launch.official", 0.01), ("launch.enthusiasm", 0.36), ("launch.question", 0.25),
               ("launch.purchase", 0.16), ("launch.criticism", 0.16), ("launch.news", 0.04))),
     Phase(INF, (("launch.enthusiasm", 0.25), ("launch.question", 0.3), ("launch.purchase", 0.2),
                 ("launch.criticism", 0.22), ("launch.news", 0.015)))),
    day=18, at=time(10, 0),
    videos=((0.25, "launch.video_official"), (3, "launch.video_review"),
            (22, "launch.video_review"), (30, "launch.video_review"), (52, "launch.video_review"),
            (80, "launch.video_review")),
)  # fmt: skip
SUPPLIER = Storyline(
    "supplier", "Supplier Voltek delays Box Neo deliveries", 0.06, Profile.PUBLIC, supplier_curve,
    (Phase(6, (("supplier.statement", 0.01), ("supplier.news", 0.03), ("supplier.delivery", 0.5),
               ("supplier.question", 0.3), ("supplier.defect", 0.16))),
     Phase(120, (("supplier.delivery", 0.45), ("supplier.question", 0.2), ("supplier.defect", 0.17),
                 ("supplier.cancel", 0.12), ("supplier.apology", 0.004),
                 ("supplier.news", 0.012), ("supplier.statement", 0.003))),
     Phase(INF, (("supplier.delivery", 0.3), ("supplier.defect", 0.35), ("supplier.question", 0.2),
                 ("supplier.cancel", 0.12), ("supplier.news", 0.02), ("supplier.apology", 0.01)))),
    day=21, at=time(9, 0), videos=((40, "supplier.video"), (90, "supplier.video")),
)  # fmt: skip

STORYLINES = MappingProxyType(
    {
        s.key: s
        for s in (BRAND, COMPETITORS, NOISE, B2B, JOBS, CLUB, STREAMING, PRICECUT, OUTAGE, LAUNCH,
                  SUPPLIER)
    }
)  # fmt: skip

#: Everyday YouTube uploads, about 2.5 a day: which kinds, how often.
DAILY_VIDEOS: Weights = (
    ("brand.video", 0.22),
    ("brand.video_review", 0.18),
    ("competitor.video", 0.22),
    ("noise.video", 0.38),
)
DAILY_VIDEO_MEAN = 2.5


def scaled_day(day: int, days: int) -> int:
    """The day of a storyline in a scenario of ``days`` days (the days above are for 30)."""
    return min(days - 1, day * days // SCENARIO_DAYS)
