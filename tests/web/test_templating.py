"""Templates: autoescaping everywhere, one environment per language, the language switch."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from sbu.bootstrap import App
from sbu.web.deps import WebState
from sbu.web.templating import TEMPLATE_DIR
from tests.web.posts import XSS


@pytest.fixture
def state(sqlite_app: App) -> WebState:
    from sbu.web.app import create_app

    return create_app(sqlite_app).state.web  # type: ignore[no-any-return]


def test_every_environment_autoescapes(state: WebState) -> None:
    for ui in state.languages.values():
        rendered = ui.env.from_string("{{ value }}").render(value=XSS)
        assert "<script>" not in rendered
        assert "&lt;script&gt;" in rendered


def test_each_language_has_its_translations_and_filters(state: WebState) -> None:
    french, english = state.languages["fr"], state.languages["en"]
    template = '{{ _("Stream") }} {{ 12345|number }} {{ "fr"|language_name }}'
    assert french.env.from_string(template).render() == "Flux 12\u202f345 français (fr)"
    assert english.env.from_string(template).render() == "Stream 12,345 French (fr)"
    assert french.env.globals["lang"] == "fr"


def test_translated_strings_are_escaped_when_formatted(state: WebState) -> None:
    rendered = (
        state.languages["en"]
        .env.from_string('{{ _("Mention %(id)s", id=value) }}')
        .render(value=XSS)
    )
    assert "<script>" not in rendered


def test_missing_variables_fail_loudly(state: WebState) -> None:
    with pytest.raises(UndefinedError):
        state.languages["en"].env.from_string("{{ nothing.here }}").render()


def test_no_template_marks_anything_safe() -> None:
    for path in TEMPLATE_DIR.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", ""), path
        assert "autoescape false" not in text, path
        assert "Markup(" not in text, path
        assert " style=" not in text, path
        assert not re.search(r"\son[a-z]+\s*=", text), path
        assert "<script>" not in text, path
