"""Jinja2 rendering: one environment per UI language, autoescape on for every template.

Each environment has its language's gettext translations installed (``jinja2.ext.i18n``,
new-style, so ``_("%(n)s mentions", n=3)`` formats safely) and filters bound to that language.
Environments are built once per application and never mutated afterwards, so rendering is
thread-safe. Templates never mark post text, payloads, names or urls ``|safe``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from babel import Locale
from babel.support import Translations
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.requests import Request
from starlette.responses import HTMLResponse

from sbu import __version__
from sbu.org.roles import Permission, allows
from sbu.web import formatting
from sbu.web.labels import ALERT_LABELS, KIND_LABELS, SCOPE_LABELS, WEEKDAY_LABELS
from sbu.web.locales import LANGUAGE_NAMES, LANGUAGES

TEMPLATE_DIR = Path(__file__).parent / "templates"


@dataclass(frozen=True, slots=True)
class UiLanguage:
    """A language of the UI: its code, its translations and its template environment."""

    code: str
    translations: Translations
    env: Environment

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)


def build_environment(
    language: str, translations: Translations, now: Callable[[], datetime]
) -> Environment:
    locale = Locale.parse(language)
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        number=partial(formatting.format_number, language=locale),
        count=lambda value, capped=False: formatting.format_count(value, capped, locale),
        when=lambda moment: formatting.format_when(moment, now(), locale),
        duration=partial(formatting.format_duration, language=locale),
        absolute=partial(formatting.format_absolute, language=locale),
        iso=formatting.iso_utc,
        platform_name=formatting.platform_name,
        language_name=partial(formatting.language_name, language=locale),
        http_url=formatting.http_url,
        pretty_json=formatting.pretty_json,
        shorten=formatting.shorten,
    )
    env.globals.update(
        lang=language,
        version=__version__,
        language_names=LANGUAGE_NAMES,
        kind_labels=KIND_LABELS,
        weekday_labels=WEEKDAY_LABELS,
        scope_labels=SCOPE_LABELS,
        alert_labels=ALERT_LABELS,
    )
    return env


def build_languages(
    translations: Mapping[str, Translations], now: Callable[[], datetime]
) -> dict[str, UiLanguage]:
    return {
        code: UiLanguage(code, translations[code], build_environment(code, translations[code], now))
        for code in LANGUAGES
    }


def current_path(request: Request) -> str:
    """The path and query of ``request``, for links that come back here."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


def language_links(request: Request) -> list[tuple[str, str, str]]:
    """(code, name, url) of the language switch, each link coming back to this page."""
    here = current_path(request)
    return [
        (code, LANGUAGE_NAMES[code], "/language?" + urlencode({"lang": code, "next": here}))
        for code in LANGUAGES
    ]


def permission_check(principal: Any) -> Callable[[str], bool]:
    """``can("members.manage")`` for templates: may the signed-in member use this permission?

    Templates use it to show only the menu entries, cards and buttons the member may use; the
    access guard (sbu.web.policy) decides again when the link is followed.
    """

    def can(permission: str) -> bool:
        if principal is None:
            return False
        return allows(principal.role, Permission(permission), principal.scopes)

    return can


def render(
    request: Request,
    ui: UiLanguage,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status_code: int = 200,
    section: str | None = None,
) -> HTMLResponse:
    """Render ``template`` in the request's language, with the layout's common context."""
    principal = getattr(request.state, "principal", None)
    values: dict[str, Any] = {
        "section": section,
        "language_links": language_links(request),
        "here": request.url.path,
        "principal": principal,
        "csrf_token": getattr(request.state, "csrf", None) or "",
        "can": permission_check(principal),
    }
    values.update(context or {})
    body = ui.env.get_template(template).render(values)
    return HTMLResponse(body, status_code=status_code)
