"""The ``sbu`` command line. Thin: it parses, calls services, and prints.

One module per area registers its commands on :data:`cli` (see :mod:`sbu.cli.base` for what they
share). Every command that fails prints one sentence saying what is wrong and what to do, and
exits with status 2 for invalid input and 1 for any other failure; long work shows a progress bar.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from sbu.cli.base import application, cli, cli_actor, console, err_console, fail, load_settings

# The order of these imports is the order of the commands in `sbu --help`.
# isort: off
from sbu.cli import db, listening, serve, departments, users, tokens, audit  # noqa: F401
from sbu.cli import topics, enrich  # noqa: F401
from sbu.cli import query  # noqa: F401
from sbu.cli import nlp  # noqa: F401
# isort: on

__all__ = ["application", "cli", "cli_actor", "console", "err_console", "fail", "load_settings",
           "main", "run"]  # fmt: skip


def main() -> None:
    try:
        cli()
    except KeyboardInterrupt:
        err_console.print("Interrupted: what was committed before stays; re-run to continue.")
        sys.exit(130)


run: Callable[[], None] = main
