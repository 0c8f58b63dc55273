"""Search benchmark: queries of the query language over a store of the demo's mentions.

Runs each query on each database given (an SQLite file or a PostgreSQL URL, already filled, for
example with `sbu demo`) through the code the Search page and the API run
(:func:`sbu.listening.search.search`, :func:`count_matches`, :func:`sbu.listening.preview.preview`):
the first page of 50 results with its exact count, the count alone, and the 30-day preview. Each
is run ``--repeat`` times after one warm-up; the median is printed, with the number of matches
and of candidates the evaluator checked.

    python bench/search.py --database sqlite:///var/sbu.db
    python bench/search.py --database sqlite:///var/sbu.db \
        --database postgresql://postgres@127.0.0.1:5432/sbu_demo

Results are written to bench/results/search-<time>.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from sbu.bootstrap import build
from sbu.core.clock import SystemClock
from sbu.listening.models import Mention
from sbu.listening.preview import preview
from sbu.listening.search import compile_search, count_matches, search
from sbu.settings import Settings

HERE = Path(__file__).resolve().parent
console = Console()

#: (what it measures, query): words of the demo's world (src/sbu/demo/).
QUERIES: tuple[tuple[str, str], ...] = (
    ("common word", "ondine"),
    ("rare word", "puzzle"),
    ("phrase", '"service client"'),
    ("wildcard", "connex*"),
    ("boolean", "ondine AND (panne OR coupure) NOT recrut*"),
    ("NEAR", "ondine NEAR/3 fibre"),
    ("field + word", "box AND lang:en"),
    ("no match", "zzyzx"),
)


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Median seconds of ``repeat`` runs after one warm-up, and the last result."""
    result = run()
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def bench_database(url: str, repeat: int) -> dict[str, Any]:
    settings = Settings(
        env="dev",
        data_dir=HERE / "data",
        database={"url": url},  # type: ignore[arg-type]
        scheduler={"enabled": False},  # type: ignore[arg-type]
    )
    app = build(settings, clock=SystemClock())
    limits = settings.search
    results: dict[str, Any] = {"queries": {}}
    try:
        with app.db.session() as session:
            results["mentions"] = int(
                session.execute(select(func.count()).select_from(Mention)).scalar_one()
            )
            newest = session.execute(select(func.max(Mention.created_at))).scalar_one()
            for label, query in QUERIES:
                compiled = compile_search(session, query)
                page_s, page = timed(
                    lambda c=compiled: search(
                        session, c, limit=50, max_candidates=limits.max_candidates
                    ),
                    repeat,
                )
                count_s, _count = timed(
                    lambda c=compiled: count_matches(
                        session, c, max_candidates=limits.max_candidates
                    ),
                    repeat,
                )
                preview_s, shown = timed(
                    lambda c=compiled: preview(
                        session, c, now=newest,
                        max_candidates=limits.preview_max_candidates,
                        terms_from=limits.preview_terms_from,
                    ),
                    repeat,
                )  # fmt: skip
                results["queries"][label] = {
                    "query": query,
                    "exact_prefilter": compiled.prefilter.exact,
                    "matches": page.count,
                    "matches_at_least": page.count_at_least,
                    "page_candidates": page.scanned,
                    "page_ms": round(page_s * 1000, 1),
                    "count_ms": round(count_s * 1000, 1),
                    "preview_ms": round(preview_s * 1000, 1),
                    "preview_scanned": shown.scanned,
                }
    finally:
        app.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database",
        action="append",
        required=True,
        help="A filled store: sqlite:///path.db or postgresql://user@host/db (repeatable).",
    )
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "load": os.getloadavg(),
        },
        "repeat": args.repeat,
        "databases": {},
    }
    for url in args.database:
        parsed = make_url(url)
        if parsed.drivername == "postgresql":
            url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
        name = parsed.get_backend_name()
        console.print(f"Searching {name} ({parsed.database})...")
        results["databases"][name] = measured = bench_database(url, args.repeat)
        table = Table(title=f"Search on {name}: {measured['mentions']:,} mentions")
        for column in ("What", "Query", "Matches", "Page 50 + count", "Count", "Preview 30 d",
                       "Checked (page)"):  # fmt: skip
            table.add_column(column, justify="left" if column in ("What", "Query") else "right")
        for label, row in measured["queries"].items():
            matches = f"{row['matches']:,}" + ("+" if row["matches_at_least"] else "")
            table.add_row(
                label, row["query"], matches, f"{row['page_ms']} ms", f"{row['count_ms']} ms",
                f"{row['preview_ms']} ms", f"{row['page_candidates']:,}",
            )  # fmt: skip
        console.print(table)
    out = HERE / "results" / f"search-{datetime.now(UTC).strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    console.print(f"Written {out}")


if __name__ == "__main__":
    sys.exit(main())
