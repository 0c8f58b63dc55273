"""The message catalogs: every UI string is in messages.pot and translated into French.

Messages are extracted with the project's babel.cfg (templates and Python of sbu.web), exactly as
``pybabel extract`` does. A new string without a French translation makes this test fail; the
fix is described in docs/listening/stream.md (Languages).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from sbu.web.locales import CATALOG_DIR, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)s|\{(\w+)\}")

MessageId = str | tuple[str, ...]


def key(message: MessageId) -> str:
    return message[0] if isinstance(message, tuple) else message


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[MessageId, str]]:
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found: dict[str, tuple[MessageId, str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map
    ):
        found[key(message)] = (message, f"{filename}:{lineno}")
    return found


def read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def test_extraction_finds_the_templates_and_the_python(
    extracted: dict[str, tuple[MessageId, str]],
) -> None:
    places = {where.split(":")[0] for _, where in extracted.values()}
    assert any(place.endswith(".html") for place in places)
    assert any(place.endswith("stream_filters.py") for place in places)
    assert "Stream" in extracted
    assert "%(num)s mention" in extracted


def test_the_template_catalog_is_up_to_date(extracted: dict[str, tuple[MessageId, str]]) -> None:
    pot = read(CATALOG_DIR / "messages.pot")
    in_pot = {key(m.id) for m in pot if m.id}
    missing = sorted(set(extracted) - in_pot)
    assert not missing, f"Run pybabel extract (docs/listening/stream.md): missing {missing[:5]}"
    stale = sorted(in_pot - set(extracted))
    assert not stale, f"messages.pot holds strings no longer used: {stale[:5]}"


def test_every_message_has_a_french_translation(
    extracted: dict[str, tuple[MessageId, str]],
) -> None:
    french = read(CATALOG_DIR / "fr" / "LC_MESSAGES" / "messages.po", "fr")
    problems = []
    for msgid, (message, where) in sorted(extracted.items()):
        entry = french.get(msgid)
        if entry is None:
            problems.append(f"{where}: {msgid!r} is not in the French catalog")
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(s.strip() for s in strings):
            problems.append(f"{where}: {msgid!r} has no French translation")
        if isinstance(message, tuple) and not isinstance(entry.string, tuple):
            problems.append(f"{where}: {msgid!r} needs plural forms")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders() -> None:
    for language in LANGUAGES:
        catalog = read(CATALOG_DIR / language / "LC_MESSAGES" / "messages.po", language)
        for entry in catalog:
            if not entry.id:
                continue
            wanted = set(PLACEHOLDER.findall(key(entry.id)))
            strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
            for string in strings:
                if string:
                    assert set(PLACEHOLDER.findall(string)) == wanted, (language, entry.id, string)


def test_a_missing_translation_is_detected(tmp_path: Path) -> None:
    """The check above can fail: an untranslated string in a template is reported."""
    template = tmp_path / "new.html"
    template.write_text('{{ _("A brand-new sentence nobody translated.") }}', encoding="utf-8")
    messages = [
        message for _f, _l, message, _c, _x in extract_from_dir(tmp_path, [("**.html", "jinja2")])
    ]
    french = read(CATALOG_DIR / "fr" / "LC_MESSAGES" / "messages.po", "fr")
    assert messages == ["A brand-new sentence nobody translated."]
    assert french.get(messages[0]) is None
