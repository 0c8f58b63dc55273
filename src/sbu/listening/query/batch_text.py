"""The match text of many posts at once, fast: the same strings as :func:`.normalize.match_text`.

The matcher reads every new post, so normalising text is its hot path. :func:`.normalize.match_text`
defines match text with regular expressions over Unicode text; run over a batch they cost more than
the matching itself. :class:`BatchNormaliser` computes the same result on the UTF-8 bytes of a
whole batch, where the work runs in C (bytes methods, expressions that start with a literal, and
numpy over the characters outside ASCII):

1. fold: ASCII by a translation table; each other character on its own, as looked up in
   :mod:`.characters` (spaces outside ASCII become spaces);
2. links and ``@user@instance``: the expressions of :mod:`.normalize`, as bytes expressions;
3. each remaining character outside ASCII is a letter (kept), a pictograph (spaced) or a
   separator (a space);
4. ASCII separators become spaces, a ``#``/``@`` not followed by a word character too, and
   spaces are collapsed.

Folding characters one by one equals folding the text except where a character combines with its
neighbour or where case depends on the letters around (see :func:`.characters.fold_char`); a
handle followed by a letter outside ASCII (a word character in text, not in bytes)
also reads differently as bytes. Posts holding any of these are normalised by the reference
instead, so results are always equal. The property tests compare both on generated texts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from sbu.listening.query.characters import (
    ASCII,
    CONTEXT,
    DELETE,
    OTHER,
    PICTOGRAPH,
    SEPARATOR,
    CharTables,
    utf8_chars,
)
from sbu.listening.query.normalize import POST_SEPARATOR, match_text

Array = npt.NDArray[np.int64]

_SEP = POST_SEPARATOR.encode()
_SEP_BYTE = _SEP[0]
#: Posts are joined with spaces around the separator, so no word runs into the next post.
_JOINER = b" " + _SEP + b" "
# Where normalize.URL may start (a link then runs to the next space).
_HTTP = re.compile(rb"https?://")
_WWW = re.compile(rb"www\.")
_HTTP_LINK = re.compile(rb"https?://[^ ]+")
_WWW_LINK = re.compile(rb"www\.[^ ]+")
_HTTP_LINK_ANY_CASE = re.compile(rb"https?://[^ ]+", re.IGNORECASE)
_WWW_LINK_ANY_CASE = re.compile(rb"www\.[^ ]+", re.IGNORECASE)
# normalize.MENTION_INSTANCE as a bytes expression, where \w is ASCII.
_INSTANCE = re.compile(rb"(@\w+)@[\w.\-]+")
#: A handle followed directly by a non-ASCII character (maybe a letter, which \w would take).
_HANDLE_THEN_NON_ASCII = re.compile(rb"@[\w.\-@]*[\x80-\xff]")
_LONE_HASH = re.compile(rb"#(?![\w\x80-\xff])")
_LONE_AT = re.compile(rb"@(?![\w\x80-\xff])")
_WORD = re.compile(r"\w")


def _separator_table() -> bytes:
    """ASCII separators (as the reference splits words) become spaces; other bytes stay."""
    table = bytearray(range(256))
    for code in range(128):
        char = chr(code)
        if char in (POST_SEPARATOR, "#", "@"):
            continue
        if match_text(f"a{char}a", folded=False) != f"a{char}a":
            table[code] = ord(" ")
    return bytes(table)


_SEPARATOR_TABLE = _separator_table()
#: ASCII spaces (as \s reads them) become spaces: they separate words and end links alike.
_SPACES = bytes(ord(" ") if chr(b).isspace() and b < 128 else b for b in range(256))
_LOWER_SPACES = _SPACES.translate(
    bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", b"abcdefghijklmnopqrstuvwxyz")
)


@dataclass
class EncodedBatch:
    """Match texts of a batch in one buffer: ``b" text0 \\x00 text1 \\x00 ... "``.

    Words are separated by single spaces and every post has a space before and after it, so
    ``b" word "`` finds the word anywhere. Texts are UTF-8 (lone surrogates pass through).
    """

    data: bytes
    #: Offset of each post separator in ``data`` (one fewer than posts).
    separators: Array
    size: int

    def bounds(self, index: int) -> tuple[int, int]:
        start = int(self.separators[index - 1]) + 1 if index else 0
        end = int(self.separators[index]) if index < self.size - 1 else len(self.data)
        return start, end

    def text(self, index: int) -> str:
        start, end = self.bounds(index)
        return self.data[start:end].strip(b" ").decode("utf-8", "surrogatepass")

    def select(self, indexes: npt.NDArray[np.int64]) -> EncodedBatch:
        """The batch of these posts only (in this order)."""
        ends = np.append(self.separators, len(self.data))
        starts = np.concatenate([[0], self.separators + 1])
        data = self.data
        parts = [
            data[start:end]
            for start, end in zip(starts[indexes].tolist(), ends[indexes].tolist(), strict=True)
        ]
        data = _SEP.join(parts)
        return EncodedBatch(data, _separators(data), len(parts))

    def texts(self) -> list[str]:
        if not self.size:
            return []
        return [part.strip(b" ").decode("utf-8", "surrogatepass") for part in self.data.split(_SEP)]


@dataclass
class BatchNormaliser:
    """Normalises batches of texts; ``folded=False`` gives the text ``raw:`` reads."""

    folded: bool = True
    _tables: CharTables | None = field(default=None, repr=False)

    @property
    def tables(self) -> CharTables:
        """The character tables, made when the first text outside ASCII comes."""
        if self._tables is None:
            self._tables = CharTables(self.folded)
        return self._tables

    def match_texts(self, texts: Sequence[str]) -> list[str]:
        """``[match_text(t, folded=self.folded) for t in texts]``, computed together."""
        return self.encode(texts).texts() if texts else []

    def encode(self, texts: Sequence[str]) -> EncodedBatch:
        if not texts:
            return EncodedBatch(b"", np.zeros(0, np.int64), 0)
        try:
            encoded = [text.encode() for text in texts]
        except UnicodeEncodeError:  # lone surrogates: each post is read by the reference
            return self._reference(texts, range(len(texts)), _JOINER.join([b""] * len(texts)))
        data = b" " + _JOINER.join(encoded) + b" "
        if data.count(_SEP) != len(texts) - 1:  # a text holds the separator: it is a space
            data = b" " + _JOINER.join([e.replace(_SEP, b" ") for e in encoded]) + b" "
        tricky: set[int] = set()
        data = data.translate(_LOWER_SPACES if self.folded else _SPACES)
        if not data.isascii():
            data = self._fold(data, tricky)
        data = self._remove_links(data)
        if b"@" in data:
            self._check_handles(data, tricky)
            data = _INSTANCE.sub(rb"\1", data)
        if not data.isascii():
            data = self._split_non_ascii(data)
        data = data.translate(_SEPARATOR_TABLE)
        if b"#" in data:
            data = _LONE_HASH.sub(b" ", data)
        if b"@" in data:
            data = _LONE_AT.sub(b" ", data)
        data = _collapse_spaces(data)
        if tricky:
            return self._reference(texts, sorted(tricky), data)
        return EncodedBatch(data, _separators(data), len(texts))

    def _reference(self, texts: Sequence[str], indexes: Sequence[int], data: bytes) -> EncodedBatch:
        parts = data.split(_SEP)
        for index in indexes:
            text = match_text(texts[index], folded=self.folded)
            parts[index] = b" " + text.encode("utf-8", "surrogatepass") + b" "
        joined = _SEP.join(parts)
        return EncodedBatch(joined, _separators(joined), len(texts))

    def _fold(self, data: bytes, tricky: set[int]) -> bytes:
        """Step 1 outside ASCII: characters that fold to no more ASCII bytes than they have are
        rewritten in place (numpy), the few others replaced one kind at a time."""
        buffer = np.frombuffer(data, np.uint8)
        chars = utf8_chars(buffer)
        codes = self.tables.fold_codes_of(chars.codes)
        context = codes == CONTEXT
        if context.any():
            tricky.update(_posts_at(buffer, chars.starts[context]))
        other = np.unique(chars.codes[codes == OTHER]).tolist()
        simple = codes == ASCII
        if simple.any():
            out = buffer.copy()
            starts, sizes, points = chars.starts[simple], chars.sizes[simple], chars.codes[simple]
            for k in range(3):
                within = sizes > k
                out[starts[within] + k] = self.tables.replacements[points[within], k]
            data = out[out != DELETE].tobytes()
        for code in other:  # folding is idempotent on these (fold_char): order does not matter
            data = data.replace(chr(code).encode(), str(self.tables.folded_char(code)).encode())
        return data

    def _remove_links(self, data: bytes) -> bytes:
        """``URL.sub(" ", data)``: a link runs from where it starts to the next space (every
        space is a space by now, and the post separator has spaces around it)."""
        haystack = data if self.folded else data.lower()
        www = b"www." in haystack
        if www and b"www.http" in haystack:
            return self._remove_links_in_order(data, haystack)
        data = (_HTTP_LINK if self.folded else _HTTP_LINK_ANY_CASE).sub(b" ", data)
        if www:
            data = (_WWW_LINK if self.folded else _WWW_LINK_ANY_CASE).sub(b" ", data)
        return data

    def _remove_links_in_order(self, data: bytes, haystack: bytes) -> bytes:
        """Links one after the other: ``www.http://...`` is one link, not a ``www.`` before one.
        (Elsewhere removing ``http`` links first, then ``www.`` ones, gives the same.)"""
        starts = [(found.start(), found.end()) for found in _HTTP.finditer(haystack)]
        starts.extend((found.start(), found.end()) for found in _WWW.finditer(haystack))
        starts.sort()
        pieces: list[bytes] = []
        done = 0
        for start, body in starts:
            if start < done:
                continue
            end = data.find(b" ", body)
            if end != body:
                pieces.append(data[done:start])
                pieces.append(b" ")
                done = end
        pieces.append(data[done:])
        return b"".join(pieces)

    def _check_handles(self, data: bytes, tricky: set[int]) -> None:
        positions: list[int] = []
        for found in _HANDLE_THEN_NON_ASCII.finditer(data):
            start = found.end() - 1
            char = data[start : start + 4].decode("utf-8", "ignore")[:1]
            if not char or _WORD.match(char):
                positions.append(start)
        if positions:
            buffer = np.frombuffer(data, np.uint8)
            tricky.update(_posts_at(buffer, np.array(positions, np.int64)))

    def _split_non_ascii(self, data: bytes) -> bytes:
        """Step 3: separators outside ASCII become spaces, pictographs get spaces around."""
        buffer = np.frombuffer(data, np.uint8)
        chars = utf8_chars(buffer)
        classes = self.tables.classes_of(chars.codes)
        out = buffer.copy()
        separators = classes == SEPARATOR
        for k in range(4):
            within = separators & (chars.sizes > k)
            out[chars.starts[within] + k] = ord(" ")
        pictographs = classes == PICTOGRAPH
        if pictographs.any():
            starts = chars.starts[pictographs]
            around = np.concatenate([starts, starts + chars.sizes[pictographs]])
            out = np.insert(out, around, ord(" "))
        return out.tobytes()


def _collapse_spaces(data: bytes) -> bytes:
    buffer = np.frombuffer(data, np.uint8)
    spaces = buffer == ord(" ")
    doubled = spaces[1:] & spaces[:-1]
    if not doubled.any():
        return data
    keep = np.ones(buffer.size, np.bool_)
    keep[1:] = ~doubled
    return buffer[keep].tobytes()


def _separators(data: bytes) -> Array:
    return np.flatnonzero(np.frombuffer(data, np.uint8) == _SEP_BYTE).astype(np.int64)


def _posts_at(buffer: npt.NDArray[np.uint8], positions: Array) -> list[int]:
    """Indexes of the posts (separated by \\x00) that hold these byte positions."""
    separators = np.flatnonzero(buffer == _SEP_BYTE)
    return sorted(set(np.searchsorted(separators, positions).tolist()))
