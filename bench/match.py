"""Topic matching benchmark: the compiled matcher beside one regular expression per topic.

Generates posts (the texts of bench/synthetic.py with brand and product names added) and two
topic sets, then measures `compile_topics` and `Matcher.match` (batches of 2,000 posts, one
process, one core):

- 1,000 *selective* topics: product names, phrases, NEAR, NOT, fields, wildcards; each matches
  well under 1 % of posts;
- 10,000 *brand-heavy* topics: ten brand names, present in most posts, each combined with other
  words (``ondine AND (fibre OR box) NOT recrutement``), so every post is a candidate for about
  a thousand topics.

For each set it prints the build time, posts per second (per CPU second of the process, the
steadier measure on a shared machine, and per wall-clock second), memory, matches per post and
the naive baseline measured in the same run on a sample of posts: one regular expression per
topic (bench/naive_regex.py), each run on each post after normalising it once. The matcher's
answers must equal, post for post, both the baseline's and those of the reference evaluator
(`sbu.listening.query.evaluate`, run on a smaller sample: it is slower still); both agreements
are printed.

    python bench/match.py                  # 100,000 posts
    python bench/match.py --posts 20000 --baseline-seconds 5 --reference-seconds 2

Results are printed and written to bench/results/match-<time>.json.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from naive_regex import compile_topic, document  # noqa: E402
from sbu.listening.query.automaton import DEFAULT_ENGINE, Engine, hyperscan  # noqa: E402
from sbu.listening.query.batch_text import BatchNormaliser  # noqa: E402
from sbu.listening.query.evaluate import evaluate  # noqa: E402
from sbu.listening.query.lint import compile_query  # noqa: E402
from sbu.listening.query.matcher import Matcher, compile_topics  # noqa: E402
from sbu.listening.query.nodes import Node  # noqa: E402
from sbu.listening.query.normalize import match_texts  # noqa: E402
from sbu.listening.query.posts import MatchPost, PostView, body_of  # noqa: E402
from sbu.listening.query.vocabulary import COMMON_WORDS, STOPWORDS  # noqa: E402
from synthetic import SYLLABLES, TOPIC, PostGenerator  # noqa: E402

console = Console(width=132)
BATCH = 2_000
BRANDS = ["ondine", "velora", "kestrel", "marlo", "tessia", "brixo", "nuvia", "orpal", "sylvo",
          "zanthe"]  # fmt: skip
#: Words of the generator that are frequent (each in a few % of posts).
FREQUENT = sorted({t.lower() for t in TOPIC if t.isalpha() and len(t) > 2})
TARGETS = {"selective": 150_000, "brand-heavy": 50_000}
#: String scanners measured: the default first (Hyperscan where installed), then the fallback.
ENGINES: list[Engine] = [DEFAULT_ENGINE] + (["aho-corasick"] if hyperscan is not None else [])


def make_posts(count: int, seed: int) -> tuple[list[MatchPost], list[str], list[str]]:
    """Posts, product names and words of middling frequency (for brand-heavy topics)."""
    rng = random.Random(seed)
    generator = PostGenerator(seed)
    products = sorted(
        {
            "".join(rng.choice(SYLLABLES) for _ in range(3)) + str(rng.randrange(10, 100))
            for _ in range(2_500)
        }
    )[:2_000]
    ignored = STOPWORDS | COMMON_WORDS
    middling = [w for w in generator.words[150:1_500] if w.isalpha() and w not in ignored]
    posts: list[MatchPost] = []
    for record in generator.posts(count):
        words = record["text"].split()
        if rng.random() < 0.8:  # most posts name a brand, some twice
            for _ in range(rng.choice((1, 1, 1, 2))):
                brand = rng.choice(BRANDS)
                brand = rng.choice((brand, brand.capitalize(), f"#{brand}", f"@{brand}"))
                words.insert(rng.randrange(len(words) + 1), brand)
        if rng.random() < 0.3:  # a product in 30 % of posts: each in about 0.015 %
            words.insert(rng.randrange(len(words) + 1), rng.choice(products))
        posts.append(
            MatchPost(
                id=record["id"],
                text=" ".join(words),
                lang=record["lang"],
                platform=record["platform"],
                author=record["author"]["handle"],
                author_name=record["author"]["name"],
                url=record["url"],
            )
        )
    return posts, products, middling


def selective_topics(rng: random.Random, products: list[str], count: int) -> list[str]:
    queries: list[str] = []
    for index in range(count):
        product, other = rng.sample(products, 2)
        brand = rng.choice(BRANDS)
        word, word2 = rng.sample(FREQUENT, 2)
        templates = [
            product,
            f"{product} AND ({word} OR {word2})",
            f'"{brand} {product}"',
            f"{product} NEAR/3 {word}",
            f"{product} NOT {word}",
            f"{product} AND lang:fr",
            f"#{product} OR @{product}",
            f"{product[:-1]}*",
            f"{product[:3]}?{product[3:]}",
            f"({product} OR {other}) AND platform:mastodon",
        ]
        queries.append(templates[index % len(templates)])
    return queries


def brand_heavy_topics(rng: random.Random, middling: list[str], count: int) -> list[str]:
    queries: list[str] = []
    for index in range(count):
        brand = rng.choice(BRANDS)
        w1, w2, w3 = rng.sample(middling, 3)
        templates = [
            f"{brand} AND ({w1} OR {w2}) NOT {w3}",
            f"{brand} NEAR/5 {w1}",
            f'"{brand} {w1}"',
            f"{brand} AND {w1} AND lang:fr",
            f"({brand} OR #{brand}) AND ({w1} OR {w2} OR {w3}) NOT platform:rss",
        ]
        queries.append(templates[index % len(templates)])
    return queries


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, float]:
    """The shortest of ``runs`` runs: CPU seconds of this process, and wall-clock seconds.

    CPU time is what one core spends; on a machine that other work shares it is the steadier
    measure (the wall clock also counts the time other processes had the core)."""
    cpu = wall = float("inf")
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        action()
        cpu = min(cpu, time.process_time() - start_cpu)
        wall = min(wall, time.perf_counter() - start)
    return cpu, wall


def match_all(matcher: Matcher[int], posts: Sequence[MatchPost]) -> list[list[int]]:
    found: list[list[int]] = []
    for start in range(0, len(posts), BATCH):
        found.extend(matcher.match(posts[start : start + BATCH]))
    return found


def baseline(
    topics: Sequence[tuple[int, Node]], posts: Sequence[MatchPost], seconds: float
) -> tuple[list[list[int]], float]:
    """The naive way: one regular expression per topic (bench/naive_regex.py), each tried on
    each post, for about ``seconds`` (at least 20 posts). Returns the answers and the seconds
    spent matching (compiling the expressions is not counted)."""
    patterns = [(key, compile_topic(node).match) for key, node in topics]
    found: list[list[int]] = []
    start = time.perf_counter()
    for post in posts:
        doc = document(post)
        found.append([key for key, match in patterns if match(doc) is not None])
        if len(found) >= 20 and time.perf_counter() - start > seconds:
            break
    return found, time.perf_counter() - start


def reference(
    topics: Sequence[tuple[int, Node]], posts: Sequence[MatchPost], seconds: float
) -> list[list[int]]:
    """What the query language means: the reference evaluator, each topic on each post, for
    about ``seconds`` (at least 20 posts)."""
    found: list[list[int]] = []
    start = time.perf_counter()
    for post in posts:
        view = PostView(post)
        found.append([key for key, node in topics if evaluate(node, view)])
        if len(found) >= 20 and time.perf_counter() - start > seconds:
            break
    return found


def agreement(found: Sequence[list[int]], expected: Sequence[list[int]]) -> str:
    agree = sum(1 for got, want in zip(found, expected, strict=False) if got == want)
    return f"{agree}/{len(expected)}"


def run_set(
    name: str,
    queries: list[str],
    posts: list[MatchPost],
    baseline_posts: int,
    baseline_seconds: float,
    reference_seconds: float,
) -> dict[str, Any]:
    topics = [(index, compile_query(query)) for index, query in enumerate(queries)]
    tracemalloc.start()
    matcher = compile_topics(topics)
    built, build_peak = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    matcher.match(posts[:BATCH])
    _, batch_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    engines: dict[str, dict[str, Any]] = {}
    found: list[list[int]] = []
    for engine in ENGINES:
        engines[engine] = measure_engine(engine, topics, posts, found)
    default = engines[DEFAULT_ENGINE]
    matches = sum(len(keys) for keys in found)

    naive, seconds_naive = baseline(topics, posts[:baseline_posts], baseline_seconds)
    expected = reference(topics, posts[:baseline_posts], reference_seconds)
    candidates = sum(1 for keys in found if keys)
    return {
        "topics": len(topics),
        "engine": DEFAULT_ENGINE,
        **default,
        "engines": engines,
        "matches_per_post": round(matches / len(posts), 2),
        "posts_with_a_match": round(candidates / len(posts), 4),
        "memory_matcher_mb": round(built / 1e6, 1),
        "memory_build_peak_mb": round(build_peak / 1e6, 1),
        "memory_batch_peak_mb": round(batch_peak / 1e6, 1),
        "baseline": "one regular expression per topic (bench/naive_regex.py)",
        "baseline_posts": len(naive),
        "baseline_posts_per_second": round(len(naive) / seconds_naive, 1),
        "agreement_with_baseline": agreement(found, naive),
        "agreement_with_reference": agreement(found, expected),
        "baseline_agrees_with_reference": agreement(naive, expected),
        "target_posts_per_second": TARGETS[name],
        "target_met": default["posts_per_second"] >= TARGETS[name]
        and default["build_seconds"] + default["first_batch_extra_seconds"] < 1.0,
    }


def measure_engine(
    engine: Engine, topics: list[tuple[int, Node]], posts: list[MatchPost], found: list[list[int]]
) -> dict[str, Any]:
    """Build time, first-batch overhead and speed of the matcher with one string scanner;
    ``found`` receives its answers (every engine must give the same)."""
    build, _ = best_of(3, lambda: compile_topics(topics, engine))
    matcher = compile_topics(topics, engine)
    # The first two batches: the second may build the one-scan database (see matcher.py).
    first, _ = best_of(1, lambda: match_all(matcher, posts[: 2 * BATCH]))
    again, _ = best_of(1, lambda: match_all(matcher, posts[: 2 * BATCH]))
    answers: list[list[int]] = []

    def timed() -> None:
        answers[:] = match_all(matcher, posts)

    seconds, wall = best_of(3, timed)
    if found and answers != found:
        msg = f"The {engine} engine's answers differ from the other engine's."
        raise SystemExit(msg)
    found[:] = answers
    return {
        "build_seconds": round(build, 3),
        # Built on the first batch where most posts are candidates (see matcher.py).
        "first_batch_extra_seconds": round(max(first - again, 0.0), 3),
        "posts_per_second": round(len(posts) / seconds),
        "seconds": round(seconds, 2),
        "wall_posts_per_second": round(len(posts) / wall),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--baseline-posts", type=int, default=1_000, help="at most this many for the baseline"
    )
    parser.add_argument(
        "--baseline-seconds", type=float, default=20, help="about this long for the baseline"
    )
    parser.add_argument(
        "--reference-seconds",
        type=float,
        default=10,
        help="about this long for the reference evaluator",
    )
    args = parser.parse_args()

    load = os.getloadavg()[0]
    if load > 0.5:
        console.print(
            f"[yellow]The load average is {load:.1f}: other work shares the CPU and the numbers "
            "will be lower than on a quiet machine.[/]"
        )
    start = time.perf_counter()
    posts, products, middling = make_posts(args.posts, args.seed)
    console.print(f"Generated {len(posts):,} posts in {time.perf_counter() - start:.1f} s.")
    normaliser = BatchNormaliser()
    bodies = [body_of(post) for post in posts]
    normalise, _ = best_of(
        3, lambda: [normaliser.encode(bodies[i : i + BATCH]) for i in range(0, len(bodies), BATCH)]
    )
    sample = bodies[:20_000]
    reference_normalise, _ = best_of(
        2, lambda: [match_texts(sample[i : i + BATCH]) for i in range(0, len(sample), BATCH)]
    )

    rng = random.Random(args.seed)
    sets = {
        "selective": selective_topics(rng, products, 1_000),
        "brand-heavy": brand_heavy_topics(rng, middling, 10_000),
    }
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(),
        "posts": len(posts),
        "batch": BATCH,
        "load_average": round(load, 2),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "normalise_posts_per_second": round(len(posts) / normalise),
        "reference_normalise_posts_per_second": round(len(sample) / reference_normalise),
        "examples": {name: queries[:5] for name, queries in sets.items()},
    }
    for name, queries in sets.items():
        console.print(f"Matching {len(posts):,} posts against {len(queries):,} {name} topics...")
        results[name] = run_set(
            name,
            queries,
            posts,
            args.baseline_posts,
            args.baseline_seconds,
            args.reference_seconds,
        )

    table = Table(
        title=f"Topic matching, {len(posts):,} posts, one process, {DEFAULT_ENGINE} scanner"
    )
    for column in ("Topics", "Build (s)", "Posts/s", "(wall clock)", "Target", "Aho-Corasick only",
                   "Matches/post", "Memory (MB)", "Regex/topic posts/s", "Agree (regex)",
                   "Agree (ref.)"):  # fmt: skip
        table.add_column(column, justify="right")
    for name in sets:
        r = results[name]
        table.add_row(
            f"{r['topics']:,} {name}",
            f"{r['build_seconds']:.2f} + {r['first_batch_extra_seconds']:.2f}",
            f"{r['posts_per_second']:,}",
            f"{r['wall_posts_per_second']:,}",
            f"{r['target_posts_per_second']:,} {'met' if r['target_met'] else 'NOT met'}",
            (
                f"{r['engines']['aho-corasick']['posts_per_second']:,}"
                if r["engine"] != "aho-corasick"
                else "(the engine)"
            ),
            f"{r['matches_per_post']}",
            f"{r['memory_matcher_mb']} + {r['memory_batch_peak_mb']}/batch",
            f"{r['baseline_posts_per_second']:,}",
            r["agreement_with_baseline"],
            r["agreement_with_reference"],
        )
    console.print(table)
    console.print(
        f"Normalising text alone (part of every run above): "
        f"{results['normalise_posts_per_second']:,} posts/s "
        f"(the reference, normalize.match_texts: {results['reference_normalise_posts_per_second']:,})."
    )
    out = HERE / "results" / f"match-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    console.print(f"Written {out}")


if __name__ == "__main__":
    main()
