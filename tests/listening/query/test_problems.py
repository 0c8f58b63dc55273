from __future__ import annotations

import re

import pytest

from sbu.core.errors import InvalidInput
from sbu.listening.query.lint import check
from sbu.listening.query.parser import MAX_QUERY_CHARS
from sbu.listening.query.problems import TEMPLATES, QueryError, QueryProblem, pointer
from sbu.web.locales import load_translations
from tests.listening.query.query_doc import tables

#: One representative query per problem code, with the exact span the problem points at.
EXAMPLES: dict[str, tuple[str, int, int]] = {
    "empty": ("", 0, 1),
    "unclosed_paren": ("ondine (fibre OR adsl", 7, 8),
    "unopened_paren": ("ondine fibre)", 12, 13),
    "empty_group": ("ondine ()", 7, 9),
    "unclosed_quote": ('ondine "service client', 7, 8),
    "empty_phrase": ('ondine ""', 7, 9),
    "missing_operand": ("ondine OR", 7, 9),
    "missing_not_operand": ("ondine NOT", 7, 10),
    "near_distance": ("fibre NEAR panne", 6, 10),
    "near_operand": ("fibre NEAR/3 NOT panne", 13, 16),
    "near_chain": ("a1 NEAR/3 b1 NEAR/3 c1", 13, 19),
    "near_scope": ("title:fibre NEAR/3 panne", 0, 24),
    "unknown_field": ("ondine colour:red", 7, 14),
    "link_term": ("ondine https://www.ondine.fr/offres", 7, 35),
    "field_value": ("ondine lang:", 7, 12),
    "bad_lang": ("ondine lang:french", 7, 18),
    "bad_platform": ("ondine platform:*", 7, 17),
    "bad_site": ("ondine site:ondine", 7, 18),
    "nested_scope": ("title:(raw:Orange)", 7, 11),
    "field_group": ("ondine lang:(fr OR en)", 7, 13),
    "stray_operator_char": ("ondine & fibre", 7, 8),
    "tilde": ('"fibre panne"~5', 13, 15),
    "minus_sign": ("ondine -recrutement", 7, 8),
    "braces": ("ondine {Apple}", 7, 14),
    "wildcard_position": ("ondine con*nect", 7, 15),
    "wildcard_short": ("ondine co*", 7, 10),
    "wildcard_only": ("ondine ?", 7, 8),
    "stopword": ("ondine the", 7, 10),
    "lowercase_operator": ("ondine or fibre", 7, 9),
    "not_only": ("NOT recrutement", 0, 15),
    "too_broad": ("merci", 0, 5),
    "too_long": ("x" * (MAX_QUERY_CHARS + 1), MAX_QUERY_CHARS, MAX_QUERY_CHARS + 1),
}

PLACEHOLDER = re.compile(r"\{\w*\}")


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == set(TEMPLATES)


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_each_problem_is_found_at_its_exact_position(code: str) -> None:
    query, start, end = EXAMPLES[code]
    checked = check(query)
    assert [(p.code, p.start, p.end) for p in checked.problems] == [(code, start, end)]


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_messages_and_hints_render_as_full_sentences(code: str) -> None:
    query, _, _ = EXAMPLES[code]
    (problem,) = check(query).problems
    for text in (problem.message, problem.hint):
        assert not PLACEHOLDER.search(text), text
        assert len(text.split()) >= 3, text
        assert text.endswith("."), text


def test_templates_only_use_the_params_the_problem_carries() -> None:
    for code, (query, _, _) in EXAMPLES.items():
        (problem,) = check(query).problems
        used = {name for template in TEMPLATES[code] for name in re.findall(r"\{(\w+)\}", template)}
        assert used == set(problem.params), code


def test_parameters_fill_the_templates() -> None:
    (problem,) = check("ondine lang: fr").problems
    assert problem.message == "lang: needs a value."
    assert problem.hint.endswith("for example: lang:fr.")
    (problem,) = check("ondine and fibre").problems
    assert problem.params == {"word": "and", "upper": "AND"}
    assert "Write AND if you meant the operator" in problem.hint


def test_describe_gives_the_column_counting_from_one() -> None:
    problem = QueryProblem("unopened_paren", 12, 13)
    assert problem.describe("ondine fibre)") == (
        "column 13: This parenthesis closes nothing. "
        "Remove this ), or add the ( that starts the group."
    )


def test_as_dict_is_what_the_api_and_the_editor_show() -> None:
    problem = QueryProblem("stopword", 7, 10, {"word": "the"})
    assert problem.as_dict() == {
        "code": "stopword",
        "message": problem.message,
        "hint": problem.hint,
        "start": 7,
        "end": 10,
    }
    assert problem.message.startswith("the is a stopword")


def test_a_query_error_is_invalid_input_and_says_where_the_first_problem_is() -> None:
    problems = [
        QueryProblem("empty_group", 7, 9),
        QueryProblem("stopword", 10, 13, {"word": "the"}),
    ]
    error = QueryError("ondine () the", problems)
    assert isinstance(error, InvalidInput)
    assert error.problems == problems
    assert error.query == "ondine () the"
    assert str(error) == (
        "The query has a problem at column 8: This group is empty: () holds nothing. "
        "Put words inside the parentheses, or remove them."
    )


def test_pointer_puts_carets_under_the_problem() -> None:
    assert pointer("ondine ()", QueryProblem("empty_group", 7, 9)) == "ondine ()\n       ^^"
    assert pointer("", QueryProblem("empty", 0, 0)) == "\n^"


# --- The table of problems in docs/listening/query-language.md ------------------------------

DOC_ROWS = [row for table in tables("Code") for row in table]
#: Examples the doc describes in words because they cannot be written in a table cell.
DESCRIBED = {"(an empty query)": "", "(a query of 5,000 characters)": "x" * 5000}


def test_the_doc_lists_every_problem_once() -> None:
    codes = [row["Code"] for row in DOC_ROWS]
    assert sorted(codes) == sorted(TEMPLATES)


@pytest.mark.parametrize("row", DOC_ROWS, ids=[row["Code"] for row in DOC_ROWS])
def test_the_doc_says_what_sbu_says_and_its_fix_is_valid(row: dict[str, str]) -> None:
    query = DESCRIBED.get(row["Example"], row["Example"])
    problems = check(query).problems
    assert problems, row["Example"]
    first = problems[0]
    assert first.code == row["Code"]
    assert first.start + 1 == int(row["Column"])
    assert f"{first.message} {first.hint}" == row["What sbu says"]
    fixed = check(row["A fix"])
    assert fixed.ok, [p.describe(row["A fix"]) for p in fixed.problems]


# --- French -----------------------------------------------------------------------------------


def test_every_message_and_hint_has_a_french_translation_with_the_same_placeholders() -> None:
    """The web pages translate the templates with the French catalogue, then fill the params."""
    translations = load_translations()["fr"]
    missing = []
    for code, templates in TEMPLATES.items():
        for template in templates:
            french = translations.gettext(template)
            if french == template:
                missing.append(f"{code}: {template}")
            wanted = sorted(re.findall(r"\{(\w+)\}", template))
            assert sorted(re.findall(r"\{(\w+)\}", french)) == wanted, (code, french)
    assert not missing, "Add these to src/sbu/web/i18n/fr/LC_MESSAGES/messages.po:\n" + "\n".join(
        missing
    )


def test_a_french_message_renders_with_the_problem_params() -> None:
    translations = load_translations()["fr"]
    (problem,) = check("ondine lang: fr").problems
    french = translations.gettext(TEMPLATES[problem.code][1]).format(**problem.params)
    assert (
        french
        == "Écrivez la valeur juste après les deux-points, sans espace, par exemple : lang:fr."
    )
