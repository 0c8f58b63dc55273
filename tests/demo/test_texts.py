"""The phrase grammar: alternatives, optional and movable sentences, fillers."""

from __future__ import annotations

import random

import pytest

from sbu.demo.texts import TemplateError, bank, expand, phrase, render, template, tidy


def test_alternatives_pick_one_option_each_time() -> None:
    seen = {expand("[rouge|vert|bleu]", random.Random(i), {}) for i in range(60)}
    assert seen == {"rouge", "vert", "bleu"}


def test_placeholders_are_filled_by_strings_banks_and_functions_recursively() -> None:
    fillers = {
        "city": "Nantes",
        "greeting": bank("Bonjour {who}", "Salut {who}"),
        "who": lambda rng: "Jeanne",
    }
    text = expand("{greeting} de {city}", random.Random(1), fillers)
    assert text in {"Bonjour Jeanne de Nantes", "Salut Jeanne de Nantes"}


def test_a_missing_filler_is_a_clear_error() -> None:
    with pytest.raises(TemplateError, match=r"\{nowhere\}"):
        expand("Rendez-vous à {nowhere}", random.Random(1), {})


def test_optional_sentences_are_sometimes_left_out() -> None:
    tpl = template("Première phrase.", "?Parfois là.")
    texts = {render(tpl, random.Random(i), {}) for i in range(40)}
    assert texts == {"Première phrase.", "Première phrase. Parfois là."}
    assert phrase("??rare").keep == 0.25


def test_movable_sentences_change_places() -> None:
    tpl = template("~Un.", "~Deux.", "Fin.")
    texts = {render(tpl, random.Random(i), {}) for i in range(40)}
    assert texts == {"Un. Deux. Fin.", "Deux. Un. Fin."}


def test_tidy_fixes_spaces_punctuation_and_the_first_capital() -> None:
    assert tidy("  bonjour  ,le   monde .. ") == "Bonjour,le monde."
    assert tidy("@jeanne pareil") == "@jeanne pareil"


def test_rendering_is_deterministic_for_a_seed() -> None:
    tpl = template("[a|b|c] [d|e|f]", "?[g|h]", "~[i|j]", "~[k|l]")
    assert render(tpl, random.Random(7), {}) == render(tpl, random.Random(7), {})
