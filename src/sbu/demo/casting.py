"""Casting: which outlet publishes an article, which creator makes a video, which subreddit a
Reddit post goes to, by storyline and language."""

from __future__ import annotations

import random

from sbu.demo.authors import CREATOR_BEATS
from sbu.demo.rhythm import weighted
from sbu.demo.world import SUBREDDITS

OUTLETS_BY_STORYLINE = {
    "outage": ("courrier", "nantes_live", "ouest_num", "courrier"),
    "partner_club": ("courrier", "nantes_live"),
    "partner_streaming": ("ouest_num", "courrier", "telecoms_hebdo"),
    "launch": ("ouest_num", "telecoms_hebdo", "courrier"),
    "supplier": ("ouest_num", "telecoms_hebdo", "eco_loire"),
    "pricecut": ("telecoms_hebdo", "ouest_num", "eco_loire"),
    "competitors": ("telecoms_hebdo", "ouest_num"),
    "b2b": ("eco_loire",),
    "jobs": ("eco_loire", "courrier"),
    "noise": ("nantes_live", "courrier", "nantes_live"),
    "brand": ("courrier", "ouest_num", "eco_loire", "telecoms_hebdo"),
}
ENGLISH_OUTLET = "tew"


def outlet(rng: random.Random, storyline: str, lang: str) -> str:
    """The outlet that covers a storyline (the English trade weekly for English articles)."""
    if lang == "en":
        return ENGLISH_OUTLET
    options = OUTLETS_BY_STORYLINE.get(storyline, ("courrier",))
    return options[int(rng.random() * len(options))]


def other_outlet(rng: random.Random, storyline: str, lang: str, current: str) -> str:
    """Another French outlet that republishes an article first published by ``current``."""
    options = [o for o in OUTLETS_BY_STORYLINE.get(storyline, ("courrier",)) if o != current]
    if lang == "en" or not options:
        options = [o for o in ("courrier", "ouest_num", "nantes_live") if o != current]
    return options[int(rng.random() * len(options))]


def creator(rng: random.Random, kind: str) -> int:
    """The YouTube channel (index in sbu.demo.authors.CREATORS) that makes a video of ``kind``."""
    if kind.startswith("noise."):
        beat = "noise"
    elif kind.startswith("outage."):
        beat = "news"
    else:
        beat = "tech"
    options = CREATOR_BEATS[beat]
    return options[int(rng.random() * len(options))]


def subreddit(rng: random.Random, storyline: str, lang: str) -> str:
    """Where a Reddit post about a storyline is made."""
    if lang == "en":
        group = "en"
    elif storyline == "noise":
        group = "noise" if rng.random() < 0.6 else "fr_general"
    elif storyline == "partner_club":
        group = "sport"
    elif storyline == "jobs":
        group = "jobs"
    else:
        group = weighted(rng, (("local", 0.5), ("telecom", 0.35), ("fr_general", 0.15)))
    names = SUBREDDITS[group]
    return names[int(rng.random() * len(names))]
