"""Phrase banks of the demo, in French and English, one module per storyline.

Each module defines ``FILLERS`` (named phrase banks), ``POSTS`` (templates by ``kind/lang``;
``kind!viral/lang`` for the longer text of a post that goes viral, ``kind!short/lang`` for
replies too short to compare; ``kind@storyline/lang`` for a
storyline's own wording of a generic kind) and ``TITLES`` (Reddit titles, press headlines and
video titles by ``kind/lang``, with generic ``title.<intent>/lang`` fallbacks).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType, ModuleType
from typing import Any

from sbu.demo.phrases import (
    b2b,
    brand,
    common,
    competitors,
    jobs,
    launch,
    noise,
    outage,
    partners,
    pricecut,
    replies,
    supplier,
)
from sbu.demo.texts import Bank, Template

MODULES: tuple[ModuleType, ...] = (
    common,
    replies,
    brand,
    outage,
    launch,
    pricecut,
    supplier,
    jobs,
    b2b,
    partners,
    competitors,
    noise,
)


def _merge(name: str) -> Mapping[str, Any]:
    merged: dict[str, Any] = {}
    for module in MODULES:
        for key, value in getattr(module, name).items():
            if key in merged:
                msg = f"{module.__name__}.{name} defines {key!r} again."
                raise ValueError(msg)
            merged[key] = value
    return MappingProxyType(merged)


FILLERS: Mapping[str, Any] = _merge("FILLERS")
POSTS: Mapping[str, tuple[Template, ...]] = _merge("POSTS")
TITLES: Mapping[str, Bank] = _merge("TITLES")


def templates(
    kind: str, lang: str, *, storyline: str = "", variant: str = ""
) -> tuple[Template, ...]:
    """The templates for a kind in a language (variant and storyline wording first)."""
    candidates = []
    if variant:
        candidates.append(f"{kind}!{variant}/{lang}")
    if storyline:
        candidates.append(f"{kind}@{storyline}/{lang}")
    candidates += [f"{kind}/{lang}", f"{kind}/fr"]
    for key in candidates:
        found = POSTS.get(key)
        if found:
            return found
    msg = f"No phrase bank writes {kind!r} posts."
    raise KeyError(msg)


def title_bank(kind: str, intent: str, lang: str) -> Bank:
    for key in (f"{kind}/{lang}", f"title.{intent}/{lang}", f"{kind}/fr", f"title.{intent}/fr"):
        found = TITLES.get(key)
        if found is not None:
            return found
    return TITLES["title.comment/fr"]
