"""The language identifier: invented posts, the allowed languages, "other", batches, UMSAB."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sbu.core.errors import ConfigError, InvalidInput
from sbu.nlp.language import OTHER, LanguageIdentifier, grams, normalise
from sbu.nlp.language_training import read_umsab

# Invented posts, a few per language, the way people write them on social networks.
POSTS: dict[str, list[str]] = {
    "ar": [
        "الخدمة اليوم سيئة جدا ولا أحد يرد على الهاتف",
        "شكرا لكم على المساعدة السريعة، فريق رائع",
        "متى سيعود الإنترنت؟ أنتظر منذ الصباح",
    ],
    "de": [
        "Ich warte seit drei Tagen auf meine Bestellung, das ist wirklich ärgerlich",
        "Danke für die schnelle Hilfe, der Kundendienst war super freundlich!",
        "Weiß jemand, warum die App heute nicht funktioniert? @support",
    ],
    "en": [
        "Still waiting for my refund, this is getting ridiculous",
        "Just tried the new update and honestly it works so much better now!",
        "Does anyone know why the app keeps crashing this morning? https://example.com/x",
    ],
    "es": [
        "Llevo una semana esperando el pedido y nadie me contesta",
        "¡Gracias por la ayuda! El equipo ha sido muy amable conmigo",
        "¿Alguien sabe por qué no funciona la aplicación hoy?",
    ],
    "fr": [
        "Toujours pas de connexion depuis ce matin, c'est vraiment pénible",
        "Merci beaucoup pour votre aide, le conseiller était très sympa !",
        "Quelqu'un sait pourquoi l'appli ne marche plus ? #panne",
    ],
    "it": [
        "Aspetto ancora il rimborso, non è possibile trattare così i clienti",
        "Grazie mille per l'aiuto, siete stati gentilissimi",
        "Qualcuno sa perché l'applicazione non funziona oggi?",
    ],
    "pt": [
        "Estou esperando a entrega há uma semana e ninguém responde",
        "Obrigado pela ajuda, o atendimento foi muito bom!",
        "Alguém sabe por que o aplicativo não está funcionando hoje?",
    ],
}
TEXTS = [text for texts in POSTS.values() for text in texts]
TRUTH = [code for code, texts in POSTS.items() for _ in texts]


@pytest.fixture(scope="module")
def identifier() -> LanguageIdentifier:
    return LanguageIdentifier.load()


def test_the_shipped_model_knows_the_seven_languages(identifier: LanguageIdentifier) -> None:
    assert identifier.languages == ("ar", "de", "en", "es", "fr", "it", "pt")
    assert identifier.buckets & (identifier.buckets - 1) == 0
    assert 0 < identifier.temperature < 10


@pytest.mark.parametrize(("text", "code"), list(zip(TEXTS, TRUTH, strict=True)))
def test_invented_posts_get_their_language(
    identifier: LanguageIdentifier, text: str, code: str
) -> None:
    found, confidence = identifier.identify_one(text)
    assert found == code
    assert 0.5 <= confidence <= 1.0


def test_a_batch_gives_what_single_texts_give(identifier: LanguageIdentifier) -> None:
    texts = [*TEXTS, "", "😀🎉", "ok", "a\x00b c", "Bonjour\nà tous"]
    batch = identifier.identify(texts)
    assert batch == [identifier.identify_one(text) for text in texts]
    assert [code for code, _ in batch[: len(TEXTS)]] == TRUTH


def test_batches_larger_than_one_numpy_pass_match(
    identifier: LanguageIdentifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = identifier.identify(TEXTS)
    monkeypatch.setattr("sbu.nlp.language.BATCH_SIZE", 4)
    assert identifier.identify(TEXTS) == whole


def test_allowed_languages_restrict_and_others_become_other(
    identifier: LanguageIdentifier,
) -> None:
    german = POSTS["de"][0]
    assert identifier.identify_one(german, allowed=["de", "en"])[0] == "de"
    code, confidence = identifier.identify_one(german, allowed=["fr", "en"])
    assert code == OTHER
    assert confidence < 0.5
    results = identifier.identify(TEXTS, allowed=["fr"])
    assert [code for code, _ in results] == ["fr" if real == "fr" else OTHER for real in TRUTH]


def test_the_threshold_decides_other(identifier: LanguageIdentifier) -> None:
    text = POSTS["es"][0]
    code, confidence = identifier.identify_one(text)
    assert code == "es"
    assert identifier.identify_one(text, min_confidence=confidence) == ("es", confidence)
    assert identifier.identify_one(text, min_confidence=min(confidence + 0.001, 1.0001))[0] == OTHER
    assert identifier.identify_one(text, min_confidence=0.0)[0] == "es"


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀🎉", "12345 678", "@someone https://example.com/a", "ok", "#"]
)
def test_texts_with_too_few_letters_are_other(identifier: LanguageIdentifier, text: str) -> None:
    assert identifier.identify_one(text) == (OTHER, 0.0)
    assert identifier.identify_one(text, min_confidence=0.0) == (OTHER, 0.0)


def test_unknown_scripts_are_uncertain(identifier: LanguageIdentifier) -> None:
    code, confidence = identifier.identify_one("Привет всем, как дела сегодня утром")
    assert code == OTHER
    assert confidence < 0.5


def test_an_empty_batch_and_unknown_allowed_codes(identifier: LanguageIdentifier) -> None:
    assert identifier.identify([]) == []
    with pytest.raises(InvalidInput, match=r"does not know nl: allow only ar, de, en"):
        identifier.identify(TEXTS, allowed=["fr", "nl"])


def test_normalisation_marks_words_and_drops_links_handles_digits_and_marks() -> None:
    points, starts = normalise(["@user Ça VA 2 fois!! http://x.y/z", "", "كَتَبَ"])
    text = "".join(chr(p) if p else "|" for p in points)
    assert text == " ça va fois | | كتب |"
    assert starts.tolist() == [0, 13, 15]


def test_grams_are_hashed_within_each_text_only() -> None:
    found = grams(["ab", "c"], 1 << 10)
    assert found.letters.tolist() == [2, 1]
    valid = found.buckets < 1 << 10
    # " ab |" has a, b (unigrams), " a", "ab", "b " (bigrams), " ab", "ab " and " ab "
    assert int(valid[: found.starts[1]].sum()) == 8
    # " c |": c, " c", "c ", " c "
    assert int(valid[found.starts[1] :].sum()) == 4
    assert found.buckets.dtype == np.int64


def test_a_missing_or_broken_model_file_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="retrain it with `sbu nlp train-language`"):
        LanguageIdentifier.load(tmp_path / "absent.npz")
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="Cannot read the language model"):
        LanguageIdentifier.load(broken)


def test_an_inconsistent_model_is_refused() -> None:
    with pytest.raises(ConfigError, match="power of two"):
        LanguageIdentifier(["fr", "en"], np.zeros((1000, 2), dtype=np.float32), 1.0)
    with pytest.raises(ConfigError, match="one column per language"):
        LanguageIdentifier(["fr"], np.zeros((1024, 2), dtype=np.float32), 1.0)


@pytest.mark.shared
def test_umsab_validation_accuracy_is_at_least_97_percent(
    shared_data: Path, identifier: LanguageIdentifier
) -> None:
    corpus = read_umsab(shared_data, "val")
    texts = [text for code in corpus for text in corpus[code]]
    truth = [code for code in corpus for _ in corpus[code]]
    found = [code for code, _ in identifier.identify(texts)]
    accuracy = sum(a == b for a, b in zip(found, truth, strict=True)) / len(texts)
    assert accuracy >= 0.97
    for code in corpus:
        mine = [a for a, b in zip(found, truth, strict=True) if b == code]
        assert sum(a == code for a in mine) / len(mine) >= 0.93, code
