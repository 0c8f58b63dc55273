from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from sbu.listening.query import automaton
from sbu.listening.query.automaton import Engine, Hits, Scanner
from sbu.listening.query.batch_text import BatchNormaliser, EncodedBatch


def batch_of(*texts: str) -> EncodedBatch:
    return BatchNormaliser().encode(list(texts))


ENGINES = [
    "aho-corasick",
    pytest.param(
        "hyperscan",
        marks=pytest.mark.skipif(automaton.hyperscan is None, reason="Hyperscan is not installed"),
    ),
]


@pytest.fixture(params=ENGINES)
def engine(request: pytest.FixtureRequest) -> Engine:
    value: Engine = request.param
    return value


def rows(hits: Hits) -> list[tuple[int, ...]]:
    columns = [hits.leaf, hits.post] + ([hits.first, hits.last] if hits.first.size else [])
    return sorted(zip(*(c.tolist() for c in columns), strict=True))


def test_the_scanner_reports_each_leaf_in_each_post(engine: Engine) -> None:
    scanner = Scanner(
        [(0, [" ondine ", " #ondine "]), (1, [" service client "]), (2, [" conn"])], engine
    )
    hits = scanner.hits(batch_of("Ondine, service client!", "#ondine connexion", "rien"))
    assert rows(hits) == [(0, 0), (0, 1), (1, 0), (2, 1)]


def test_words_are_only_found_whole(engine: Engine) -> None:
    scanner = Scanner([(0, [" ondine "])], engine)
    assert rows(scanner.hits(batch_of("ondines", "xondine", "ondine"))) == [(0, 2)]


def test_positions_count_words_from_the_start_of_each_post(engine: Engine) -> None:
    scanner = Scanner([(0, [" ondine "]), (1, [" service client "])], engine)
    hits = scanner.hits(batch_of("le service client d'Ondine", "ondine"), positions=True)
    # post 0: le(0) service(1) client(2) d(3) ondine(4); post 1: ondine(0)
    assert rows(hits) == [(0, 0, 4, 4), (0, 1, 0, 0), (1, 0, 1, 2)]


def test_a_string_several_leaves_look_for_reports_each_of_them(engine: Engine) -> None:
    scanner = Scanner([(3, [" ondine ", " #ondine "]), (5, [" #ondine "])], engine)
    assert rows(scanner.hits(batch_of("#Ondine", "ondine"))) == [(3, 0), (3, 1), (5, 0)]


def test_an_empty_scanner_or_batch_finds_nothing(engine: Engine) -> None:
    assert not Scanner([], engine)
    assert rows(Scanner([], engine).hits(batch_of("ondine"))) == []
    assert rows(Scanner([(0, [" a "])], engine).hits(batch_of())) == []


def test_hits_join_and_renumber() -> None:
    first = Hits(np.array([1]), np.array([0]), np.array([2]), np.array([2]))
    second = Hits(np.array([4]), np.array([1]), np.array([0]), np.array([1]))
    joined = Hits.join([first, second]).renumber(np.array([10, 20]))
    assert rows(joined) == [(1, 10, 2, 2), (4, 20, 0, 1)]


def test_positions_are_the_same_with_few_hits_in_long_texts(engine: Engine) -> None:
    # Few hits in much text: spaces are counted before each hit instead of all at once.
    filler = " ".join(["mot"] * 200)
    scanner = Scanner([(0, [" ondine "])], engine)
    hits = scanner.hits(batch_of(f"{filler} ondine", "x ondine y", filler), positions=True)
    assert rows(hits) == [(0, 0, 200, 200), (0, 1, 1, 1)]


def test_both_engines_report_the_same_hits() -> None:
    if automaton.hyperscan is None:
        pytest.skip("Hyperscan is not installed")
    leaves = [
        (0, [" ondine "]),
        (1, [" #ondine ", " ondine "]),
        (2, [" service client "]),
        (3, [" conn"]),
        (4, [" e "]),
        (5, [" e e "]),
        (6, [" 🎉 "]),
        (7, [" reseau "]),
    ]
    batch = batch_of(
        "Ondine, service client! #ondine",
        "connexion connecté e e e 🎉🎉 réseau",
        "",
        "service client service client",
    )
    found = {
        engine: rows(Scanner(leaves, engine).hits(batch, positions=True))
        for engine in ("aho-corasick", "hyperscan")
    }
    assert found["hyperscan"] == found["aho-corasick"]
    assert (5, 1, 2, 3) in found["hyperscan"]  # overlapping hits are all reported
    assert (5, 1, 3, 4) in found["hyperscan"]


def test_threads_scan_with_one_scanner_at_once(engine: Engine) -> None:
    scanner = Scanner([(0, [" ondine "]), (1, [" fibre "])], engine)
    batch = batch_of(*(["ondine et la fibre"] * 500))
    expected = rows(scanner.hits(batch))
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: rows(scanner.hits(batch)), range(40)))
    assert all(result == expected for result in results)
