"""`sbu nlp`: language identification of texts and training of its model (no database)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from sbu.cli.base import cli, console, fail
from sbu.core.errors import SbuError

nlp_cli = typer.Typer(
    help="Language identification of texts, and training its model (no database).",
    no_args_is_help=True,
)
cli.add_typer(nlp_cli, name="nlp")

#: Lines identified together (one numpy pass each).
_CHUNK = 20_000


def _allowed(value: str | None) -> list[str] | None:
    if value is None:
        return None
    codes = [code.strip().lower() for code in value.split(",") if code.strip()]
    if not codes:
        fail("--allowed needs ISO 639-1 codes separated by commas, for example --allowed fr,en.", 2)
    return codes


@nlp_cli.command("language")
def language_command(
    file: Annotated[
        Path | None,
        typer.Argument(help="A UTF-8 text file, one text per line; standard input when absent."),
    ] = None,
    allowed: Annotated[
        str | None,
        typer.Option(
            "--allowed", help="Only these languages, e.g. fr,en; texts in others print 'other'."
        ),
    ] = None,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Print 'other' when the best allowed language is less likely than this.",
        ),
    ] = 0.5,
    with_confidence: Annotated[
        bool,
        typer.Option("--with-confidence", help="Print the probability after each code (tab)."),
    ] = False,
) -> None:
    """Print the language (ISO 639-1 code, or 'other') of each line, one per line."""
    from sbu.nlp.language import LanguageIdentifier

    codes = _allowed(allowed)
    try:
        identifier = LanguageIdentifier.load()
        identifier.check_allowed(codes)
    except SbuError as exc:
        fail(str(exc), 2)
    try:
        stream = (
            sys.stdin
            if file is None
            else file.open(encoding="utf-8", errors="replace", newline=None)
        )
    except OSError as exc:
        fail(f"Cannot read {file} ({exc.strerror}): check the path.", 2)
    out = sys.stdout
    with stream:
        chunk: list[str] = []
        for line in stream:
            chunk.append(line.rstrip("\r\n"))
            if len(chunk) == _CHUNK:
                _write(identifier.identify(chunk, codes, min_confidence), with_confidence)
                chunk = []
        if chunk:
            _write(identifier.identify(chunk, codes, min_confidence), with_confidence)
    out.flush()


def _write(results: list[tuple[str, float]], with_confidence: bool) -> None:
    if with_confidence:
        sys.stdout.write("".join(f"{code}\t{p:.4f}\n" for code, p in results))
    else:
        sys.stdout.write("".join(f"{code}\n" for code, _ in results))


@nlp_cli.command("train-language")
def train_language_command(
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            help="The shared data folder holding sentiment/umsab "
            "(default: SBU_SHARED_DATA, else ../shared/data).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", help="Where to write the model (default: the package's own model file)."
        ),
    ] = None,
) -> None:
    """Train the language identifier on the UMSAB training posts (deterministic)."""
    from sbu.nlp.language_training import package_artefact, read_umsab, shared_data, train

    root = data or shared_data()
    try:
        corpus = read_umsab(root)
    except SbuError as exc:
        fail(str(exc), 2)
    target = output or package_artefact()
    try:
        report = train(corpus, target)
    except OSError as exc:
        fail(f"Cannot write the model to {target} ({exc.strerror}): choose another --output.")
    posts = sum(report.posts.values())
    console.print(
        f"Trained on {posts:,} posts in {', '.join(report.languages)}: held-out accuracy "
        f"{report.held_out_accuracy:.2%}, smoothing {report.smoothing}, temperature "
        f"{report.temperature:.4f}; wrote {report.path} ({report.size:,} bytes).",
        highlight=False,
        soft_wrap=True,
    )
