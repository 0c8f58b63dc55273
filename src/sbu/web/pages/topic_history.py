"""Listening → Topics → a topic's history: every version, and what changed between two.

Versions are listed newest first with their author, time and change note; each one shows what
it changed from the version before it. Two versions picked in the form (``?a=2&b=5``) are
compared at the top of the page. Diffs are computed here from the versions already read (one
query for the whole page): the fields that differ, with a line diff of the query, the
description and the examples (one example per line, readable rather than JSON).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from sbu.listening.topic_queries import (
    DIFF_FIELDS,
    LINE_FIELDS,
    FieldChange,
    TopicDiff,
    VersionRow,
    line_diff,
    topic_versions,
)
from sbu.web.deps import SessionDep, UiDep
from sbu.web.forms import query_value
from sbu.web.messages import N_
from sbu.web.pages.topic_forms import EXAMPLE_FIELDS, SUBJECT_LABELS
from sbu.web.pages.topics import TopicId, topic_or_404
from sbu.web.templating import render

router = APIRouter(include_in_schema=False)

FIELD_LABELS = {
    "name": N_("Name"),
    "active": N_("Active"),
    "subject_kind": N_("Subject kind"),
    "subject_name": N_("Subject"),
    "department": N_("Department"),
    "query": N_("Query"),
    "description": N_("Description"),
    "examples": N_("Examples"),
}
CHANGE_LABELS = {
    "created": N_("Created"),
    "edited": N_("Edited"),
    "activated": N_("Activated"),
    "deactivated": N_("Deactivated"),
}


def example_line(example: dict[str, Any]) -> str:
    """One example on one line: ``match: text · lang=fr · url=...`` (line breaks as ⏎)."""
    text = " ⏎ ".join(str(example.get("text", "")).splitlines())
    extra = [f"{name}={example[name]}" for name in EXAMPLE_FIELDS if example.get(name)]
    return " · ".join([f"{example.get('expect', '')}: {text}", *extra])


def _value(version: VersionRow, name: str) -> Any:
    return version.department_name if name == "department" else getattr(version, name)


def _text(name: str, value: Any) -> str:
    if name == "examples":
        return "\n".join(example_line(example) for example in value)
    return str(value)


def diff_versions(old: VersionRow, new: VersionRow) -> TopicDiff:
    """What changed from ``old`` to ``new`` (the fields that differ, in DIFF_FIELDS order)."""
    changes = []
    for name in DIFF_FIELDS:
        before, after = _value(old, name), _value(new, name)
        if before == after:
            continue
        lines = line_diff(_text(name, before), _text(name, after)) if name in LINE_FIELDS else None
        changes.append(FieldChange(name, before, after, lines))
    return TopicDiff(new.topic_id, old, new, changes)


def _version_number(value: str, known: set[int]) -> int | None:
    number = int(value) if value.isdigit() and len(value) < 10 else None
    return number if number in known else None


def chosen_pair(versions: Sequence[VersionRow], a: str, b: str) -> tuple[int, int] | None:
    """The two versions to compare: those asked for (older first), else the newest and the one
    before it; None when there is only one version."""
    known = {version.version for version in versions}
    first, second = _version_number(a, known), _version_number(b, known)
    if first is not None and second is not None and first != second:
        return (min(first, second), max(first, second))
    if len(versions) < 2:
        return None
    return (versions[1].version, versions[0].version)


@router.get("/listening/topics/{topic_id}/history", response_class=HTMLResponse)
def history_page(request: Request, session: SessionDep, ui: UiDep, topic_id: TopicId) -> Response:
    row = topic_or_404(session, ui, topic_id)
    versions = topic_versions(session, topic_id)
    by_number = {version.version: version for version in versions}
    a, b = (query_value(request.query_params, name, 12) for name in ("a", "b"))
    pair = chosen_pair(versions, a, b)
    compared = diff_versions(by_number[pair[0]], by_number[pair[1]]) if pair else None
    # Each version against the one before it (the oldest has nothing to compare with).
    steps = {newer.version: diff_versions(older, newer) for newer, older in pairwise(versions)}
    context = {
        "topic": row.topic,
        "versions": versions,
        "compared": compared,
        "pair": pair,
        "steps": steps,
        "field_labels": FIELD_LABELS,
        "change_labels": CHANGE_LABELS,
        "subject_labels": SUBJECT_LABELS,
    }
    return render(request, ui, "listening/topic_history.html", context, section="listening")
