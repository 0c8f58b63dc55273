"""What can be wrong with a query: each problem has a code, a position and a hint.

Messages and hints are English templates keyed by ``code``; the web pages translate the
template (French catalogue) and fill in ``params``, so the same problem reads the same in the
command line, the API and the editor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sbu.core.errors import InvalidInput

#: code -> (message, hint). ``{name}`` placeholders are filled from the problem's params.
TEMPLATES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        "empty": (
            "The query is empty.",
            'Write at least one word or "exact phrase", for example: ondine OR "ondine telecom".',
        ),
        "unclosed_paren": (
            "This parenthesis is never closed.",
            "Add a ) where the group ends, or remove this (.",
        ),
        "unopened_paren": (
            "This parenthesis closes nothing.",
            "Remove this ), or add the ( that starts the group.",
        ),
        "empty_group": (
            "This group is empty: () holds nothing.",
            "Put words inside the parentheses, or remove them.",
        ),
        "unclosed_quote": (
            "This quote is never closed.",
            'Add the closing " after the last word of the phrase.',
        ),
        "empty_phrase": (
            "This phrase is empty.",
            'Put words between the quotes, or remove "".',
        ),
        "missing_operand": (
            "{operator} needs something on both sides.",
            "Add a word, phrase or group on each side of {operator}, or remove it.",
        ),
        "missing_not_operand": (
            "NOT needs something after it.",
            "Write the word, phrase or group to exclude after NOT, for example: ondine NOT recrutement.",
        ),
        "near_distance": (
            "{operator} needs a distance: write NEAR/3 (at most 3 words between) or NEAR/3f (in this order).",
            "Use NEAR/n or NEAR/nf with n from 0 to {max_distance}.",
        ),
        "near_operand": (
            "This side of NEAR is {operand}: NEAR joins words, phrases or a group of alternatives.",
            'Each side of NEAR must be a word, a "phrase" or (a OR b); put AND, NOT and fields outside, for example: (a NEAR/3 b) AND lang:fr.',
        ),
        "near_chain": (
            "NEAR joins two sides; this query chains several.",
            "Join proximity groups with AND: (a NEAR/3 b) AND (b NEAR/3 c).",
        ),
        "near_scope": (
            "Both sides of NEAR must look in the same text; one side uses {scope}:.",
            "Put the field on the whole group instead, for example: title:(a NEAR/3 b).",
        ),
        "unknown_field": (
            "There is no field called {name}:.",
            "Use one of lang:, platform:, author:, site:, title:, raw:, #hashtag or @mention; to find the word, put it in quotes.",
        ),
        "link_term": (
            "A link cannot be searched as a word.",
            "Use site:{domain} to find posts that link to that site.",
        ),
        "field_value": (
            "{name}: needs a value.",
            "Write the value right after the colon, without a space, for example: {example}.",
        ),
        "bad_lang": (
            "{value} is not a language code.",
            "Use a two- or three-letter code such as lang:fr, lang:en or lang:pt-br.",
        ),
        "bad_platform": (
            "{value} is not a platform name.",
            "Use a platform key such as platform:mastodon, platform:bluesky, platform:reddit, platform:youtube or platform:rss.",
        ),
        "bad_site": (
            "{value} is not a site name.",
            "Give a domain such as site:example.com (subdomains match too).",
        ),
        "nested_scope": (
            "{inner}: cannot be used inside {outer}:.",
            "Use one of them for the group.",
        ),
        "field_group": (
            "{name}: takes one value, not a group.",
            "Repeat the field for each value: ({name}:a OR {name}:b).",
        ),
        "stray_operator_char": (
            "{char} has no meaning here.",
            "Remove it: punctuation alone is never searched, and the operators are AND, OR, NOT and NEAR/n, written in capitals.",
        ),
        "tilde": (
            "~ has no meaning in this language: there is no fuzzy matching and no ~ proximity.",
            "For words close to each other use NEAR, for example: fibre NEAR/5 panne; for spelling variants use a wildcard, for example: colo?r or connect*.",
        ),
        "braces": (
            "Curly braces have no meaning in this language.",
            'For a case-sensitive search write raw:Apple or raw:"Apple Store"; otherwise remove the braces.',
        ),
        "minus_sign": (
            "A minus sign does not exclude anything here.",
            "Write NOT before what to exclude, for example: ondine NOT recrutement; to search for the word itself, remove the minus sign.",
        ),
        "wildcard_position": (
            "A * wildcard can only end a word.",
            "Write the beginning of the word followed by *, for example: connect*.",
        ),
        "wildcard_short": (
            "{word} would match too many words: a * wildcard needs at least {min} letters before it.",
            "Write more of the word before the *.",
        ),
        "wildcard_only": (
            "{word} is only wildcards.",
            "Write letters around the wildcard, for example: colo?r.",
        ),
        "stopword": (
            "{word} is a stopword: it is in most posts and would match almost anything.",
            'Remove it, or keep it inside an "exact phrase" with other words.',
        ),
        "lowercase_operator": (
            "{word} in lower case is a word, not an operator: operators are written in capitals.",
            "Write {upper} if you meant the operator; otherwise remove the word.",
        ),
        "not_only": (
            "This query only excludes: it would match every post without {what}.",
            "Add what to look for before NOT, for example: ondine NOT recrutement.",
        ),
        "too_broad": (
            "This query would match most posts: {terms} alone would select a large share of all posts.",
            "Add a distinctive word or phrase with AND: very common words, wildcards with fewer than 4 letters before the * and a language or platform on its own select too many posts.",
        ),
        "too_long": (
            "The query is {length} characters long; the limit is {limit}.",
            "Split it into several topics.",
        ),
    }
)


@dataclass(frozen=True, slots=True)
class QueryProblem:
    code: str
    #: Character offsets in the query: the problem is at query[start:end].
    start: int
    end: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        return TEMPLATES[self.code][0].format(**self.params)

    @property
    def hint(self) -> str:
        return TEMPLATES[self.code][1].format(**self.params)

    def describe(self, query: str) -> str:
        """The problem in one line with its position (columns count from 1)."""
        return f"column {self.start + 1}: {self.message} {self.hint}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "start": self.start,
            "end": self.end,
        }


class QueryError(InvalidInput):
    """A query that cannot be used, with every problem found."""

    def __init__(self, query: str, problems: list[QueryProblem]) -> None:
        self.query = query
        self.problems = problems
        first = problems[0]
        super().__init__(f"The query has a problem at {first.describe(query)}")


def pointer(query: str, problem: QueryProblem) -> str:
    """Two lines: the query and a caret line under the problem (for the command line)."""
    width = max(1, problem.end - problem.start)
    return f"{query}\n{' ' * problem.start}{'^' * width}"
