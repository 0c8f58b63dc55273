"""Training the language identifier: deterministic, loadable, and it learns from its corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from sbu.core.errors import ConfigError
from sbu.nlp.language import LanguageIdentifier
from sbu.nlp.language_training import UMSAB_LANGUAGES, package_artefact, read_umsab, train

# A tiny invented corpus in two languages (enough for a model of 4,096 buckets).
CORPUS = {
    "fr": [
        "je voudrais savoir quand arrive ma commande",
        "merci pour votre réponse rapide et gentille",
        "le réseau ne marche pas dans mon quartier",
        "bonne journée à toute l'équipe du magasin",
        "pourquoi la facture est elle aussi chère ce mois ci",
        "on attend toujours le technicien depuis mardi",
    ],
    "en": [
        "i would like to know when my order arrives",
        "thanks for your quick and kind answer",
        "the network does not work in my street",
        "have a nice day to the whole shop team",
        "why is the bill so expensive this month",
        "we are still waiting for the engineer since tuesday",
    ],
}


def test_training_writes_a_model_that_learned_its_corpus(tmp_path: Path) -> None:
    path = tmp_path / "model" / "language.npz"
    report = train(CORPUS, path, buckets=1 << 12)
    assert report.languages == ("en", "fr")
    assert report.posts == {"en": 6, "fr": 6}
    assert report.size == path.stat().st_size > 0
    model = LanguageIdentifier.load(path)
    assert model.languages == ("en", "fr")
    assert model.buckets == 1 << 12
    assert model.temperature == pytest.approx(report.temperature, rel=1e-6)
    found = model.identify(["merci pour la réponse", "thanks for the answer"], min_confidence=0)
    assert [code for code, _ in found] == ["fr", "en"]


def test_training_is_deterministic(tmp_path: Path) -> None:
    train(CORPUS, tmp_path / "a.npz", buckets=1 << 12)
    train(CORPUS, tmp_path / "b.npz", buckets=1 << 12)
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_missing_shared_data_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="set SBU_SHARED_DATA"):
        read_umsab(tmp_path)


def test_the_package_artefact_is_in_the_package() -> None:
    assert package_artefact().is_file()
    assert package_artefact().parts[-3:] == ("nlp", "data", "language.npz")
    assert package_artefact().stat().st_size < 2_000_000


@pytest.mark.shared
def test_umsab_has_every_language_without_hindi(shared_data: Path) -> None:
    corpus = read_umsab(shared_data)
    assert set(corpus) == set(UMSAB_LANGUAGES) == {"ar", "de", "en", "es", "fr", "it", "pt"}
    assert all(len(texts) > 1000 for texts in corpus.values())
