"""A small phrase grammar that composes varied posts from phrase banks.

A :class:`Template` is a sequence of sentences. In a sentence:

* ``[a|b|c]`` picks one alternative (``[a|b|]`` may pick nothing);
* ``{name}`` is replaced by a filler: a fixed string, a bank of phrases (itself using this
  grammar) or a function of the random generator;
* a leading ``?`` makes the sentence optional (kept half of the time, ``??`` a quarter);
* a leading ``~`` makes it movable: movable sentences are shuffled among their positions.

Composing each post from several independent choices, fillers (cities, times, names, numbers)
and optional or moved sentences keeps unrelated posts apart, so the ingest's near-duplicate
detection flags the intended copies and not the posts that merely share a storyline.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_ALTERNATIVES = re.compile(r"\[([^\[\]]*)\]")
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE = re.compile(r" +([.,)])")
_DOUBLE_PUNCT = re.compile(r"([.!?])\.")
_ELISION = re.compile(r"(?<=\b[cdjlmnstCDJLMNST])' (?=\w)|(?<=\b[qQ]u)' (?=\w)")
_MAX_DEPTH = 6

#: A piece of text split into literal text (even positions) and placeholder names (odd ones).
Split = tuple[str, ...]


class TemplateError(ValueError):
    """A phrase uses a placeholder no filler provides."""


def _split(text: str) -> Split:
    return tuple(_PLACEHOLDER.split(text))


@dataclass(frozen=True, slots=True)
class Phrase:
    """One compiled sentence: literal pieces and choice points, placeholders pre-split."""

    pieces: tuple[Split | tuple[Split, ...], ...]
    keep: float = 1.0
    movable: bool = False

    def render(self, rng: random.Random, fillers: Fillers, depth: int = 0) -> str:
        out: list[str] = []
        for piece in self.pieces:
            if piece and isinstance(piece[0], tuple):
                piece = piece[int(rng.random() * len(piece))]
            for index, segment in enumerate(piece):
                if index % 2:
                    out.append(_fill(str(segment), rng, fillers, depth))
                else:
                    out.append(str(segment))
        return "".join(out)


def phrase(source: str) -> Phrase:
    keep, movable = 1.0, False
    while source[:1] in ("?", "~"):
        if source.startswith("??"):
            keep, source = 0.25, source[2:]
        elif source.startswith("?"):
            keep, source = 0.5, source[1:]
        else:
            movable, source = True, source[1:]
    pieces: list[Split | tuple[Split, ...]] = []
    position = 0
    for match in _ALTERNATIVES.finditer(source):
        if match.start() > position:
            pieces.append(_split(source[position : match.start()]))
        pieces.append(tuple(_split(option) for option in match.group(1).split("|")))
        position = match.end()
    if position < len(source):
        pieces.append(_split(source[position:]))
    return Phrase(tuple(pieces), keep, movable)


@dataclass(frozen=True, slots=True)
class Bank:
    """Alternative phrases for one filler; one is picked and rendered."""

    phrases: tuple[Phrase, ...]

    def pick(self, rng: random.Random) -> Phrase:
        return self.phrases[int(rng.random() * len(self.phrases))]


def bank(*sources: str) -> Bank:
    return Bank(tuple(phrase(s) for s in sources))


@dataclass(frozen=True, slots=True)
class Template:
    sentences: tuple[Phrase, ...]


def template(*sources: str) -> Template:
    return Template(tuple(phrase(s) for s in sources))


Fillers = Mapping[str, "str | Bank | Callable[[random.Random], str]"]


def _fill(name: str, rng: random.Random, fillers: Fillers, depth: int) -> str:
    try:
        filler = fillers[name]
    except KeyError:
        msg = f"A phrase uses {{{name}}}, which no filler provides."
        raise TemplateError(msg) from None
    if isinstance(filler, str):
        return filler
    if isinstance(filler, Bank):
        if depth >= _MAX_DEPTH:
            msg = f"The filler {{{name}}} nests fillers too deeply."
            raise TemplateError(msg)
        return filler.pick(rng).render(rng, fillers, depth + 1)
    return filler(rng)


def expand(text: str, rng: random.Random, fillers: Fillers) -> str:
    """Render a one-off phrase written in the grammar (alternatives and placeholders)."""
    return phrase(text).render(rng, fillers)


def render(tpl: Template, rng: random.Random, fillers: Fillers) -> str:
    """Compose one text from ``tpl``."""
    chosen: list[Phrase | None] = [
        p if p.keep >= 1.0 or rng.random() < p.keep else None for p in tpl.sentences
    ]
    movable = [i for i, p in enumerate(chosen) if p is not None and p.movable]
    if len(movable) > 1:
        moved = [chosen[i] for i in movable]
        rng.shuffle(moved)
        for i, p in zip(movable, moved, strict=True):
            chosen[i] = p
    parts = []
    for p in chosen:
        if p is None:
            continue
        text = p.render(rng, fillers).strip()
        if text:
            parts.append(text)
    return tidy(" ".join(parts))


def tidy(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _DOUBLE_PUNCT.sub(r"\1", text)
    text = _ELISION.sub("'", text)
    text = text.replace(" \n", "\n").replace("\n ", "\n")
    text = text.strip()
    return text[:1].upper() + text[1:] if text[:1].islower() else text


def pick(rng: random.Random, options: tuple[str, ...]) -> str:
    return options[int(rng.random() * len(options))]
