"""Training the language identifier of :mod:`sbu.nlp.language` from labelled posts.

The corpus is the UMSAB (XLM-T) training splits of ../shared/data (``sentiment/umsab/<language>/
train_text.txt``; romanised Hindi is left out: its script says nothing a character model could
use). Training is deterministic: every fifth post of each language is held out to choose the
smoothing and calibrate the softmax temperature, then the model is counted again on every post.
"""

from __future__ import annotations

import io
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from sbu.core.errors import ConfigError
from sbu.nlp.language import ARTEFACT, FloatArray, LanguageIdentifier, grams

#: UMSAB folder name of each language the shipped model knows.
UMSAB_LANGUAGES: Mapping[str, str] = {
    "ar": "arabic",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fr": "french",
    "it": "italian",
    "pt": "portuguese",
}
BUCKETS = 1 << 18
SMOOTHING = (0.01, 0.03, 0.1, 0.3)
TEMPERATURES = tuple(float(t) for t in np.geomspace(0.02, 2.0, 41))
#: The weights are stored as int8 times this scale (logs of probabilities, centred per n-gram).
QUANTUM = 0.05


@dataclass(frozen=True, slots=True)
class TrainingReport:
    languages: tuple[str, ...]
    posts: dict[str, int]
    smoothing: float
    temperature: float
    held_out_accuracy: float
    path: Path
    size: int


def shared_data() -> Path:
    """SBU_SHARED_DATA, else ../shared/data beside the working directory (or this source tree)."""
    configured = os.environ.get("SBU_SHARED_DATA")
    if configured:
        return Path(configured)
    beside_cwd = Path.cwd().parent / "shared" / "data"
    beside_source = Path(__file__).resolve().parents[4] / "shared" / "data"
    return beside_source if not beside_cwd.is_dir() and beside_source.is_dir() else beside_cwd


def read_umsab(root: Path, split: str = "train") -> dict[str, list[str]]:
    """The posts of ``split`` (train or val) of each language, from ``root`` (../shared/data)."""
    corpus: dict[str, list[str]] = {}
    for code, folder in UMSAB_LANGUAGES.items():
        path = root / "sentiment" / "umsab" / folder / f"{split}_text.txt"
        try:
            corpus[code] = path.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise ConfigError(
                f"Cannot read {path} ({exc.strerror}): set SBU_SHARED_DATA to the folder that "
                "holds sentiment/umsab, or run from the project beside ../shared/data."
            ) from exc
    return corpus


def _counts(corpus: Mapping[str, Sequence[str]], buckets: int) -> npt.NDArray[np.float64]:
    counts = np.zeros((buckets + 1, len(corpus)), dtype=np.float64)
    for column, texts in enumerate(corpus.values()):
        found = grams(list(texts), buckets)
        counts[:, column] = np.bincount(found.buckets.ravel(), minlength=buckets + 1)
    return counts[:buckets]


def _weights(counts: npt.NDArray[np.float64], smoothing: float) -> FloatArray:
    """Centred log-probabilities; zero for n-grams no language has."""
    seen = counts.sum(axis=1) > 0
    vocabulary = int(seen.sum())
    logs = np.log(counts + smoothing) - np.log(counts.sum(axis=0) + smoothing * vocabulary)
    logs -= logs.mean(axis=1, keepdims=True)
    logs[~seen] = 0.0
    weights: FloatArray = logs.astype(np.float32)
    return weights


def _quantised(weights: FloatArray) -> FloatArray:
    steps = np.clip(np.round(weights / QUANTUM), -127, 127)
    quantised: FloatArray = (steps * QUANTUM).astype(np.float32)
    return quantised


def _split(
    corpus: Mapping[str, Sequence[str]],
) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    train = {code: [t for i, t in enumerate(texts) if i % 5] for code, texts in corpus.items()}
    held = {code: [t for i, t in enumerate(texts) if not i % 5] for code, texts in corpus.items()}
    return train, held


def _log_loss(probabilities: FloatArray, truth: npt.NDArray[np.int64]) -> float:
    picked = probabilities[np.arange(truth.size), truth]
    return float(-np.log(np.maximum(picked, 1e-9)).mean())


def train(
    corpus: Mapping[str, Sequence[str]], path: Path, buckets: int = BUCKETS
) -> TrainingReport:
    """Train on ``corpus`` (ISO 639-1 code -> posts), write the model to ``path``."""
    languages = tuple(sorted(corpus))
    ordered = {code: corpus[code] for code in languages}
    train_part, held = _split(ordered)
    held_texts = [text for code in languages for text in held[code]]
    truth = np.concatenate(
        [np.full(len(held[code]), column) for column, code in enumerate(languages)]
    )
    counts = _counts(train_part, buckets)
    best: tuple[float, float, float, float] | None = None  # (-accuracy, loss, smoothing, t)
    for smoothing in SMOOTHING:
        model = LanguageIdentifier(languages, _quantised(_weights(counts, smoothing)), 1.0)
        raw, _ = model.scores(held_texts)
        accuracy = float((raw.argmax(axis=1) == truth).mean())
        for temperature in TEMPERATURES:
            model.temperature = temperature
            loss = _log_loss(model.softmax(raw), truth)
            candidate = (-accuracy, loss, smoothing, temperature)
            if best is None or candidate < best:
                best = candidate
    assert best is not None
    accuracy, _, smoothing, temperature = -best[0], best[1], best[2], best[3]
    weights = _weights(_counts(ordered, buckets), smoothing)
    stored = np.clip(np.round(weights / QUANTUM), -127, 127).astype(np.int8)
    buffer = io.BytesIO()
    np.savez_compressed(
        buffer,
        languages=np.array(languages),
        weights=stored,
        scale=np.float32(QUANTUM),
        temperature=np.float32(temperature),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return TrainingReport(
        languages=languages,
        posts={code: len(texts) for code, texts in ordered.items()},
        smoothing=smoothing,
        temperature=temperature,
        held_out_accuracy=accuracy,
        path=path,
        size=len(buffer.getvalue()),
    )


def package_artefact() -> Path:
    """Where the shipped model lives in this source tree (``src/sbu/nlp/data/``)."""
    return Path(__file__).resolve().parent / "data" / ARTEFACT
