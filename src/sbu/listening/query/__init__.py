"""The topic query language: parse, lint, evaluate, match and search.

- :func:`check` / :func:`compile_query`: text → syntax tree, with every problem found;
- :func:`matches`: the reference meaning of a query on one post;
- :mod:`.matcher`: all active topics compiled into one fast matcher;
- :mod:`.prefilter`: a query as an SQL prefilter for search over history.

The language is documented for users in docs/listening/query-language.md.
"""

from sbu.listening.query.evaluate import evaluate, matches
from sbu.listening.query.lint import Checked, check, compile_query
from sbu.listening.query.nodes import Node
from sbu.listening.query.posts import MatchPost, PostView
from sbu.listening.query.problems import QueryError, QueryProblem

__all__ = [
    "Checked",
    "MatchPost",
    "Node",
    "PostView",
    "QueryError",
    "QueryProblem",
    "check",
    "compile_query",
    "evaluate",
    "matches",
]
