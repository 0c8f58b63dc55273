"""Language identification benchmark: accuracy per language and posts/s on UMSAB validation.

Reads sentiment/umsab/<language>/val_text.txt of the shared data (SBU_SHARED_DATA, else
../shared/data; romanised Hindi is not one of the model's languages and is left out), runs the
shipped model (`LanguageIdentifier.load()`) with its default threshold, and prints per language
the accuracy (the right code), how many posts came out "other" and how many another language, then
the speed: posts per CPU second of this process (one core: the work is numpy in one thread) and
per wall-clock second, over ``--repeat`` passes of all the validation posts.

    python bench/language.py
    python bench/language.py --repeat 20

Results are printed and written to bench/results/language-<time>.json. Exits 0 with a message
when the shared data is absent.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import orjson
from rich.console import Console
from rich.table import Table

from sbu.nlp.language import OTHER, LanguageIdentifier
from sbu.nlp.language_training import UMSAB_LANGUAGES, read_umsab, shared_data

HERE = Path(__file__).resolve().parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10, help="passes over the posts for speed")
    args = parser.parse_args()
    console = Console()
    root = shared_data()
    if not (root / "sentiment" / "umsab").is_dir():
        console.print(
            f"Skipped: {root / 'sentiment' / 'umsab'} is not here; set SBU_SHARED_DATA to the "
            "shared data folder to run this benchmark."
        )
        return
    corpus = read_umsab(root, "val")
    texts = [text for code in corpus for text in corpus[code]]
    truth = [code for code in corpus for _ in corpus[code]]
    identifier = LanguageIdentifier.load()
    identifier.identify(texts[:100])  # builds the character table once

    results = identifier.identify(texts)
    table = Table(title=f"Language identification, UMSAB validation ({len(texts):,} posts)")
    for column in ("Language", "Posts", "Accuracy", "Other", "Wrong language"):
        table.add_column(column, justify="left" if column == "Language" else "right")
    per_language: dict[str, dict[str, float]] = {}
    for code in UMSAB_LANGUAGES:
        answers = [found for (found, _), real in zip(results, truth, strict=True) if real == code]
        right = sum(found == code for found in answers)
        other = sum(found == OTHER for found in answers)
        per_language[code] = {
            "posts": len(answers),
            "accuracy": right / len(answers),
            "other": other,
            "wrong": len(answers) - right - other,
        }
        table.add_row(
            code, str(len(answers)), f"{right / len(answers):.2%}", str(other),
            str(len(answers) - right - other),
        )  # fmt: skip
    overall = sum(found == real for (found, _), real in zip(results, truth, strict=True)) / len(
        texts
    )
    table.add_row("all", str(len(texts)), f"{overall:.2%}", "", "", style="bold")
    console.print(table)

    posts = len(texts) * args.repeat
    batch = texts * args.repeat
    cpu, wall = time.process_time(), time.perf_counter()
    identifier.identify(batch)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    console.print(
        f"Speed: {posts / cpu:,.0f} posts per CPU second, {posts / wall:,.0f} per wall-clock "
        f"second ({posts:,} posts; load average {os.getloadavg()[0]:.2f} on "
        f"{os.cpu_count()} cores)."
    )
    record = {
        "benchmark": "language",
        "time": datetime.now(UTC).isoformat(),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "load_average": os.getloadavg(),
        "posts": len(texts),
        "accuracy": overall,
        "per_language": per_language,
        "speed_posts": posts,
        "posts_per_cpu_second": posts / cpu,
        "posts_per_wall_second": posts / wall,
    }
    out = HERE / "results" / f"language-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(orjson.dumps(record, option=orjson.OPT_INDENT_2))
    console.print(f"Written to {out.relative_to(HERE.parent)}.")


if __name__ == "__main__":
    sys.exit(main())
