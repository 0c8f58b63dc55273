"""The problems of a query (sbu.listening.query.problems) in the language of the page.

A :class:`~sbu.listening.query.problems.QueryProblem` carries a code, a position and values;
its message and hint are English templates keyed by the code. Pages show them translated:
:data:`TEMPLATES` repeats every template marked with ``N_`` (so ``pybabel extract`` finds them;
tests/web/test_query_messages.py fails when it no longer matches the query package's list), and
:func:`problem_view` fills the translated template with the problem's values, which are always
pieces of the query itself (never sentences of sbu's). :func:`marked_segments` cuts a query
into the pieces a page underlines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import groupby
from types import MappingProxyType
from typing import Any

from sbu.listening.query import QueryProblem
from sbu.web.messages import N_, Gettext

#: code -> (message, hint), as sbu.listening.query.problems.TEMPLATES, marked for translation.
TEMPLATES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "empty": (
            N_("The query is empty."),
            N_(
                'Write at least one word or "exact phrase", for example: ondine OR "ondine telecom".'
            ),
        ),
        "unclosed_paren": (
            N_("This parenthesis is never closed."),
            N_("Add a ) where the group ends, or remove this (."),
        ),
        "unopened_paren": (
            N_("This parenthesis closes nothing."),
            N_("Remove this ), or add the ( that starts the group."),
        ),
        "empty_group": (
            N_("This group is empty: () holds nothing."),
            N_("Put words inside the parentheses, or remove them."),
        ),
        "unclosed_quote": (
            N_("This quote is never closed."),
            N_('Add the closing " after the last word of the phrase.'),
        ),
        "empty_phrase": (
            N_("This phrase is empty."),
            N_('Put words between the quotes, or remove "".'),
        ),
        "missing_operand": (
            N_("{operator} needs something on both sides."),
            N_("Add a word, phrase or group on each side of {operator}, or remove it."),
        ),
        "missing_not_operand": (
            N_("NOT needs something after it."),
            N_(
                "Write the word, phrase or group to exclude after NOT, for example: ondine NOT "
                "recrutement."
            ),
        ),
        "near_distance": (
            N_(
                "{operator} needs a distance: write NEAR/3 (at most 3 words between) or NEAR/3f "
                "(in this order)."
            ),
            N_("Use NEAR/n or NEAR/nf with n from 0 to {max_distance}."),
        ),
        "near_operand": (
            N_(
                "This side of NEAR is {operand}: NEAR joins words, phrases or a group of "
                "alternatives."
            ),
            N_(
                'Each side of NEAR must be a word, a "phrase" or (a OR b); put AND, NOT and '
                "fields outside, for example: (a NEAR/3 b) AND lang:fr."
            ),
        ),
        "near_chain": (
            N_("NEAR joins two sides; this query chains several."),
            N_("Join proximity groups with AND: (a NEAR/3 b) AND (b NEAR/3 c)."),
        ),
        "near_scope": (
            N_("Both sides of NEAR must look in the same text; one side uses {scope}:."),
            N_("Put the field on the whole group instead, for example: title:(a NEAR/3 b)."),
        ),
        "unknown_field": (
            N_("There is no field called {name}:."),
            N_(
                "Use one of lang:, platform:, author:, site:, title:, raw:, #hashtag or "
                "@mention; to find the word, put it in quotes."
            ),
        ),
        "link_term": (
            N_("A link cannot be searched as a word."),
            N_("Use site:{domain} to find posts that link to that site."),
        ),
        "field_value": (
            N_("{name}: needs a value."),
            N_("Write the value right after the colon, without a space, for example: {example}."),
        ),
        "bad_lang": (
            N_("{value} is not a language code."),
            N_("Use a two- or three-letter code such as lang:fr, lang:en or lang:pt-br."),
        ),
        "bad_platform": (
            N_("{value} is not a platform name."),
            N_(
                "Use a platform key such as platform:mastodon, platform:bluesky, "
                "platform:reddit, platform:youtube or platform:rss."
            ),
        ),
        "bad_site": (
            N_("{value} is not a site name."),
            N_("Give a domain such as site:example.com (subdomains match too)."),
        ),
        "nested_scope": (
            N_("{inner}: cannot be used inside {outer}:."),
            N_("Use one of them for the group."),
        ),
        "field_group": (
            N_("{name}: takes one value, not a group."),
            N_("Repeat the field for each value: ({name}:a OR {name}:b)."),
        ),
        "stray_operator_char": (
            N_("{char} has no meaning here."),
            N_(
                "Remove it: punctuation alone is never searched, and the operators are AND, OR, "
                "NOT and NEAR/n, written in capitals."
            ),
        ),
        "tilde": (
            N_("~ has no meaning in this language: there is no fuzzy matching and no ~ proximity."),
            N_(
                "For words close to each other use NEAR, for example: fibre NEAR/5 panne; for "
                "spelling variants use a wildcard, for example: colo?r or connect*."
            ),
        ),
        "braces": (
            N_("Curly braces have no meaning in this language."),
            N_(
                'For a case-sensitive search write raw:Apple or raw:"Apple Store"; otherwise '
                "remove the braces."
            ),
        ),
        "minus_sign": (
            N_("A minus sign does not exclude anything here."),
            N_(
                "Write NOT before what to exclude, for example: ondine NOT recrutement; to search "
                "for the word itself, remove the minus sign."
            ),
        ),
        "wildcard_position": (
            N_("A * wildcard can only end a word."),
            N_("Write the beginning of the word followed by *, for example: connect*."),
        ),
        "wildcard_short": (
            N_(
                "{word} would match too many words: a * wildcard needs at least {min} letters "
                "before it."
            ),
            N_("Write more of the word before the *."),
        ),
        "wildcard_only": (
            N_("{word} is only wildcards."),
            N_("Write letters around the wildcard, for example: colo?r."),
        ),
        "stopword": (
            N_("{word} is a stopword: it is in most posts and would match almost anything."),
            N_('Remove it, or keep it inside an "exact phrase" with other words.'),
        ),
        "lowercase_operator": (
            N_(
                "{word} in lower case is a word, not an operator: operators are written in "
                "capitals."
            ),
            N_("Write {upper} if you meant the operator; otherwise remove the word."),
        ),
        "not_only": (
            N_("This query only excludes: it would match every post without {what}."),
            N_("Add what to look for before NOT, for example: ondine NOT recrutement."),
        ),
        "too_broad": (
            N_(
                "This query would match most posts: {terms} alone would select a large share of "
                "all posts."
            ),
            N_(
                "Add a distinctive word or phrase with AND: very common words, wildcards with "
                "fewer than 4 letters before the * and a language or platform on its own select "
                "too many posts."
            ),
        ),
        "too_long": (
            N_("The query is {length} characters long; the limit is {limit}."),
            N_("Split it into several topics."),
        ),
    }
)


@dataclass(frozen=True, slots=True)
class ProblemView:
    """A problem as a page shows it: translated sentences and where it is in the query."""

    code: str
    message: str
    hint: str
    #: Offsets in the query (the problem is at query[start:end]).
    start: int
    end: int

    @property
    def column(self) -> int:
        """The column of the first character concerned, from 1."""
        return self.start + 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "start": self.start,
            "end": self.end,
            "column": self.column,
        }


def problem_view(ui: Gettext, problem: QueryProblem) -> ProblemView:
    """``problem`` with its message and hint in the language of ``ui``."""
    message, hint = TEMPLATES.get(problem.code, (None, None))
    if message is None or hint is None:  # a code added to the language but not here yet
        return ProblemView(problem.code, problem.message, problem.hint, problem.start, problem.end)
    params = problem.params  # the query's own words: never translated
    try:
        return ProblemView(
            problem.code,
            ui.gettext(message).format(**params),
            ui.gettext(hint).format(**params),
            problem.start,
            problem.end,
        )
    except (KeyError, IndexError, ValueError):  # a translation with a broken placeholder
        return ProblemView(problem.code, problem.message, problem.hint, problem.start, problem.end)


def problem_views(ui: Gettext, problems: Sequence[QueryProblem]) -> list[ProblemView]:
    return [problem_view(ui, problem) for problem in problems]


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of the query: ``marked`` when a problem concerns it."""

    text: str
    marked: bool


def marked_segments(query: str, problems: Sequence[ProblemView]) -> list[Segment]:
    """The query cut into marked and unmarked pieces (overlapping problems merge; a problem at
    the very end, such as a missing closing parenthesis, marks the last character)."""
    if not query:
        return []
    marks = [False] * len(query)
    for problem in problems:
        start = min(max(problem.start, 0), len(query) - 1)
        end = min(max(problem.end, start + 1), len(query))
        for index in range(start, end):
            marks[index] = True
    segments: list[Segment] = []
    position = 0
    for marked, run in groupby(marks):
        length = len(list(run))
        segments.append(Segment(query[position : position + length], marked))
        position += length
    return segments
