"""What each character outside ASCII becomes in match text, read on its own, as tables.

:mod:`.batch_text` normalises UTF-8 bytes of many posts at once; for the characters outside
ASCII it looks up, by code point, what :mod:`.normalize` would make of them:

- *folding* (:func:`fold_char`): ``é`` becomes ``e``, ``Œ`` ``oe``, a space outside ASCII a
  space; ``None`` when the character could fold differently beside others (it combines with
  the character before it, or it is the capital sigma, whose lower case depends on the letters
  around it);
- *word class* (:func:`word_class`): a letter (stays in its word), a pictograph (a word of its
  own) or a separator (a space).

:class:`CharTables` holds both as numpy arrays filled as characters are met, and
:func:`utf8_chars` finds the characters of a UTF-8 buffer with their code points.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache

import numpy as np
import numpy.typing as npt

from sbu.core.text import fold
from sbu.listening.query.normalize import EMOJI_CLASS

Array = npt.NDArray[np.int64]
Bytes = npt.NDArray[np.uint8]

#: Fold codes: not looked up yet, unchanged, folded to ASCII no longer than the character,
#: to be read in context, folded to something else.
UNKNOWN, SAME, ASCII, CONTEXT, OTHER = 255, 0, 1, 2, 3
#: Word classes.
LETTER, SEPARATOR, PICTOGRAPH = 0, 1, 2
#: Padding of the ASCII replacements: never a byte of UTF-8, so it marks bytes to delete.
DELETE = 0xFF
_CODE_POINTS = 0x110000
_BMP = 0x10000
_WORD = re.compile(r"\w")
_EMOJI = re.compile(f"[{EMOJI_CLASS}]")


@cache
def _composing() -> frozenset[str]:
    """Characters with no combining class that still compose with the character before them
    (the second character of a canonical decomposition in two, and Korean jamo)."""
    seconds: set[str] = set()
    for code in range(0x80, 0x30000):
        decomposition = unicodedata.decomposition(chr(code))
        if decomposition and not decomposition.startswith("<"):
            parts = decomposition.split()
            if len(parts) == 2:
                seconds.add(chr(int(parts[1], 16)))
    seconds.update(chr(c) for c in range(0x1161, 0x1176))  # Hangul vowels
    seconds.update(chr(c) for c in range(0x11A8, 0x11C3))  # Hangul final consonants
    return frozenset(seconds)


def _in_context(char: str) -> bool:
    """Could this character fold differently beside others than alone?"""
    if char == "\u03a3" or char in _composing():  # capital sigma: final or not
        return True
    return unicodedata.combining(unicodedata.normalize("NFD", char)[0]) != 0


def fold_char(char: str, *, folded: bool) -> str | None:
    """What folding makes of one character outside ASCII (spaces become spaces), or None when
    the text around it matters. Unfolded text only turns spaces into spaces, and reads the long
    s (``ſ``) in context: a case-insensitive link reads it as ``s``."""
    if not folded:
        if char == "\u017f":
            return None
        return " " if char.isspace() else char
    if _in_context(char):
        return None
    result = "".join(" " if c.isspace() else c for c in fold(char))
    if any(fold_char(c, folded=True) != c for c in result if not c.isascii() and c != char):
        return None  # folding it twice would change it again: leave it to the reference
    return result


def word_class(char: str) -> int:
    """LETTER, SEPARATOR or PICTOGRAPH, as :mod:`.normalize` splits words."""
    if _EMOJI.match(char):
        return PICTOGRAPH
    return LETTER if _WORD.match(char) else SEPARATOR


@dataclass(frozen=True)
class Chars:
    """The characters outside ASCII of a UTF-8 buffer: where each starts, its length in bytes
    and its code point."""

    starts: Array
    sizes: Array
    codes: Array


def utf8_chars(buffer: Bytes) -> Chars:
    starts = np.flatnonzero(buffer >= 0xC0).astype(np.int64)
    if not starts.size:
        empty = np.zeros(0, np.int64)
        return Chars(empty, empty, empty)
    padded = np.concatenate([buffer, np.zeros(3, np.uint8)])
    first = padded[starts].astype(np.int64)
    c1 = padded[starts + 1].astype(np.int64) & 0x3F
    c2 = padded[starts + 2].astype(np.int64) & 0x3F
    c3 = padded[starts + 3].astype(np.int64) & 0x3F
    sizes = np.where(first >= 0xF0, 4, np.where(first >= 0xE0, 3, 2))
    codes = np.where(
        sizes == 2,
        ((first & 0x1F) << 6) | c1,
        np.where(
            sizes == 3,
            ((first & 0x0F) << 12) | (c1 << 6) | c2,
            ((first & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3,
        ),
    )
    return Chars(starts, sizes, codes)


@dataclass
class CharTables:
    """Fold codes, ASCII replacements and word classes by code point, for folded text or not;
    each character is worked out the first time a batch holds it."""

    folded: bool
    fold_codes: Bytes = field(init=False, repr=False)
    #: For ASCII-coded characters of the Basic Multilingual Plane: their replacement bytes,
    #: padded with DELETE to the character's length.
    replacements: Bytes = field(init=False, repr=False)
    classes: Bytes = field(init=False, repr=False)
    _folds: dict[int, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.fold_codes = np.full(_CODE_POINTS, UNKNOWN, np.uint8)
        self.replacements = np.full((_BMP, 3), DELETE, np.uint8)
        self.classes = np.full(_CODE_POINTS, UNKNOWN, np.uint8)

    def fold_codes_of(self, codes: Array) -> Bytes:
        found = self.fold_codes[codes]
        for code in np.unique(codes[found == UNKNOWN]).tolist():
            self._learn_fold(code)
        return self.fold_codes[codes] if (found == UNKNOWN).any() else found

    def folded_char(self, code: int) -> str | None:
        return self._folds[code]

    def classes_of(self, codes: Array) -> Bytes:
        found = self.classes[codes]
        unknown = found == UNKNOWN
        if unknown.any():
            for code in np.unique(codes[unknown]).tolist():
                self.classes[code] = word_class(chr(code))
            found = self.classes[codes]
        return found

    def _learn_fold(self, code: int) -> None:
        char = chr(code)
        result = fold_char(char, folded=self.folded)
        self._folds[code] = result
        if result is None:
            self.fold_codes[code] = CONTEXT
        elif result == char:
            self.fold_codes[code] = SAME
        elif code < _BMP and result.isascii() and len(result) <= len(char.encode()):
            self.fold_codes[code] = ASCII
            self.replacements[code, : len(result)] = list(result.encode())
        else:
            self.fold_codes[code] = OTHER
