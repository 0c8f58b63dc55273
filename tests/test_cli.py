"""The command line: each command through Typer's runner, on a real SQLite database."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from sbu import __version__
from sbu.cli import cli

runner = CliRunner()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    database = tmp_path / "cli.db"
    monkeypatch.setenv("SBU_DATABASE__URL", f"sqlite:///{database}")
    monkeypatch.setenv("SBU_ENV", "dev")
    return database


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(cli, list(args))
    return result.exit_code, result.output


def test_version() -> None:
    assert run("--version") == (0, f"sbu {__version__}\n")


def test_the_package_keeps_its_entry_points() -> None:
    import sbu.__main__
    import sbu.cli

    assert sbu.__main__.main is sbu.cli.main
    for name in ("cli", "main", "run", "application", "fail", "cli_actor", "load_settings"):
        assert callable(getattr(sbu.cli, name)), name
    actor = sbu.cli.cli_actor()
    assert (actor.kind, actor.member_id, actor.role) == ("cli", None, None)


def test_every_command_group_is_registered() -> None:
    code, output = run("--help")
    assert code == 0
    for group in ("db", "import", "demo", "serve", "sources", "dead-letters", "departments",
                  "users", "token", "audit"):  # fmt: skip
        assert f" {group} " in output, group


def test_commands_refuse_an_unmigrated_database(env: Path) -> None:
    code, output = run("sources", "list")
    assert code == 1
    assert "run `sbu db upgrade` first" in output


def test_db_upgrade_then_current(env: Path) -> None:
    code, output = run("db", "upgrade")
    assert code == 0
    assert "Migrated" in output
    assert run("db", "upgrade")[1].startswith("The database")
    code, output = run("db", "current")
    assert code == 0
    assert "up to date" in output


def test_import_prints_a_summary_and_rejected_lines(env: Path, tmp_path: Path) -> None:
    run("db", "upgrade")
    path = tmp_path / "posts.jsonl"
    lines = [
        orjson.dumps(
            {
                "id": str(i),
                "text": f"post {i} about the network",
                "created_at": "2026-11-01T10:00:00Z",
            }
        )
        for i in range(5)
    ]
    lines.insert(2, b"{broken")
    path.write_bytes(b"\n".join(lines) + b"\n")
    code, output = run("import", str(path), "--source", "Export", "--platform", "reddit")
    assert code == 0, output
    assert "Created the file source Export." in output
    assert "Imported 5 posts into Export" in output
    assert "1 rejected" in output
    assert "line 3" in output
    code, output = run("import", str(path), "--source", "Export")
    assert "Nothing new" in output
    code, output = run("dead-letters", "list", "--source", "Export")
    assert code == 0
    assert "line 3" in output
    code, output = run("sources", "list")
    assert "Export" in output
    assert "file" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("import", "missing.jsonl", "--source", "X"), "does not exist"),
        (("import", "{file}", "--source", "X", "--timezone", "Nowhere/City"), "time zone"),
        (("sources", "add", "Feed", "-c", "rss", "--set", "url=ftp://example.com"), "http"),
        (("sources", "add", "Feed", "-c", "rss", "--set", "nonsense"), "key=value"),
        (("sources", "poll", "Nope"), "no source called"),
    ],
)
def test_invalid_input_exits_2_with_a_sentence(
    env: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    run("db", "upgrade")
    path = tmp_path / "ok.jsonl"
    path.write_bytes(b'{"id": "1", "text": "t", "created_at": "2026-11-01T10:00:00Z"}\n')
    code, output = run(*(a.replace("{file}", str(path)) for a in args))
    assert code == 2, output
    assert output.startswith("Error: ")
    assert message in output


def test_sources_add_enable_disable(env: Path) -> None:
    run("db", "upgrade")
    code, output = run("sources", "add", "Presse", "-c", "rss", "--set", "url=https://example.com/f.xml",
                       "--interval", "600", "--purpose", "veille concurrentielle")  # fmt: skip
    assert code == 0, output
    assert "polled every 600s" in output
    assert run("sources", "disable", "Presse") == (0, "Disabled Presse.\n")
    assert run("sources", "enable", "Presse") == (0, "Enabled Presse.\n")


def test_sources_edit_show_and_rekey(env: Path) -> None:
    run("db", "upgrade")
    run("sources", "add", "Presse", "-c", "rss", "--set", "url=https://example.com/f.xml")
    code, output = run("sources", "edit", "Presse", "--set", "language=fr", "--interval", "1200")
    assert (code, output) == (0, "Updated Presse.\n")
    code, output = run("sources", "show", "Presse")
    assert code == 0, output
    assert "https://example.com/f.xml" in output  # kept
    assert "fr" in output
    assert "1200 s" in output
    code, output = run("sources", "edit", "Presse", "--set", "url=ftp://x")
    assert code == 2
    assert "http" in output
    assert run("sources", "rekey") == (
        0,
        "Re-encrypted the credentials of 0 source(s) with the current key.\n",
    )


def test_credentials_are_typed_without_echo_stored_encrypted_and_shown_masked(env: Path) -> None:
    run("db", "upgrade")
    token = "mastodon-token-0123456789-WXYZ"
    result = runner.invoke(
        cli,
        ["sources", "add", "Masto", "-c", "mastodon", "--set", "instance=https://m.example",
         "--set", "timeline=search", "--set", "query=ondine", "--secret", "access_token"],
        input=f"{token}\n",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert token not in result.output
    code, output = run("sources", "show", "Masto")
    assert code == 0, output
    assert "••••••••WXYZ" in output
    assert token not in output
    with sqlite3.connect(env) as connection:
        config, sealed = connection.execute(
            "SELECT config, credentials FROM sources WHERE name = 'Masto'"
        ).fetchone()
    assert token not in config
    assert token not in sealed
    # Editing another setting keeps the credential.
    assert run("sources", "edit", "Masto", "--set", "query=fibre")[0] == 0
    assert "••••••••WXYZ" in run("sources", "show", "Masto")[1]


def test_listen_once_polls_the_due_sources_and_prints_each_poll(env: Path) -> None:
    from tests.connectors.feeds.server import running_server

    run("db", "upgrade")
    with running_server() as server:
        url = server.serve_file("/actu", "ouest-actu.rss")
        run("sources", "add", "Ouest Actu", "-c", "rss", "--set", f"url={url}")
        run("sources", "add", "Disparu", "-c", "rss", "--set", f"url={server.url('/gone')}")
        code, output = run("listen", "--once")
    assert code == 0, output
    assert "Ouest Actu: 3 new, 0 already stored, 0 rejected." in output
    assert "Disparu (will retry):" in output
    assert "404" in output
    code, output = run("listen", "--once")  # nothing is due any more
    assert (code, output) == (0, "")


def test_invalid_settings_exit_2(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SBU_INGEST__BATCH_SIZE", "-1")
    code, output = run("sources", "list")
    assert code == 2
    assert "SBU_INGEST__BATCH_SIZE" in output
