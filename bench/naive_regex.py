"""The naive way to match topics, for bench/match.py: one regular expression per topic.

This is what a team without a compiled matcher would write: normalise each post once, then run
every topic's regular expression on it, one topic after the other. Each query becomes a single
pattern of zero-width assertions tried at the start of a *document* that holds the post's words
in every scope and its fields::

    " text words \\x03 title words \\x04 raw words \\x05\\x01lang=fr\\x01platform=mastodon\\x01..."

- a phrase is its words separated by single spaces, each word between spaces (word boundaries
  of the match text), looked for in its scope's section: ``(?=[^\\x03]*? fibre optique )``;
- a plain word first in its phrase also matches its hashtag or @mention (``[#@]?``), ``word*``
  is ``word[^ ]*`` and each ``?`` is ``[^ ]?``;
- AND is a sequence of assertions, OR an alternation of them, NOT a negative lookahead;
- ``a NEAR/n b`` is ``a (?:[^ ]+ ){0,n}b``, and the other order unless ``NEAR/nf``;
- ``lang:``, ``platform:``, ``author:`` and ``site:`` look at the fields section.

The rules are those of the reference evaluator (``sbu.listening.query.evaluate``); the benchmark
prints how many posts both agree on, and tests/bench/test_naive_regex.py checks it on examples.
"""

from __future__ import annotations

import re

from sbu.listening.query.nodes import (
    And,
    Field,
    FieldName,
    Near,
    Node,
    Not,
    Or,
    Phrase,
    Scope,
    Word,
    WordKind,
)
from sbu.listening.query.posts import MatchPost, PostView

#: What comes before the section of each scope (the text section starts the document).
_BEFORE = {Scope.TEXT: "", Scope.TITLE: "[^\x03]*\x03", Scope.RAW: "[^\x04]*\x04"}
#: The character that ends the section of each scope.
_END = {Scope.TEXT: "\x03", Scope.TITLE: "\x04", Scope.RAW: "\x05"}
_SIGN = {WordKind.HASHTAG: "#", WordKind.MENTION: "@"}


def document(post: MatchPost, text: str | None = None) -> str:
    """The string every topic's pattern runs on; ``text`` is the post's match text when the
    caller already has it."""
    view = PostView(post, text)
    fields = [f"lang={view.lang}", f"platform={view.platform}"]
    fields += [f"author={name}" for name in sorted(view.authors)]
    fields += [f"site={site}" for site in sorted(view.sites)]
    return (
        f" {' '.join(view.words)} \x03 {' '.join(view.title_words)} "
        f"\x04 {' '.join(view.raw_words)} \x05\x01{chr(1).join(fields)}\x01"
    )


def _word(word: Word, *, first: bool) -> str:
    chars: list[str] = []
    for index, char in enumerate(word.text):
        if index in word.optional:
            chars.append("[^ ]?")
        chars.append(re.escape(char))
    if len(word.text) in word.optional:
        chars.append("[^ ]?")
    core = "".join(chars) + ("[^ ]*" if word.prefix else "")
    if word.kind is WordKind.WORD:
        return f"[#@]?{core}" if first else core
    return re.escape(_SIGN[word.kind]) + core


def _phrase(phrase: Phrase) -> str:
    return " ".join(_word(word, first=index == 0) for index, word in enumerate(phrase.words))


def _in_scope(scope: Scope, body: str) -> str:
    """An assertion: ``body`` (which starts and ends between words) is in the scope's section."""
    end = _END[scope]
    return f"(?={_BEFORE[scope]}[^{end}]*? {body} )"


def _field(node: Field) -> str:
    value = re.escape(node.value)
    if node.name is FieldName.LANG:
        pattern = f"lang={value}(?:-[^\x01]*)?"
    elif node.name is FieldName.PLATFORM:
        pattern = f"platform={value}"
    elif node.name is FieldName.AUTHOR:
        pattern = f"author={value}"
    else:
        pattern = f"site=(?:[^\x01]*\\.)?{value}"
    return f"(?=[^\x05]*\x05[^\x00]*\x01{pattern}\x01)"


def _near(node: Near) -> str:
    left = "|".join(_phrase(p) for p in node.left)
    right = "|".join(_phrase(p) for p in node.right)
    end = _END[node.left[0].scope]
    gap = f"(?:[^ {end}]+ ){{0,{node.distance}}}"
    body = f"(?:(?:{left}) {gap}(?:{right})"
    if not node.ordered:
        body += f"|(?:{right}) {gap}(?:{left})"
    return _in_scope(node.left[0].scope, body + ")")


def pattern_of(node: Node) -> str:
    """The query as a sequence of assertions, to try at the start of :func:`document`."""
    if isinstance(node, Phrase):
        return _in_scope(node.scope, _phrase(node))
    if isinstance(node, Field):
        return _field(node)
    if isinstance(node, And):
        return "".join(pattern_of(child) for child in node.children)
    if isinstance(node, Or):
        return "(?:" + "|".join(pattern_of(child) for child in node.children) + ")"
    if isinstance(node, Not):
        return f"(?!{pattern_of(node.child)})"
    return _near(node)


def compile_topic(node: Node) -> re.Pattern[str]:
    return re.compile(pattern_of(node), re.DOTALL)


def matches(pattern: re.Pattern[str], doc: str) -> bool:
    return pattern.match(doc) is not None
