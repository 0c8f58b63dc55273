"""Docs are part of the build: every setting and every CLI command and option is documented."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from sbu.cli import cli
from sbu.settings import setting_env_names

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_every_setting_is_documented() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    missing = [name for name in setting_env_names() if f"`{name}`" not in text]
    assert not missing, f"Document these settings in docs/settings.md: {missing}"


def test_documented_settings_exist() -> None:
    text = (DOCS / "settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`(SBU_[A-Z_]+)`", text))
    known = set(setting_env_names()) | {
        "SBU_TEST_DATABASE_URL", "SBU_TEST_NATS_URL", "SBU_TEST_REQUIRE", "SBU_SHARED_DATA",
        "SBU_SCREENSHOT",
    }  # fmt: skip
    assert documented <= known, f"docs/settings.md names unknown settings: {documented - known}"


def _commands(command: Any, path: list[str]) -> Iterator[tuple[str, Any]]:
    children = getattr(command, "commands", None)
    if children:
        for name, child in children.items():
            if not getattr(child, "hidden", False):  # aliases are documented with their command
                yield from _commands(child, [*path, name])
    else:
        yield " ".join(path), command


COMMANDS = list(_commands(typer.main.get_command(cli), ["sbu"]))


def _section(text: str, command: str) -> str:
    """The part of docs/cli.md under the heading that names ``command``."""
    match = re.search(rf"^#+ `{re.escape(command)}`.*?$(.*?)(?=^#+ `sbu|\Z)", text, re.M | re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(("name", "command"), COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_cli_command_and_option_is_documented(name: str, command: Any) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    section = _section(text, name)
    assert section, f"docs/cli.md needs a heading `{name}`"
    for param in command.params:
        for option in param.opts:
            if option.startswith("-"):
                assert option in section, f"Document {option} of `{name}` in docs/cli.md"


def test_hidden_aliases_are_documented() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    hidden = [name for name, child in typer.main.get_command(cli).commands.items() if child.hidden]
    assert hidden == ["user"]
    assert "`sbu user` is an alias of `sbu users`" in text


def test_the_cli_has_the_commands_the_issue_names() -> None:
    names = {name for name, _ in COMMANDS}
    assert {"sbu serve", "sbu db upgrade", "sbu import", "sbu demo", "sbu sources list",
            "sbu sources add", "sbu users add", "sbu users ensure-admin", "sbu token create",
            "sbu audit export"} <= names  # fmt: skip
