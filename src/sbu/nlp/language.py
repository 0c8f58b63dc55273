"""Language identification of short posts: naive Bayes over hashed character 1..4-grams.

A text is lowercased; links, @handles and the bare ``http`` left by anonymised datasets are
removed; every run of characters that are not letters (digits, punctuation, emoji, spaces)
becomes one space and combining marks (Arabic vowel signs, for example) are dropped; the text is
framed by spaces so that n-grams see where words begin and end. Each character n-gram
(n = 1..4, the lone space excepted) is hashed into one of ``buckets`` rows of a weight table that
holds, per language, the centred log-probability of the n-gram under a multinomial naive Bayes
model; n-grams unseen in training weigh nothing. A text's scores are the sums of its n-grams'
rows, turned into probabilities by a softmax with a temperature calibrated on held-out
training posts (:mod:`sbu.nlp.language_training`).

The whole batch is processed at once with numpy (one string, one array of code points, one
gather per n), which is what makes it fast: see docs/nlp/language.md for the measured accuracy
and speed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt

from sbu.core.errors import ConfigError, InvalidInput

#: The outcome for a text in no allowed language, too uncertain, or with too few letters.
OTHER = "other"
#: Below this many letters a text is "other" (a word like "ok" or "lol" says nothing).
MIN_LETTERS = 3
#: Default threshold on the probability of the best allowed language.
MIN_CONFIDENCE = 0.5
#: Texts processed together in one numpy pass (bounds memory: about 100 MB at 20,000).
BATCH_SIZE = 4_000
#: Longest n-gram.
MAX_N = 4
#: Where the shipped model lives, inside the package.
ARTEFACT = "language.npz"

_STRIP = re.compile(r"https?\b[^\s\x00]*|www\.[^\s\x00]+|@\w+")
_SEPARATOR = "\x00"
_SPACE = 32
# Character classes of the Basic Multilingual Plane (other planes are emoji and rare scripts).
_OTHER, _LETTER, _MARK, _BOUNDARY = 0, 1, 2, 3
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_STEP = np.uint64(0x100000001B3)
_SHIFT_30, _SHIFT_27, _SHIFT_31 = np.uint64(30), np.uint64(27), np.uint64(31)

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]


@cache
def _classes() -> npt.NDArray[np.uint8]:
    """The class of every BMP code point: letter, combining mark, text boundary or other."""
    table = np.zeros(0x10000, dtype=np.uint8)
    for point in range(0x10000):
        char = chr(point)
        if char.isalpha():
            table[point] = _LETTER
        elif unicodedata.category(char).startswith("M"):
            table[point] = _MARK
    table[0] = _BOUNDARY
    return table


@dataclass(frozen=True, slots=True)
class Grams:
    """The n-grams of a batch: one bucket per position and n (``buckets`` = none there)."""

    buckets: IntArray  # shape (positions, MAX_N)
    starts: IntArray  # first position of each text
    letters: IntArray  # letters in each text


def normalise(texts: Sequence[str]) -> tuple[npt.NDArray[np.uint32], IntArray]:
    """The code points of the normalised texts, each framed by spaces and ended by a 0.

    Returns the code points (texts one after the other) and the first position of each text.
    """
    joined = f" {_SEPARATOR} ".join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a text holds a NUL: make it a space
        joined = f" {_SEPARATOR} ".join(text.replace(_SEPARATOR, " ") for text in texts)
    joined = _STRIP.sub(" ", f" {joined} {_SEPARATOR}".lower())
    points = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    classes = np.where(points < 0x10000, _classes()[points & 0xFFFF], _OTHER)
    kept = classes != _MARK
    points, classes = points[kept], classes[kept]
    points = np.where(classes == _LETTER, points, np.where(classes == _BOUNDARY, 0, _SPACE))
    spaces = points == _SPACE
    single = np.ones(points.size, dtype=bool)
    single[1:] = ~(spaces[1:] & spaces[:-1])
    points = points[single].astype(np.uint32)
    ends = np.flatnonzero(points == 0)
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    return points, starts


def grams(texts: Sequence[str], buckets: int) -> Grams:
    """Hash the character 1..MAX_N-grams of ``texts`` into ``buckets`` (a power of two)."""
    points, starts = normalise(texts)
    size = points.size
    padded = np.zeros(size + MAX_N - 1, dtype=np.uint64)
    padded[:size] = points
    boundary = padded == 0
    letters = np.add.reduceat((points != 0) & (points != _SPACE), starts).astype(np.int64)
    out = np.empty((size, MAX_N), dtype=np.int64)
    mask = np.uint64(buckets - 1)
    code = padded[:size].copy()
    invalid = boundary[:size] | (padded[:size] == _SPACE)  # no lone-space unigram
    for n in range(1, MAX_N + 1):
        if n > 1:
            code = code * _STEP ^ padded[n - 1 : n - 1 + size]
            invalid = boundary[:size].copy()
            for k in range(1, n):
                invalid |= boundary[k : k + size]
        mixed = code + np.uint64(n)
        mixed = (mixed ^ (mixed >> _SHIFT_30)) * _MIX_1
        mixed = (mixed ^ (mixed >> _SHIFT_27)) * _MIX_2
        mixed ^= mixed >> _SHIFT_31
        column = (mixed & mask).astype(np.int64)
        column[invalid] = buckets
        out[:, n - 1] = column
    return Grams(out, starts, letters)


class LanguageIdentifier:
    """Identifies the language of short posts among the languages of its model.

    ``weights`` has one row per bucket plus a last row of zeros (for "no n-gram here") and one
    column per language of ``languages`` (ISO 639-1 codes).
    """

    def __init__(self, languages: Sequence[str], weights: FloatArray, temperature: float) -> None:
        buckets = weights.shape[0]
        if buckets & (buckets - 1) or weights.shape[1] != len(languages):
            raise ConfigError(
                "The language model is inconsistent (its buckets must be a power of two and it "
                "needs one column per language): retrain it with `sbu nlp train-language`."
            )
        self.languages: tuple[str, ...] = tuple(languages)
        self.buckets = buckets
        self.temperature = float(temperature)
        table = np.zeros((buckets + 1, len(languages)), dtype=np.float32)
        table[:buckets] = weights
        self._weights = table

    @classmethod
    def load(cls, path: Path | None = None) -> LanguageIdentifier:
        """The model shipped in the package (``sbu/nlp/data/language.npz``), or ``path``'s."""
        try:
            if path is None:
                with (resources.files("sbu.nlp") / "data" / ARTEFACT).open("rb") as file:
                    return cls._from_npz(file)
            with path.open("rb") as file:
                return cls._from_npz(file)
        except (OSError, ValueError, KeyError) as exc:
            where = path or f"the package (sbu/nlp/data/{ARTEFACT})"
            raise ConfigError(
                f"Cannot read the language model from {where} ({exc}): reinstall sbu or "
                "retrain it with `sbu nlp train-language`."
            ) from exc

    @classmethod
    def _from_npz(cls, file: IO[bytes]) -> LanguageIdentifier:
        with np.load(file, allow_pickle=False) as data:
            scale = float(data["scale"])
            weights = data["weights"].astype(np.float32) * np.float32(scale)
            languages = [str(code) for code in data["languages"]]
            temperature = float(data["temperature"])
        return cls(languages, weights, temperature)

    def check_allowed(self, allowed: Sequence[str] | None) -> npt.NDArray[np.bool_]:
        """The mask of the model's languages that ``allowed`` keeps (all when None)."""
        if allowed is None:
            return np.ones(len(self.languages), dtype=bool)
        unknown = sorted(set(allowed) - set(self.languages))
        if unknown:
            raise InvalidInput(
                f"The language model does not know {', '.join(unknown)}: allow only "
                f"{', '.join(self.languages)} (ISO 639-1 codes), or retrain it with data in "
                "those languages."
            )
        return np.array([code in allowed for code in self.languages], dtype=bool)

    def scores(self, texts: Sequence[str]) -> tuple[FloatArray, IntArray]:
        """Per text, the naive Bayes score of each language (before the temperature), and
        its letter count."""
        scores = np.empty((len(texts), len(self.languages)), dtype=np.float32)
        letters = np.empty(len(texts), dtype=np.int64)
        for first in range(0, len(texts), BATCH_SIZE):
            batch = texts[first : first + BATCH_SIZE]
            found = grams(batch, self.buckets)
            rows = self._weights[found.buckets].sum(axis=1)
            scores[first : first + len(batch)] = np.add.reduceat(rows, found.starts, axis=0)
            letters[first : first + len(batch)] = found.letters
        return scores, letters

    def softmax(self, scores: FloatArray) -> FloatArray:
        """The probabilities of the languages for ``scores`` (at the model's temperature)."""
        tempered = scores * np.float32(self.temperature)
        tempered -= tempered.max(axis=1, keepdims=True)
        np.exp(tempered, out=tempered)
        tempered /= tempered.sum(axis=1, keepdims=True)
        return tempered

    def probabilities(self, texts: Sequence[str]) -> tuple[FloatArray, IntArray]:
        """Per text, the probability of each language of the model, and its letter count."""
        scores, letters = self.scores(texts)
        return self.softmax(scores), letters

    def identify(
        self,
        texts: Sequence[str],
        allowed: Sequence[str] | None = None,
        min_confidence: float = MIN_CONFIDENCE,
    ) -> list[tuple[str, float]]:
        """The (ISO 639-1 code or "other", probability) of each text.

        The answer is the allowed language with the highest probability (over all the model's
        languages, so a German post is "other" when only French and English are allowed),
        unless that probability is below ``min_confidence`` or the text has fewer than
        MIN_LETTERS letters: then "other", with the probability of the best allowed language
        (0.0 when there are too few letters).
        """
        if not texts:
            return []
        keep = self.check_allowed(allowed)
        probabilities, letters = self.probabilities(texts)
        masked = np.where(keep, probabilities, -1.0)
        best = masked.argmax(axis=1)
        confidence = masked[np.arange(len(texts)), best]
        codes = np.array(self.languages, dtype=object)[best]
        enough = letters >= MIN_LETTERS
        confidence = np.where(enough, confidence, 0.0)
        codes = np.where(enough & (confidence >= min_confidence), codes, OTHER)
        return [(str(code), float(p)) for code, p in zip(codes, confidence, strict=True)]

    def identify_one(
        self,
        text: str,
        allowed: Sequence[str] | None = None,
        min_confidence: float = MIN_CONFIDENCE,
    ) -> tuple[str, float]:
        """:meth:`identify` for one text."""
        return self.identify([text], allowed, min_confidence)[0]
