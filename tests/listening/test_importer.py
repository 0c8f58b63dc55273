"""`sbu import` end to end: formats, bad input, resuming, and a kill -9 in the middle."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import create_engine, func, select, text

from sbu.bootstrap import App
from sbu.core.audit import Actor, AuditEvent
from sbu.core.errors import InvalidInput
from sbu.listening import importer
from sbu.listening.importer import import_file
from sbu.listening.models import DeadLetter, IngestRun, Mention, Source

ACTOR = Actor("test", "pytest")
BASE = datetime(2026, 11, 1, tzinfo=UTC)


def post(i: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": str(i),
        "platform": "mastodon",
        "created_at": (BASE + timedelta(minutes=i)).isoformat(),
        "text": f"Message numéro {i} à propos du réseau de Télécom Ouest, variante {i * 7919 % 1000}",
        "author": {"id": f"u{i % 50}", "handle": f"@user{i % 50}"},
    }
    record.update(extra)
    return record


def write_jsonl(path: Path, records: list[Any]) -> Path:
    with path.open("wb") as handle:
        for record in records:
            line = record if isinstance(record, bytes) else orjson.dumps(record)
            handle.write(line + b"\n")
    return path


def count(app: App, model: type, *where: Any) -> int:
    with app.db.session() as session:
        return int(
            session.execute(select(func.count()).select_from(model).where(*where)).scalar_one()
        )


def test_imports_a_jsonl_file_into_a_new_file_source(app: App, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", [post(i) for i in range(1, 26)])
    progress: list[int] = []
    summary = import_file(
        app, ACTOR, path, "Export", progress=lambda p: progress.append(p.imported)
    )
    assert summary.created_source
    assert summary.imported == 25
    assert summary.duplicates == 0
    assert summary.rejected_count == 0
    assert progress
    assert progress[-1] == 25
    assert count(app, Mention) == 25
    with app.db.session() as session:
        source = session.execute(select(Source)).scalar_one()
        assert source.connector == "file"
        run = session.execute(select(IngestRun)).scalar_one()
        assert (run.status, run.imported) == ("completed", 25)
        actions = set(session.execute(select(AuditEvent.action)).scalars())
        assert {"source.created", "mentions.imported"} <= actions


def test_bad_lines_are_rejected_with_their_line_number_and_the_rest_imported(
    app: App, tmp_path: Path
) -> None:
    app.settings.ingest.max_line_bytes = 2048
    records: list[Any] = [
        post(1),  # line 1
        b'{"id": "2", "text": "oops", ',  # line 2: truncated JSON
        "Télécom".encode("latin-1") + b'{"id": "3"}',  # line 3: not UTF-8
        orjson.dumps([1, 2, 3]),  # line 4: not an object
        orjson.dumps({"text": "no id", "created_at": BASE.isoformat()}),  # line 5
        post(6, created_at="2026-11-02 10:00"),  # line 6: no time zone
        post(7, text="x" * 5000),  # line 7: too long
        post(1),  # line 8: same id as line 1
        b"   ",  # line 9: blank, ignored
        post(10),  # line 10
    ]
    path = write_jsonl(tmp_path / "mixed.jsonl", records)
    summary = import_file(app, ACTOR, path, "Mixed")
    assert summary.imported == 2
    assert summary.duplicates == 1
    reasons = {r.locator: r.reason for r in summary.rejected}
    assert set(reasons) == {"line 2", "line 3", "line 4", "line 5", "line 6", "line 7"}
    assert "not valid JSON" in reasons["line 2"]
    assert "not valid UTF-8" in reasons["line 3"]
    assert "--encoding" in reasons["line 3"]
    assert "not an object" in reasons["line 4"]
    assert "no 'id'" in reasons["line 5"]
    assert "--timezone" in reasons["line 6"]
    assert "over the limit" in reasons["line 7"]
    assert count(app, DeadLetter) == 6
    # Re-running from the start stores no dead letter twice and no mention twice.
    again = import_file(app, ACTOR, path, "Mixed", restart=True)
    assert again.imported == 0
    assert again.duplicates == 3
    assert count(app, DeadLetter) == 6
    assert count(app, Mention) == 2


def test_a_rerun_says_nothing_new_and_an_appended_file_continues(app: App, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "grow.jsonl", [post(i) for i in range(1, 11)])
    assert import_file(app, ACTOR, path, "Grow").imported == 10
    again = import_file(app, ACTOR, path, "Grow")
    assert again.nothing_new
    assert again.last_line == 10
    with path.open("ab") as handle:
        for i in range(11, 16):
            handle.write(orjson.dumps(post(i)) + b"\n")
    appended = import_file(app, ACTOR, path, "Grow")
    assert appended.resumed_at_line == 11
    assert appended.imported == 5
    assert appended.duplicates == 0
    restarted = import_file(app, ACTOR, path, "Grow", restart=True)
    assert (restarted.imported, restarted.duplicates) == (0, 15)


def test_csv_with_quotes_line_breaks_and_latin1(app: App, tmp_path: Path) -> None:
    path = tmp_path / "avis.csv"
    rows = (
        "id,platform,created_at,author_id,author_name,text,likes\n"
        'a1,trustpilot,2026-11-02T10:00:00+01:00,u1,Marc,"Injoignable, ""3 jours"" d\'attente",0\n'
        'a2,trustpilot,2026-11-02T11:00:00+01:00,u2,Zoé,"Deux lignes\nde texte",2\n'
        "a3,trustpilot,2026-11-02T12:00:00+01:00,u3,Léa,trop de champs,1,extra\n"
        "a4,trustpilot,2026-11-02T13:00:00+01:00,u4,Noé,Très bien,5\n"
    )
    path.write_bytes(rows.encode("latin-1"))
    summary = import_file(app, ACTOR, path, "Avis", encoding="latin-1")
    assert summary.imported == 3
    assert [r.locator for r in summary.rejected] == ["line 5"]
    with app.db.session() as session:
        texts = dict(session.execute(select(Mention.external_id, Mention.text)).all())
        assert texts["a1"] == 'Injoignable, "3 jours" d\'attente'
        assert texts["a2"] == "Deux lignes\nde texte"
        assert session.execute(
            select(Mention.created_at).where(Mention.external_id == "a1")
        ).scalar_one() == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_timezone_option_and_platform_default(app: App, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "naive.jsonl",
        [{"id": "n1", "text": "heure locale sans fuseau", "created_at": "2026-11-02 10:00"}],
    )
    summary = import_file(app, ACTOR, path, "Naive", timezone="Europe/Paris", default_platform="x")
    assert summary.imported == 1
    with app.db.session() as session:
        mention = session.execute(select(Mention)).scalar_one()
        assert mention.platform == "x"
        assert mention.created_at == datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "time zone"),
        ({"encoding": "klingon-8"}, "encoding"),
        ({"mapper": "myspace"}, "payload format"),
        ({"file_format": "xlsx"}, "not supported"),
    ],
)
def test_invalid_options_are_refused_before_anything_is_written(
    sqlite_app: App, tmp_path: Path, kwargs: dict[str, Any], message: str
) -> None:
    path = write_jsonl(tmp_path / "posts.jsonl", [post(1)])
    with pytest.raises(InvalidInput, match=message):
        import_file(sqlite_app, ACTOR, path, "Refused", **kwargs)
    assert count(sqlite_app, Source) == 0


def test_missing_file_and_wrong_source_kind(sqlite_app: App, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        import_file(sqlite_app, ACTOR, tmp_path / "nope.jsonl", "S")
    from sbu.listening.services import create_source

    create_source(sqlite_app.db, sqlite_app.clock, sqlite_app.registry, ACTOR, name="Feed",
                  connector="rss", config={"url": "https://example.com/feed.xml"})  # fmt: skip
    path = write_jsonl(tmp_path / "posts.jsonl", [post(1)])
    with pytest.raises(InvalidInput, match="rss source"):
        import_file(sqlite_app, ACTOR, path, "Feed")


def test_the_worker_process_gives_the_same_result_as_in_process(
    sqlite_app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    records = [post(i) for i in range(1, 301)]
    records += [post(1000 + i, text=records[i]["text"] + " https://t.example/c") for i in range(20)]
    records.append(b"{broken")
    path = write_jsonl(tmp_path / "w.jsonl", records)
    sqlite_app.settings.ingest.batch_size = 64
    monkeypatch.setattr(importer, "WORKER_MIN_BYTES", 0)
    summary = import_file(sqlite_app, ACTOR, path, "Worker")
    assert summary.imported == 320
    assert summary.flagged["copy"] == 20
    assert [r.locator for r in summary.rejected] == ["line 321"]


def _wait_for_mentions(url: str, minimum: int, process: subprocess.Popen[bytes]) -> int:
    engine = create_engine(url)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail("The import finished before it could be killed: use a bigger file.")
            with engine.connect() as connection:
                stored = int(connection.execute(text("SELECT count(*) FROM mentions")).scalar_one())
            if stored >= minimum:
                return stored
            time.sleep(0.05)
        pytest.fail("The import stored nothing within two minutes.")
    finally:
        engine.dispose()


@pytest.mark.slow
def test_kill_9_in_the_middle_then_rerun_ends_with_the_exact_count(
    database_url: str, tmp_path: Path
) -> None:
    total = 40_000
    records: list[Any] = [post(i) for i in range(1, total + 1)]
    for bad in (5_000, 25_000):
        records[bad] = b"{not json"
    path = write_jsonl(tmp_path / "big.jsonl", records)
    env = {
        **os.environ,
        "SBU_DATABASE__URL": database_url,
        "SBU_INGEST__BATCH_SIZE": "1000",
        "SBU_SCHEDULER__ENABLED": "false",
    }
    command = [sys.executable, "-m", "sbu", "import", str(path), "--source", "Big"]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        stored_before_kill = _wait_for_mentions(database_url, 3_000, process)
        process.send_signal(signal.SIGKILL)
        process.wait(30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    assert stored_before_kill < total - 2

    rerun = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "Resumed at line" in rerun.stdout
    engine = create_engine(database_url)
    with engine.connect() as connection:
        mentions = connection.execute(text("SELECT count(*) FROM mentions")).scalar_one()
        distinct = connection.execute(
            text("SELECT count(DISTINCT external_id) FROM mentions")
        ).scalar_one()
        dead = connection.execute(text("SELECT count(*) FROM dead_letters")).scalar_one()
        runs = dict(
            connection.execute(
                text("SELECT status, count(*) FROM ingest_runs GROUP BY status")
            ).all()
        )
    engine.dispose()
    assert mentions == distinct == total - 2
    assert dead == 2
    assert runs == {"interrupted": 1, "completed": 1}
