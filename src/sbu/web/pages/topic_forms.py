"""The topic form: its fields, the examples' rows, the subject names and the services' sentences.

The form sends every field as text; the examples come as parallel lists, one value per row
(``ex_text``, ``ex_expect``, ``ex_title``...), in the order of the rows. A row whose text is
empty is left out (that is how a row is removed without JavaScript). :func:`examples_from`
turns the rows into the services' examples; :func:`values_from` keeps exactly what was typed
for the page shown again after an error. :func:`translate_error` puts the sentences of
sbu.listening.topics and sbu.listening.topic_tests in the page's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import Annotated, Any

from fastapi import Form
from pydantic import BaseModel, Field

from sbu.listening.topic_models import Topic
from sbu.listening.topic_tests import MATCH, ExampleResult
from sbu.web.forms import FormError, Gettext, checked, optional_id
from sbu.web.messages import N_, translate

#: Names of the subject kinds (sbu.listening.topics.SUBJECT_KINDS), in the order menus list them.
SUBJECT_LABELS = MappingProxyType(
    {
        "own_brand": N_("Own brand"),
        "competitor": N_("Competitor"),
        "partner": N_("Partner"),
        "supplier": N_("Supplier"),
        "influencer": N_("Influencer"),
        "theme": N_("Theme"),
    }
)
#: The optional fields of an example row (sbu.listening.topic_tests.OPTIONAL_FIELDS).
EXAMPLE_FIELDS = ("title", "lang", "platform", "author", "url", "note")
#: Empty rows shown below the examples, to add some without JavaScript.
BLANK_ROWS = 2
ACTIONS = frozenset({"save", "test", "preview"})
#: Generous bounds: the services say in a sentence what is too long; these only stop abuse.
LONG = 40_000
Cells = list[Annotated[str, Field(max_length=LONG)]]


class TopicForm(BaseModel):
    """The fields of the topic form, as text (checked by the services)."""

    name: str = Field(default="", max_length=1000)
    subject_kind: str = Field(default="", max_length=40)
    subject_name: str = Field(default="", max_length=1000)
    department_id: str = Field(default="", max_length=20)
    description: str = Field(default="", max_length=LONG)
    query: str = Field(default="", max_length=LONG)
    note: str = Field(default="", max_length=LONG)
    active: str | None = Field(default=None, max_length=10)
    action: str = Field(default="save", max_length=20)
    ex_text: Cells = Field(default_factory=list, max_length=500)
    ex_expect: Cells = Field(default_factory=list, max_length=500)
    ex_title: Cells = Field(default_factory=list, max_length=500)
    ex_lang: Cells = Field(default_factory=list, max_length=500)
    ex_platform: Cells = Field(default_factory=list, max_length=500)
    ex_author: Cells = Field(default_factory=list, max_length=500)
    ex_url: Cells = Field(default_factory=list, max_length=500)
    ex_note: Cells = Field(default_factory=list, max_length=500)


TopicFormDep = Annotated[TopicForm, Form()]


def blank_example() -> dict[str, str]:
    return {"text": "", "expect": MATCH, **dict.fromkeys(EXAMPLE_FIELDS, "")}


def example_rows(ui: Gettext, form: TopicForm) -> list[dict[str, str]]:
    """The rows as typed, blank ones left out; FormError when the lists do not line up."""
    count = len(form.ex_text)
    columns = {name: getattr(form, f"ex_{name}") for name in ("expect", *EXAMPLE_FIELDS)}
    if any(len(values) not in (0, count) for values in columns.values()):
        raise FormError(
            ui.gettext(
                "The examples of this form cannot be read: reload the page and enter them again."
            )
        )
    rows = []
    for index, text in enumerate(form.ex_text):
        if not text.strip():
            continue
        row = {"text": text}
        for name, values in columns.items():
            row[name] = values[index] if values else ""
        row["expect"] = row["expect"].strip() or MATCH
        rows.append(row)
    return rows


def examples_from(rows: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
    """The services' examples from the rows (an unknown expectation is left for them to refuse;
    empty optional fields are left out)."""
    examples = []
    for row in rows:
        example: dict[str, Any] = {"text": row["text"], "expect": row["expect"]}
        for name in EXAMPLE_FIELDS:
            value = row.get(name, "").strip()
            if value:
                example[name] = value
        examples.append(example)
    return examples


def fields_from(ui: Gettext, form: TopicForm, rows: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """The services' fields from the form, or FormError with a sentence."""
    department_id = optional_id(form.department_id)
    if department_id is None:
        raise FormError(ui.gettext("Choose the department that owns the topic."))
    return {
        "name": form.name,
        "query": form.query,
        "subject_kind": form.subject_kind,
        "subject_name": form.subject_name,
        "department_id": department_id,
        "description": form.description,
        "examples": examples_from(rows),
    }


def values_of(topic: Topic | None, department_id: int | None = None) -> dict[str, Any]:
    """What the form shows: a topic's values, or the defaults of a new one."""
    if topic is None:
        return {
            "name": "", "subject_kind": "own_brand", "subject_name": "",
            "department_id": str(department_id or ""), "description": "", "query": "",
            "note": "", "active": True, "examples": [],
        }  # fmt: skip
    examples = [
        {**blank_example(), **{k: str(v) for k, v in example.items() if v is not None}}
        for example in topic.examples
    ]
    return {
        "name": topic.name, "subject_kind": topic.subject_kind,
        "subject_name": topic.subject_name, "department_id": str(topic.department_id),
        "description": topic.description, "query": topic.query, "note": "",
        "active": topic.active, "examples": examples,
    }  # fmt: skip


def values_from(form: TopicForm, rows: Sequence[Mapping[str, str]] | None) -> dict[str, Any]:
    """What the form shows again after an error or a preview: exactly what was typed."""
    values: dict[str, Any] = form.model_dump(exclude={"active", "action"})
    values = {name: value for name, value in values.items() if not name.startswith("ex_")}
    values["active"] = checked(form.active)
    values["examples"] = [{**blank_example(), **row} for row in rows or []]
    return values


def with_blank_rows(examples: Sequence[Mapping[str, str]]) -> list[Mapping[str, str]]:
    return [*examples, *(blank_example() for _ in range(BLANK_ROWS))]


def result_reason(ui: Gettext, result: ExampleResult) -> str:
    """Why an example fails (or that it passes), in the page's language."""
    if result.passed:
        return ui.gettext("Passes.")
    if result.expected:
        return ui.gettext("It should match the query but does not.")
    return ui.gettext("It matches the query but should not.")


# -- the services' sentences ----------------------------------------------------------------

EXACT: frozenset[str] = frozenset(
    {
        N_(
            "Your role does not allow changing topics: ask an analyst, an SBU lead or an "
            "administrator."
        ),
        N_("A topic needs a name of 1 to 100 characters."),
        N_('The examples must be a list of {"text": ..., "expect": "match" or "no_match"}.'),
    }
)

#: (pattern of the English sentence, msgid with the same named values).
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), msgid)
    for pattern, msgid in (
        (
            r"^A topic called (?P<name>.+) already exists: choose another name or edit that one\.$",
            N_("A topic called %(name)s already exists: choose another name or edit that one."),
        ),
        (
            r"^Name the actor the topic is about, in 1 to (?P<count>\d+) characters\.$",
            N_("Name the actor the topic is about, in 1 to %(count)s characters."),
        ),
        (
            r"^Name the theme the topic is about, in 1 to (?P<count>\d+) characters\.$",
            N_("Name the theme the topic is about, in 1 to %(count)s characters."),
        ),
        (
            r"^The subject kind (?P<kind>.+) is unknown: use one of .+\.$",
            N_("The subject kind %(kind)s is unknown: choose one in the list."),
        ),
        (
            r"^The description is longer than (?P<count>[\d,]+) characters: shorten it\.$",
            N_("The description is longer than %(count)s characters: shorten it."),
        ),
        (
            r"^The change note is longer than (?P<count>[\d,]+) characters: shorten it\.$",
            N_("The change note is longer than %(count)s characters: shorten it."),
        ),
        (
            r"^There is no department (?P<id>\d+) to own the topic: pick an existing one\.$",
            N_("There is no department %(id)s to own the topic: pick an existing one."),
        ),
        (
            r"^The topic (?P<name>.+) is inactive: activate it \(which re-matches history\)\.$",
            N_("The topic %(name)s is inactive: activate it (which re-matches history)."),
        ),
        (
            r"^A topic has at most (?P<limit>\d+) examples; this one has (?P<count>\d+): .*$",
            N_(
                "A topic has at most %(limit)s examples; this one has %(count)s: keep the telling ones."
            ),
        ),
        (
            r"^Example (?P<n>\d+) must say \"expect\": .*$",
            N_("Example %(n)s must say whether the query must match it or not."),
        ),
        (
            r"^The text of example (?P<n>\d+) is longer than (?P<count>[\d,]+) characters: shorten it\.$",
            N_("The text of example %(n)s is longer than %(count)s characters: shorten it."),
        ),
        (
            r"^The (?P<field>\w+) of example (?P<n>\d+) is longer than (?P<count>[\d,]+) characters\.$",
            N_("The %(field)s of example %(n)s is longer than %(count)s characters."),
        ),
    )
)


def translate_error(ui: Gettext, message: str) -> str:
    """A sentence of the topic services in the language of ``ui`` (else sbu.web.messages')."""
    if message in EXACT:
        return ui.gettext(message)
    for pattern, msgid in PATTERNS:
        match = pattern.match(message)
        if match:
            translated = ui.gettext(msgid)
            return message if translated == msgid else translated % match.groupdict()
    return translate(ui, message)
