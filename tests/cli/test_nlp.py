"""`sbu nlp language` and `sbu nlp train-language` through Typer's runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from sbu.cli import cli
from sbu.nlp.language import LanguageIdentifier

runner = CliRunner()

LINES = [
    "Merci pour votre aide, tout fonctionne à nouveau",
    "Thanks a lot, everything works again",
    "Danke für die Hilfe, jetzt funktioniert alles wieder",
    "😀",
]


def test_language_reads_standard_input_and_prints_one_code_per_line() -> None:
    result = runner.invoke(cli, ["nlp", "language"], input="\n".join(LINES) + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["fr", "en", "de", "other"]


def test_language_reads_a_file_and_restricts_to_allowed(tmp_path: Path) -> None:
    path = tmp_path / "posts.txt"
    path.write_text("\r\n".join(LINES), encoding="utf-8")
    result = runner.invoke(
        cli, ["nlp", "language", str(path), "--allowed", "fr, EN", "--with-confidence"]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [code for code, _ in rows] == ["fr", "en", "other", "other"]
    assert float(rows[0][1]) >= 0.5
    assert rows[3][1] == "0.0000"


def test_language_min_confidence_one_makes_uncertain_texts_other() -> None:
    text = "ciao"
    _, confidence = LanguageIdentifier.load().identify_one(text, min_confidence=0)
    assert confidence < 1.0
    result = runner.invoke(cli, ["nlp", "language", "--min-confidence", "1"], input=text + "\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "other\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--allowed", "nl"], "does not know nl"),
        (["--allowed", ","], "--allowed needs ISO 639-1 codes"),
        (["/nonexistent/posts.txt"], "Cannot read /nonexistent/posts.txt"),
    ],
)
def test_language_invalid_input_exits_2_with_a_sentence(args: list[str], message: str) -> None:
    result = runner.invoke(cli, ["nlp", "language", *args], input="x\n")
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())


def test_train_language_without_data_exits_2(tmp_path: Path) -> None:
    result = runner.invoke(
        cli, ["nlp", "train-language", "--data", str(tmp_path), "--output", str(tmp_path / "m")]
    )
    assert result.exit_code == 2
    assert "set SBU_SHARED_DATA" in " ".join(result.output.split())
    assert not (tmp_path / "m").exists()


@pytest.mark.shared
@pytest.mark.slow
def test_train_language_on_the_shared_data_writes_the_shipped_model(
    shared_data: Path, tmp_path: Path
) -> None:
    output = tmp_path / "language.npz"
    result = runner.invoke(
        cli, ["nlp", "train-language", "--data", str(shared_data), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    assert "Trained on 12,873 posts in ar, de, en, es, fr, it, pt" in " ".join(
        result.output.split()
    )
    shipped = Path(__file__).resolve().parents[2] / "src" / "sbu" / "nlp" / "data" / "language.npz"
    assert output.read_bytes() == shipped.read_bytes(), "retrain: sbu nlp train-language"
