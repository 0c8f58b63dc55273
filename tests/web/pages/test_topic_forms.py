"""The topic form's pieces: example rows, the services' fields, values shown again, sentences."""

from __future__ import annotations

import pytest

from sbu.listening.query import compile_query
from sbu.listening.topic_models import Topic
from sbu.listening.topic_tests import run_examples
from sbu.listening.topics import SUBJECT_KINDS
from sbu.web.forms import FormError
from sbu.web.locales import load_translations
from sbu.web.pages.topic_forms import (
    SUBJECT_LABELS,
    TopicForm,
    example_rows,
    examples_from,
    fields_from,
    result_reason,
    translate_error,
    values_from,
    values_of,
    with_blank_rows,
)
from tests.web.topics import form_data

TRANSLATIONS = load_translations()
EN, FR = TRANSLATIONS["en"], TRANSLATIONS["fr"]


def form(**fields: object) -> TopicForm:
    return TopicForm.model_validate({**form_data(4), **fields})


def test_every_subject_kind_has_a_name() -> None:
    assert tuple(SUBJECT_LABELS) == SUBJECT_KINDS


def test_rows_leave_out_empty_texts_and_keep_the_order() -> None:
    typed = form(ex_text=["  ", "b", "c"], ex_expect=["match", "no_match", ""],
                 ex_title=["", "", "T"], ex_lang=["", "fr ", ""], ex_platform=["", "", ""],
                 ex_author=["", "", ""], ex_url=["", "", ""], ex_note=["", "", ""])  # fmt: skip
    rows = example_rows(EN, typed)
    assert [row["text"] for row in rows] == ["b", "c"]
    assert rows[1]["expect"] == "match"  # an empty choice is the default
    assert examples_from(rows) == [
        {"text": "b", "expect": "no_match", "lang": "fr"},
        {"text": "c", "expect": "match", "title": "T"},
    ]


def test_rows_that_do_not_line_up_are_refused_with_a_sentence() -> None:
    typed = form(ex_text=["a", "b"], ex_expect=["match"])
    with pytest.raises(FormError) as refused:
        example_rows(FR, typed)
    assert refused.value.message.startswith("Les exemples de ce formulaire sont illisibles")


def test_fields_need_a_department() -> None:
    fields = fields_from(EN, form(department_id="7"), [])
    assert fields["department_id"] == 7
    assert fields["examples"] == []
    with pytest.raises(FormError):
        fields_from(EN, form(department_id="seven"), [])


def test_values_of_a_topic_and_of_what_was_typed() -> None:
    topic = Topic(name="N", query="q", subject_kind="theme", subject_name="S", department_id=2,
                  description="D", active=False,
                  examples=[{"text": "t", "expect": "no_match", "lang": "fr"}])  # fmt: skip
    values = values_of(topic)
    assert values["department_id"] == "2"
    assert values["examples"][0]["lang"] == "fr"
    assert values["examples"][0]["url"] == ""
    assert values_of(None, 5)["department_id"] == "5"
    typed = form(active=None, note="n")
    again = values_from(typed, example_rows(EN, typed))
    assert again["active"] is False
    assert again["note"] == "n"
    assert "ex_text" not in again
    assert len(with_blank_rows(again["examples"])) == 2


def test_results_and_service_sentences_in_french() -> None:
    results = run_examples(compile_query("ondine"), [
        {"text": "ondine", "expect": "match"}, {"text": "rien", "expect": "match"},
        {"text": "ondine", "expect": "no_match"},
    ])  # fmt: skip
    assert [result_reason(FR, r) for r in results] == [
        "Réussi.",
        "Il devrait correspondre à la requête mais ne correspond pas.",
        "Il correspond à la requête mais ne devrait pas.",
    ]
    sentence = "A topic called 'Ondine' already exists: choose another name or edit that one."
    assert translate_error(FR, sentence) == (
        "Un sujet nommé 'Ondine' existe déjà : choisissez un autre nom ou modifiez celui-là."
    )
    assert translate_error(EN, sentence) == sentence
    assert translate_error(FR, "Something nobody translated.") == "Something nobody translated."
    # sentences of sbu.web.messages still work through it
    assert translate_error(FR, "There is no department 4.") == "Il n'y a pas de service 4."
