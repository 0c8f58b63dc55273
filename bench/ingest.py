"""Ingest benchmark: import generated posts through the real `sbu import` path.

Generates (once, cached in bench/data/) a JSON lines file of synthetic posts (bench/synthetic.py),
measures the raw orjson parse rate of that file (the ceiling: reading and parsing only), then
imports it into a fresh SQLite database and a fresh PostgreSQL database with
`sbu.listening.importer.import_file` — the same code `sbu import` runs: parsing, mapping,
checks, fingerprints, duplicate detection, storage, cursor — and prints posts per second.

    python bench/ingest.py                      # 1,000,000 posts, SQLite and PostgreSQL
    python bench/ingest.py --posts 200000 --no-postgres

Results are printed and written to bench/results/ingest-<time>.json.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from rich.console import Console
from rich.table import Table
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from sbu.bootstrap import build  # noqa: E402
from sbu.core.audit import Actor  # noqa: E402
from sbu.core.clock import FixedClock  # noqa: E402
from sbu.db.migrate import upgrade  # noqa: E402
from sbu.listening.importer import import_file  # noqa: E402
from sbu.settings import Settings  # noqa: E402
from synthetic import VERSION, write_jsonl  # noqa: E402

console = Console()
# The generated posts span 60 days from 2026-09-01; the clock sits after them.
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def parse_rate(path: Path) -> tuple[int, float]:
    count = 0
    start = time.perf_counter()
    with path.open("rb") as handle:
        for line in handle:
            orjson.loads(line)
            count += 1
    return count, time.perf_counter() - start


def run_import(url: str, path: Path, data_dir: Path, workers: int) -> dict[str, Any]:
    settings = Settings(
        env="dev",
        data_dir=data_dir,
        database={"url": url},  # type: ignore[arg-type]
        ingest={"import_workers": workers},  # type: ignore[arg-type]
        scheduler={"enabled": False},  # type: ignore[arg-type]
    )
    app = build(settings, clock=FixedClock(NOW))
    try:
        upgrade(app.db)
        start = time.perf_counter()
        summary = import_file(app, Actor("bench", "ingest"), path, "bench")
        elapsed = time.perf_counter() - start
        scores = score_duplicates(app)
    finally:
        app.close()
    return {
        "duplicates_found": scores,
        "imported": summary.imported,
        "duplicates": summary.duplicates,
        "rejected": summary.rejected_count,
        "flagged": summary.flagged,
        "seconds": round(elapsed, 2),
        "posts_per_second": round(summary.imported / elapsed),
    }


def score_duplicates(app: Any) -> dict[str, Any]:
    """How the flags compare with the generator's truth (annotations.bench)."""
    from collections import Counter

    from sqlalchemy import select

    from sbu.listening.models import Mention

    table: Counter[tuple[str, str]] = Counter()
    with app.db.session() as session:
        rows = session.execute(select(Mention.annotations, Mention.duplicate_kind)).yield_per(
            20_000
        )
        for annotations, kind in rows:
            truth = (annotations or {}).get("bench", "unlabelled")
            table[(truth, kind or "original")] += 1
    totals = Counter()
    for (truth, _), n in table.items():
        totals[truth] += n
    flagged = sum(n for (_, kind), n in table.items() if kind != "original")
    wrongly = sum(
        n for (truth, kind), n in table.items() if kind != "original" and truth == "original"
    )
    return {
        "generated": dict(totals),
        "recall": {
            "repost": round(table[("repost", "repost")] / max(totals["repost"], 1), 4),
            "copy": round(table[("copy", "copy")] / max(totals["copy"], 1), 4),
            "edit (as near)": round(table[("edit", "near")] / max(totals["edit"], 1), 4),
        },
        "originals flagged": wrongly,
        "precision": round(1 - wrongly / max(flagged, 1), 4),
        "table": {f"{truth} -> {kind}": n for (truth, kind), n in sorted(table.items())},
    }


def fresh_postgres(url: str) -> str:
    parsed = make_url(url)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
        version = connection.execute(text("SHOW server_version")).scalar_one()
    admin.dispose()
    console.print(f"PostgreSQL {version}")
    return parsed.render_as_string(hide_password=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="SBU_INGEST__IMPORT_WORKERS")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get(
            "SBU_BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/sbu_bench"
        ),
    )
    args = parser.parse_args()

    data = HERE / "data"
    data.mkdir(exist_ok=True)
    path = data / f"posts-{args.posts}-seed{args.seed}-v{VERSION}.jsonl"
    if not path.exists():
        start = time.perf_counter()
        write_jsonl(str(path), args.posts, args.seed)
        console.print(
            f"Generated {args.posts:,} posts in {time.perf_counter() - start:.1f} s: {path}"
        )
    size_mb = path.stat().st_size / 1e6

    lines, seconds = parse_rate(path)
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(),
        "posts": args.posts,
        "file_mb": round(size_mb, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
        },
        "orjson_parse": {"seconds": round(seconds, 2), "posts_per_second": round(lines / seconds)},
        "workers": args.workers,
    }

    sqlite_path = data / "bench.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
    console.print(f"Importing {args.posts:,} posts ({size_mb:,.0f} MB) into SQLite...")
    results["sqlite"] = run_import(f"sqlite:///{sqlite_path}", path, data, args.workers)
    results["sqlite"]["database_mb"] = round(sqlite_path.stat().st_size / 1e6)
    sqlite_path.unlink(missing_ok=True)
    if not args.no_postgres:
        console.print(f"Importing {args.posts:,} posts into PostgreSQL...")
        results["postgresql"] = run_import(
            fresh_postgres(args.postgres_url), path, data, args.workers
        )

    table = Table(title=f"Ingest of {args.posts:,} posts ({size_mb:,.0f} MB of JSON lines)")
    table.add_column("Run")
    table.add_column("Seconds", justify="right")
    table.add_column("Posts/s", justify="right")
    table.add_column("Flagged (repost/copy/near)", justify="right")
    table.add_row("orjson parse only (ceiling)", f"{results['orjson_parse']['seconds']}",
                  f"{results['orjson_parse']['posts_per_second']:,}", "")  # fmt: skip
    for name in ("sqlite", "postgresql"):
        if name in results:
            r = results[name]
            flagged = "/".join(str(r["flagged"].get(k, 0)) for k in ("repost", "copy", "near"))
            table.add_row(
                f"sbu import → {name}", f"{r['seconds']}", f"{r['posts_per_second']:,}", flagged
            )
    console.print(table)
    scores = results["sqlite"]["duplicates_found"]
    console.print(f"Duplicate detection against the generator's truth: {scores}")
    out = HERE / "results" / f"ingest-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(orjson.dumps(results, option=orjson.OPT_INDENT_2))
    console.print(f"Written {out}")


if __name__ == "__main__":
    main()
