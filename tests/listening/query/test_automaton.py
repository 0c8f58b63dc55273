from __future__ import annotations

import numpy as np

from sbu.listening.query.automaton import Hits, Scanner
from sbu.listening.query.batch_text import BatchNormaliser, EncodedBatch


def batch_of(*texts: str) -> EncodedBatch:
    return BatchNormaliser().encode(list(texts))


def rows(hits: Hits) -> list[tuple[int, ...]]:
    columns = [hits.leaf, hits.post] + ([hits.first, hits.last] if hits.first.size else [])
    return sorted(zip(*(c.tolist() for c in columns), strict=True))


def test_the_scanner_reports_each_leaf_in_each_post() -> None:
    scanner = Scanner([(0, [" ondine ", " #ondine "]), (1, [" service client "]), (2, [" conn"])])
    hits = scanner.hits(batch_of("Ondine, service client!", "#ondine connexion", "rien"))
    assert rows(hits) == [(0, 0), (0, 1), (1, 0), (2, 1)]


def test_words_are_only_found_whole() -> None:
    scanner = Scanner([(0, [" ondine "])])
    assert rows(scanner.hits(batch_of("ondines", "xondine", "ondine"))) == [(0, 2)]


def test_positions_count_words_from_the_start_of_each_post() -> None:
    scanner = Scanner([(0, [" ondine "]), (1, [" service client "])])
    hits = scanner.hits(batch_of("le service client d'Ondine", "ondine"), positions=True)
    # post 0: le(0) service(1) client(2) d(3) ondine(4); post 1: ondine(0)
    assert rows(hits) == [(0, 0, 4, 4), (0, 1, 0, 0), (1, 0, 1, 2)]


def test_a_string_several_leaves_look_for_reports_each_of_them() -> None:
    scanner = Scanner([(3, [" ondine ", " #ondine "]), (5, [" #ondine "])])
    assert rows(scanner.hits(batch_of("#Ondine", "ondine"))) == [(3, 0), (3, 1), (5, 0)]


def test_an_empty_scanner_or_batch_finds_nothing() -> None:
    assert not Scanner([])
    assert rows(Scanner([]).hits(batch_of("ondine"))) == []
    assert rows(Scanner([(0, [" a "])]).hits(batch_of())) == []


def test_hits_join_and_renumber() -> None:
    first = Hits(np.array([1]), np.array([0]), np.array([2]), np.array([2]))
    second = Hits(np.array([4]), np.array([1]), np.array([0]), np.array([1]))
    joined = Hits.join([first, second]).renumber(np.array([10, 20]))
    assert rows(joined) == [(1, 10, 2, 2), (4, 20, 0, 1)]


def test_positions_are_the_same_with_few_hits_in_long_texts() -> None:
    # Few hits in much text: spaces are counted before each hit instead of all at once.
    filler = " ".join(["mot"] * 200)
    scanner = Scanner([(0, [" ondine "])])
    hits = scanner.hits(batch_of(f"{filler} ondine", "x ondine y", filler), positions=True)
    assert rows(hits) == [(0, 0, 200, 200), (0, 1, 1, 1)]
