"""The filtered-stream rule of an X source, kept on X under a tag that names the source.

X's filtered stream delivers the posts of every rule of an app. Before a source follows the
stream, :func:`set_rule` makes the source's query (translated by :mod:`sbu.connectors.x_rules`)
the one rule tagged for it: ``GET /2/tweets/search/stream/rules`` lists the rules, stale ones
with the source's tag are deleted and the new one is added with
``POST /2/tweets/search/stream/rules``. A rule X already has under another tag (another source
or program using the same app) is shared as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sbu.connectors.api_client import ApiClient
from sbu.connectors.base import FetchContext
from sbu.connectors.x_cursor import text
from sbu.connectors.x_http import call, problem_detail
from sbu.connectors.x_rules import XQuery
from sbu.core.errors import ConnectorError

RULES = "/2/tweets/search/stream/rules"


def rule_tag(context: FetchContext) -> str:
    """The tag of a source's rule: its id (what sbu looks for) and its name (for people)."""
    return f"sbu source {context.source_id}: {context.source_name}"[:120]


def set_rule(client: ApiClient, rule: XQuery, tag: str) -> tuple[str, list[str]]:
    """Make the source's rule the one rule tagged for it; return its id and notes."""
    body = call(client, "GET", RULES, "list of filtered-stream rules")
    data = body.get("data")
    rules = [r for r in data if isinstance(r, Mapping)] if isinstance(data, list) else []
    prefix = tag.split(":", 1)[0] + ":"
    ours = [r for r in rules if isinstance(r.get("tag"), str) and r["tag"].startswith(prefix)]
    keep = next(
        (
            r
            for r in ours
            if r.get("value") == rule.text and r.get("tag") == tag and text(r.get("id"))
        ),
        None,
    )
    stale = [str(r["id"]) for r in ours if r is not keep and text(r.get("id"))]
    notes: list[str] = []
    if stale:
        answer = call(
            client, "POST", RULES, "deletion of stale rules", json={"delete": {"ids": stale}}
        )
        _rule_errors(answer, "delete the source's previous rule", allow_duplicate=False)
        notes.append(
            f"The filtered-stream rule of this source changed: sbu deleted {len(stale)} "
            f"previous rule(s) tagged {tag!r} and added the new one."
            if keep is None
            else f"sbu deleted {len(stale)} stale rule(s) tagged {tag!r}."
        )
    if keep is not None:
        return str(keep["id"]), notes
    answer = call(
        client,
        "POST",
        RULES,
        "new filtered-stream rule",
        json={"add": [{"value": rule.text, "tag": tag}]},
    )
    created = answer.get("data")
    for entry in created if isinstance(created, list) else []:
        if isinstance(entry, Mapping) and entry.get("value") == rule.text and text(entry.get("id")):
            return str(entry["id"]), notes
    duplicate = _rule_errors(answer, f"add the rule {rule.text!r}", allow_duplicate=True)
    if duplicate is not None:
        notes.append(
            f"X already has the rule {rule.text!r} under another tag (another source or "
            "program using the same app): this source uses it as it is."
        )
        return duplicate, notes
    msg = (
        f"X did not confirm the filtered-stream rule {rule.text!r}: check the app's rules in "
        "the X developer console, then start the stream again."
    )
    raise ConnectorError(msg)


def is_ours(rules: list[Any], rule_id: str | None, tag: str) -> bool:
    """Whether a stream message matched by ``rules`` is for the source's rule."""
    for rule in rules:
        if not isinstance(rule, Mapping):
            continue
        if text(rule.get("id")) == rule_id or rule.get("tag") == tag:
            return True
    return False


def _rule_errors(answer: Mapping[str, Any], action: str, *, allow_duplicate: bool) -> str | None:
    """Raise X's refusal of a rule change as a sentence; the id of the existing rule when X
    refused an addition as a duplicate (and ``allow_duplicate``)."""
    errors = answer.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    for error in errors:
        if not isinstance(error, Mapping):
            continue
        if allow_duplicate and error.get("title") == "DuplicateRule" and text(error.get("id")):
            return str(error["id"])
        details = error.get("details")
        why = (
            "; ".join(d for d in details if isinstance(d, str)) if isinstance(details, list) else ""
        )
        why = why or problem_detail({"errors": [error]})
        msg = (
            f"X refused to {action} ({why[:300] or 'no reason given'}): change the source's "
            "query, or check the app's rules in the X developer console."
        )
        raise ConnectorError(msg)
    return None
