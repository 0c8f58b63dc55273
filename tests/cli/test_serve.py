"""`sbu serve` runs the enrichment worker beside the web server, and stops it on the way out."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import uvicorn

from sbu.db.engine import Database
from tests.cli.conftest import Run


def enrichment_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "sbu-enrichment" and t.is_alive()]


@pytest.mark.parametrize(("setting", "running"), [("true", 1), ("false", 0)])
def test_serve_starts_and_stops_the_enrichment_worker(
    run: Run, db: Database, monkeypatch: pytest.MonkeyPatch, setting: str, running: int
) -> None:
    seen: list[int] = []

    def fake_run(app: Any, **options: Any) -> None:  # the server "runs", then is stopped
        seen.append(len(enrichment_threads()))

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setenv("SBU_ENRICHMENT__WORKER", setting)
    monkeypatch.setenv("SBU_SCHEDULER__ENABLED", "false")
    assert run("db", "upgrade").code == 0
    result = run("serve", "--port", "8799")
    assert result.code == 0, result.output
    assert seen == [running]
    assert enrichment_threads() == []
