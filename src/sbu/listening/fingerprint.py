"""Fingerprints that find copies and near-duplicates among posts.

* **Copies**: the text normalised by :func:`sbu.core.text.duplicate_key_text` (no links, handles,
  hashtags, punctuation, emoji, case or accents) is hashed to a 64-bit ``content_hash``; equal
  hashes mean the same words in the same order.
* **Near-duplicates**: MinHash over the set of *word pairs* of a text (``BANDS * ROWS``
  permutations) estimates how many pairs two texts share, and locality-sensitive hashing groups
  the permutations into ``BANDS`` band keys: two texts sharing 80 % of their word pairs share at
  least one key with probability 0.93 (0.995 at 90 %, 0.15 at 50 %). Word pairs rather than
  single words, because unrelated posts share many common words ("le", "de", "the") but few
  pairs: single words made unrelated posts candidates at a rate that grows with the store.
  Texts that share a key are then compared exactly (:func:`similarity`, on words and word
  pairs), so a flag is never a guess.

Hashes are computed with NumPy over a whole batch at once; word hashes are cached per process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain, pairwise

import numpy as np

from sbu.core.text import duplicate_key_text

BANDS = 5
ROWS = 4
#: Texts with fewer words are only compared as exact copies.
MIN_NEAR_WORDS = 6
_MASK64 = (1 << 64) - 1
_CACHE_LIMIT = 500_000

# Fixed multipliers and offsets of the permutations: stored keys must stay comparable across
# processes and releases, so these never change (changing them needs a re-index migration).
_SEEDS = np.random.default_rng(20261128).integers(1, 2**63, size=(2, BANDS * ROWS), dtype=np.uint64)
_MULTIPLIERS = _SEEDS[0] | np.uint64(1)
_OFFSETS = _SEEDS[1]
_PAIR_MIX = np.uint64(0x100000001B3)
_BAND_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
                     dtype=np.uint64)  # fmt: skip


def to_signed64(value: int) -> int:
    value &= _MASK64
    return value - (1 << 64) if value >= 1 << 63 else value


def _hash64(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    #: Signed 64-bit hash of the normalised text, or None when it is too short to be a copy.
    content_hash: int | None
    #: LSH band keys (signed 64-bit), empty when the text has too few words to compare.
    band_keys: tuple[int, ...]


def shingles(normalised: str) -> frozenset[str]:
    """Words and word pairs of a normalised text."""
    words = normalised.split()
    return frozenset(words) | frozenset(f"{a} {b}" for a, b in pairwise(words))


def similarity(a: str, b: str) -> float:
    """Jaccard overlap of the words and word pairs of two normalised texts (0 to 1)."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


class Fingerprinter:
    """Computes fingerprints; one instance per ingest service (it caches word hashes)."""

    def __init__(self, min_chars: int) -> None:
        self.min_chars = min_chars
        self._word_hashes: dict[str, int] = {}

    def _hashes(self, words: list[str]) -> list[int]:
        cache = self._word_hashes
        try:
            return list(map(cache.__getitem__, words))
        except KeyError:
            if len(cache) + len(words) > _CACHE_LIMIT:
                cache.clear()
            for word in words:
                if word not in cache:
                    cache[word] = _hash64(word)
            return list(map(cache.__getitem__, words))

    def fingerprint_many(self, texts: Sequence[str]) -> list[Fingerprint]:
        normalised = [duplicate_key_text(text) for text in texts]
        keys = self._band_keys([norm.split() for norm in normalised])
        min_chars = self.min_chars
        return [
            Fingerprint(to_signed64(_hash64(norm)) if len(norm) >= min_chars else None, band_keys)
            for norm, band_keys in zip(normalised, keys, strict=True)
        ]

    def _band_keys(self, word_lists: Sequence[list[str]]) -> list[tuple[int, ...]]:
        keys: list[tuple[int, ...]] = [()] * len(word_lists)
        eligible = [i for i, words in enumerate(word_lists) if len(words) >= MIN_NEAR_WORDS]
        if not eligible:
            return keys
        hash_lists = [self._hashes(word_lists[i]) for i in eligible]
        lengths = np.fromiter(map(len, hash_lists), dtype=np.int64, count=len(hash_lists))
        flat = np.fromiter(
            chain.from_iterable(hash_lists), dtype=np.uint64, count=int(lengths.sum())
        )
        # Word pairs: each word with the next one, except across the end of a text.
        pairs = flat[:-1] * _PAIR_MIX ^ flat[1:]
        ends = np.cumsum(lengths)
        keep = np.ones(len(pairs), dtype=bool)
        keep[ends[:-1] - 1] = False  # the pair (last word of a text, first word of the next)
        pairs = pairs[keep]
        pair_counts = lengths - 1
        # (pairs x permutations) modulo 2**64; the high half of a multiply is the better mixed.
        permuted = pairs[:, None] * _MULTIPLIERS[None, :]
        permuted += _OFFSETS[None, :]
        permuted >>= np.uint64(32)
        starts = np.zeros(len(eligible), dtype=np.int64)
        np.cumsum(pair_counts[:-1], out=starts[1:])
        minima = np.minimum.reduceat(permuted, starts, axis=0)  # (texts x permutations)
        bands = minima.reshape(len(eligible), BANDS, ROWS)
        mixed = np.zeros((len(eligible), BANDS), dtype=np.uint64)
        for row in range(ROWS):
            mixed = (mixed ^ bands[:, :, row]) * _BAND_MIX[row]
        # Keep the band number in the low byte so equal minima in different bands differ.
        mixed = (mixed >> np.uint64(8) << np.uint64(8)) | np.arange(BANDS, dtype=np.uint64)[None, :]
        rows = mixed.view(np.int64).tolist()
        for position, i in enumerate(eligible):
            keys[i] = tuple(rows[position])
        return keys
