"""All active topics compiled into one matcher.

:func:`compile_topics` turns ``(key, query tree)`` pairs into a :class:`Matcher`; its
:meth:`~Matcher.match` gives, for each post, the keys of the topics it matches, in compile
order, exactly as the reference evaluator (:func:`.evaluate.matches`) would. For each batch:

1. the match text of every post is computed at once (:mod:`.batch_text`);
2. one multi-string scan (Hyperscan where installed, else an Aho-Corasick automaton: see
   :mod:`.automaton`) finds the *trigger* words and phrases of every topic in every post: the
   rarest side of each AND, every side of each OR (:mod:`.plan`);
   the topics with a trigger present are the candidates, the posts holding one the candidate
   posts;
3. a second scan finds the other words and phrases, in the candidate posts only; field
   filters are looked up (:mod:`.field_index`); NEAR is decided from the positions of the
   words found (:mod:`.masks`);
4. a phrase with wildcards (``colo?r``, ``"conn* client"``) is found by a fragment, then
   checked with a regular expression in the posts holding the fragment (:func:`.plan.phrase_pattern`);
5. each word, phrase, field and NEAR becomes a bitmask of posts, and each candidate topic is
   evaluated once for the whole batch as an expression over those masks.

When most posts of a batch are candidates (topics about brands that most posts name), the next
batch is scanned once for every word and phrase instead of twice.

A matcher is compiled once for all topics and reused for every batch; compile it again when
topics change. It keeps small caches, so give each thread its own.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Hashable, Sequence
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from sbu.listening.query.automaton import Engine, Hits, Scanner
from sbu.listening.query.batch_text import BatchNormaliser, EncodedBatch
from sbu.listening.query.field_index import FieldIndex
from sbu.listening.query.masks import NearTable, distinct_sorted, masks_of, posts_of
from sbu.listening.query.nodes import Node, Scope
from sbu.listening.query.plan import (
    FieldLeaf,
    Leaves,
    NearLeaf,
    PhraseLeaf,
    Program,
    compile_programs,
    plan_topic,
)
from sbu.listening.query.posts import MatchPost, body_of

K = TypeVar("K", bound=Hashable)
Array = npt.NDArray[np.int64]

#: Posts evaluated together: masks are Python integers of this many bits.
BATCH_SIZE = 2048
_EMPTY = np.zeros(0, np.int64)
#: Below this many matching posts per topic, results are read bit by bit, above with numpy.
_FEW_POSTS = 16


class _Texts:
    """The match texts of one batch, per scope, computed when first needed."""

    def __init__(
        self, posts: Sequence[MatchPost], folded: BatchNormaliser, raw: BatchNormaliser
    ) -> None:
        self.posts = posts
        self._normalisers = {Scope.TEXT: folded, Scope.TITLE: folded, Scope.RAW: raw}
        self._sources: dict[Scope, list[str]] = {}
        self.full: dict[Scope, EncodedBatch] = {}
        self._texts: dict[tuple[Scope, int], str] = {}

    def _source(self, scope: Scope) -> list[str]:
        if scope not in self._sources:
            if scope is Scope.TITLE:
                self._sources[scope] = [post.title or "" for post in self.posts]
            else:
                bodies = self._sources.get(Scope.TEXT) or self._sources.get(Scope.RAW)
                self._sources[scope] = bodies or [body_of(post) for post in self.posts]
        return self._sources[scope]

    def text(self, scope: Scope, index: int) -> str:
        """The match text of one post."""
        key = (scope, index)
        if key not in self._texts:
            if scope in self.full:
                self._texts[key] = self.full[scope].text(index)
            else:
                source = self._source(scope)[index]
                self._texts[key] = self._normalisers[scope].encode([source]).text(0)
        return self._texts[key]

    def of(self, scope: Scope, indexes: Array | None = None) -> EncodedBatch:
        """Match texts of every post, or of the posts at ``indexes``."""
        if indexes is None:
            if scope not in self.full:
                self.full[scope] = self._normalisers[scope].encode(self._source(scope))
            return self.full[scope]
        if scope in self.full:
            return self.full[scope].select(indexes)
        source = self._source(scope)
        return self._normalisers[scope].encode([source[i] for i in indexes.tolist()])


class Matcher(Generic[K]):
    """Matches batches of posts against every topic it was compiled with."""

    def __init__(self, topics: Sequence[tuple[K, Node]], engine: Engine | None = None) -> None:
        self.engine = engine
        self.keys: list[K] = [key for key, _ in topics]
        self._nodes: list[Node] = [node for _, node in topics]
        leaves = Leaves()
        plans = [plan_topic(node, leaves) for node in self._nodes]
        programs = compile_programs([plan.source for plan in plans])
        # Topics of one shape are evaluated together by one program.
        shapes = sorted(programs)
        shape_of = {source: number for number, source in enumerate(shapes)}
        self._programs: list[Program] = [programs[source] for source in shapes]
        self._shape = np.array([shape_of[plan.source] for plan in plans], np.int64)
        self._args = [plan.args for plan in plans]
        #: The arguments of every topic of each shape, for batches where all are candidates.
        self._shape_args: list[list[tuple[int, ...]]] = [[] for _ in shapes]
        for plan in plans:
            self._shape_args[shape_of[plan.source]].append(plan.args)
        self._leaf_count = len(leaves.items)
        # Phrases with wildcards: the automaton finds a fragment, the expression decides.
        self._patterns = {
            i: re.compile(f"(?=({leaf.pattern}))")
            for i, leaf in enumerate(leaves.items)
            if isinstance(leaf, PhraseLeaf) and leaf.pattern is not None
        }
        self._words = [leaf.words if isinstance(leaf, PhraseLeaf) else 0 for leaf in leaves.items]
        self._is_pattern = np.zeros(self._leaf_count, np.bool_)
        self._is_pattern[list(self._patterns)] = True

        # Leaves found in every post: the triggers, and every leaf of a topic without any.
        self._is_trigger = np.zeros(self._leaf_count, np.bool_)
        complete: set[int] = set()
        triggered: dict[int, list[int]] = {}
        always: list[int] = []
        for index, plan in enumerate(plans):
            if plan.triggers is None:
                always.append(index)
                complete.update(_phrases_and_fields(plan.args, leaves.items))
                continue
            complete.update(plan.triggers)
            for leaf in plan.triggers:
                self._is_trigger[leaf] = True
                triggered.setdefault(leaf, []).append(index)
        self._always = np.array(always, np.int64)
        self._triggered = {leaf: np.array(t, np.int64) for leaf, t in triggered.items()}

        nears = [(i, leaf) for i, leaf in enumerate(leaves.items) if isinstance(leaf, NearLeaf)]
        near_phrases = {p for _, near in nears for p in (*near.left, *near.right)}
        self._near = NearTable.build(nears)
        self._complete: dict[Scope, Scanner] = {}
        self._rest: dict[Scope, Scanner] = {}
        self._phrases: dict[Scope, list[tuple[int, tuple[str, ...]]]] = {}
        self._every: dict[Scope, Scanner] = {}  # built when first needed
        self._positions: set[Scope] = set()
        for scope in Scope:
            phrases = [
                (i, leaf.strings)
                for i, leaf in enumerate(leaves.items)
                if isinstance(leaf, PhraseLeaf) and leaf.scope is scope
            ]
            if not phrases:
                continue
            self._complete[scope] = Scanner([p for p in phrases if p[0] in complete], engine)
            self._rest[scope] = Scanner([p for p in phrases if p[0] not in complete], engine)
            self._phrases[scope] = phrases
            if any(i in near_phrases for i, _ in phrases):
                self._positions.add(scope)
        fields = [(i, leaf) for i, leaf in enumerate(leaves.items) if isinstance(leaf, FieldLeaf)]
        self._fields = FieldIndex(fields)
        self._fields_everywhere = any(i in complete for i, _ in fields)
        self._folded = BatchNormaliser()
        self._raw = BatchNormaliser(folded=False)
        #: Were most posts of the last batch candidates? Then one scan finds every leaf at once.
        self._dense = False

    def __len__(self) -> int:
        return len(self.keys)

    def match(self, posts: Sequence[MatchPost]) -> list[list[K]]:
        """For each post, the keys of the topics it matches, in compile order."""
        results: list[list[K]] = []
        for start in range(0, len(posts), BATCH_SIZE):
            results.extend(self._match_batch(posts[start : start + BATCH_SIZE]))
        return results

    def match_one(self, post: MatchPost) -> list[K]:
        return self._match_batch([post])[0]

    def _match_batch(self, posts: Sequence[MatchPost]) -> list[list[K]]:
        size = len(posts)
        results: list[list[K]] = [[] for _ in range(size)]
        if not size or not self.keys:
            return results
        texts = _Texts(posts, self._folded, self._raw)
        found = self._find(texts)
        if found is None:
            return results
        candidates, leaf_masks = found
        topics, masks = self._evaluate(candidates, leaf_masks, size)
        if topics:
            order = np.argsort(np.array(topics, np.int64), kind="stable").tolist()
            self._distribute([topics[i] for i in order], [masks[i] for i in order], results)
        return results

    def _find(self, texts: _Texts) -> tuple[Array, list[int]] | None:
        """The candidate topics and the mask of every leaf, or None when no topic can match."""
        posts = texts.posts
        size = len(posts)
        found: list[tuple[Scope, Hits]] = []
        fields: list[tuple[Array, Array]] = []
        # Stage 1: triggers (and what topics without triggers need), in every post. When most
        # posts were candidates in the last batch, every leaf is looked for in this one pass.
        dense = self._dense
        for scope, scanner in (self._every_scanners() if dense else self._complete).items():
            self._scan(scanner, texts, scope, None, found)
        if self._fields and self._fields_everywhere:
            fields.append(self._fields.pairs(posts, range(size)))
        leaf, post = _concatenate([(h.leaf, h.post) for _, h in found] + fields)
        present = self._is_trigger[leaf]
        candidates = np.zeros(len(self.keys), np.bool_)
        candidates[self._always] = True
        for trigger in distinct_sorted(leaf[present]).tolist():
            candidates[self._triggered[trigger]] = True
        if not candidates.any():
            self._dense = False
            return None
        everyone = self._always.size > 0
        chosen = np.arange(size, dtype=np.int64) if everyone else distinct_sorted(post[present])
        self._dense = chosen.size * 2 >= size
        # Stage 2: the other leaves, in the candidate posts only (in all when that is most).
        if not dense:
            selection = chosen if chosen.size * 2 < size else None
            for scope, scanner in self._rest.items():
                self._scan(scanner, texts, scope, selection, found)
        if self._fields and not self._fields_everywhere:
            fields.append(self._fields.pairs(posts, chosen.tolist()))
        hits = [self._check_wildcards(scope, hits, texts) for scope, hits in found]
        pairs = [(h.leaf, h.post) for h in hits] + fields
        located = [h for (scope, _), h in zip(found, hits, strict=True) if scope in self._positions]
        if located and self._near.leaves.size:
            pairs.append(self._near.pairs(Hits.join(located), size))
        leaf_masks = [0] * self._leaf_count
        for number, mask in masks_of(*_concatenate(pairs), size).items():
            leaf_masks[number] = mask
        return np.flatnonzero(candidates), leaf_masks

    def _every_scanners(self) -> dict[Scope, Scanner]:
        if not self._every:
            self._every = {
                scope: Scanner(phrases, self.engine) for scope, phrases in self._phrases.items()
            }
        return self._every

    def _scan(
        self,
        scanner: Scanner,
        texts: _Texts,
        scope: Scope,
        selection: Array | None,
        found: list[tuple[Scope, Hits]],
    ) -> None:
        """Scan the posts at ``selection`` (all when None), with word positions in scopes
        that have NEAR."""
        if not scanner:
            return
        hits = scanner.hits(texts.of(scope, selection), positions=scope in self._positions)
        found.append((scope, hits if selection is None else hits.renumber(selection)))

    def _check_wildcards(self, scope: Scope, hits: Hits, texts: _Texts) -> Hits:
        """The hits of phrases with wildcards (fragments) replaced by their matches."""
        fragments = self._is_pattern[hits.leaf]
        if not fragments.any():
            return hits
        keep = ~fragments
        codes = distinct_sorted(hits.leaf[fragments] * len(texts.posts) + hits.post[fragments])
        rows: list[tuple[int, int, int, int]] = []
        for leaf, post in zip(
            (codes // len(texts.posts)).tolist(), (codes % len(texts.posts)).tolist(), strict=True
        ):
            text = texts.text(scope, post)
            for match in self._patterns[leaf].finditer(text):
                first = text.count(" ", 0, match.start())
                rows.append((leaf, post, first, first + self._words[leaf] - 1))
        found = np.array(rows, np.int64).reshape(-1, 4)
        positions = scope in self._positions
        return Hits(
            np.concatenate([hits.leaf[keep], found[:, 0]]),
            np.concatenate([hits.post[keep], found[:, 1]]),
            np.concatenate([hits.first[keep], found[:, 2]]) if positions else hits.first,
            np.concatenate([hits.last[keep], found[:, 3]]) if positions else hits.last,
        )

    def _evaluate(
        self, candidates: Array, leaf_masks: list[int], size: int
    ) -> tuple[list[int], list[int]]:
        """The candidate topics that match some post, with the mask of those posts; each
        program evaluates every candidate topic of its shape at once."""
        everything = (1 << size) - 1
        matched: list[int] = []
        masks: list[int] = []
        shapes = self._shape[candidates]
        order = np.argsort(shapes, kind="stable")
        candidates, shapes = candidates[order], shapes[order]
        for group in np.split(candidates, np.flatnonzero(np.diff(shapes)) + 1):
            topics = group.tolist()
            shape = int(self._shape[topics[0]])
            args = self._shape_args[shape]
            if len(args) != len(topics):
                args = [self._args[topic] for topic in topics]
            values = self._programs[shape](leaf_masks, everything, args)
            for topic, found in zip(topics, values, strict=True):
                if found:
                    matched.append(topic)
                    masks.append(found)
        return matched, masks

    def _distribute(self, topics: list[int], masks: list[int], results: list[list[K]]) -> None:
        """Append each matched topic's key to its posts' lists, in topic order."""
        size = len(results)
        keys = self.keys
        counts = [mask.bit_count() for mask in masks]
        if sum(counts) <= _FEW_POSTS * len(masks):
            for topic, mask, count in zip(topics, masks, counts, strict=True):
                key = keys[topic]
                for _ in range(count - 1):  # highest bit first; each post gets its topics in order
                    index = mask.bit_length() - 1
                    results[index].append(key)
                    mask ^= 1 << index
                results[mask.bit_length() - 1].append(key)  # the last one: no new integer
            return
        rows, posts = posts_of(masks, size)
        matched = np.empty(len(topics), object)
        matched[:] = [keys[topic] for topic in topics]
        flat: list[K] = matched[rows].tolist()
        bounds = np.searchsorted(posts, np.arange(size + 1)).tolist()
        for index in range(size):
            start, stop = bounds[index], bounds[index + 1]
            if start != stop:
                results[index] = flat[start:stop]


def _concatenate(pairs: list[tuple[Array, Array]]) -> tuple[Array, Array]:
    if not pairs:
        return _EMPTY, _EMPTY
    return np.concatenate([p[0] for p in pairs]), np.concatenate([p[1] for p in pairs])


def _phrases_and_fields(leaves: Sequence[int], items: Sequence[object]) -> set[int]:
    """These leaves, with each NEAR replaced by its phrases."""
    found: set[int] = set()
    for leaf in leaves:
        item = items[leaf]
        if isinstance(item, NearLeaf):
            found.update(item.left)
            found.update(item.right)
        else:
            found.add(leaf)
    return found


def compile_topics(topics: Sequence[tuple[K, Node]], engine: Engine | None = None) -> Matcher[K]:
    """One matcher for all ``(key, query tree)`` pairs (trees from lint.compile_query);
    ``engine`` chooses the string scanner (see :mod:`.automaton`; by default the fastest
    installed)."""
    # Compiling allocates many small objects that all live on: the cyclic garbage collector
    # would walk them again and again (a third of the time) to free nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return Matcher(topics, engine)
    finally:
        if collecting:
            gc.enable()
