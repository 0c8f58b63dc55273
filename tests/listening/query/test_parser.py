from __future__ import annotations

import pytest

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
from sbu.listening.query.parser import (
    MAX_NEAR_DISTANCE,
    MAX_QUERY_CHARS,
    Kind,
    parse,
    tokenize,
)
from sbu.listening.query.problems import QueryError


def show(node: Node) -> str:
    """The tree as a short S-expression, without spans: (AND a (NOT b))."""
    if isinstance(node, Phrase):
        text = " ".join(word.display() for word in node.words)
        text = f'"{text}"' if len(node.words) > 1 else text
        return text if node.scope is Scope.TEXT else f"{node.scope.value}:{text}"
    if isinstance(node, Field):
        return f"{node.name.value}={node.value}"
    if isinstance(node, Not):
        return f"(NOT {show(node.child)})"
    if isinstance(node, Near):
        left = " | ".join(show(p) for p in node.left)
        right = " | ".join(show(p) for p in node.right)
        return f"(NEAR/{node.distance}{'f' if node.ordered else ''} [{left}] [{right}])"
    name = "AND" if isinstance(node, And) else "OR"
    return f"({name} {' '.join(show(child) for child in node.children)})"


def error(query: str) -> tuple[str, int, int]:
    with pytest.raises(QueryError) as caught:
        parse(query)
    (problem,) = caught.value.problems
    return problem.code, problem.start, problem.end


# --- Tokens ---------------------------------------------------------------------------------


def test_tokens_carry_their_kind_and_position() -> None:
    tokens = tokenize('ondine AND "service client" lang:fr (a) NEAR/3f && ||')
    assert [(t.kind, t.text, t.start, t.end) for t in tokens] == [
        (Kind.TERM, "ondine", 0, 6),
        (Kind.AND, "AND", 7, 10),
        (Kind.PHRASE, "service client", 11, 27),
        (Kind.FIELD, "lang", 28, 33),
        (Kind.TERM, "fr", 33, 35),
        (Kind.LPAREN, "(", 36, 37),
        (Kind.TERM, "a", 37, 38),
        (Kind.RPAREN, ")", 38, 39),
        (Kind.NEAR, "NEAR/3f", 40, 47),
        (Kind.AND, "&&", 48, 50),
        (Kind.OR, "||", 51, 53),
        (Kind.END, "", 53, 53),
    ]
    near = tokens[8]
    assert (near.distance, near.ordered) == (3, True)


def test_typographic_quotes_open_and_close_phrases_at_the_same_positions() -> None:
    for query in ("« service client »", "“service client”", "„service client“"):
        node = parse(query)
        assert show(node) == '"service client"'
        assert isinstance(node, Phrase)
        assert node.span == (0, len(query))


# --- Operators and precedence ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("ondine", "ondine"),
        ("ondine fibre", "(AND ondine fibre)"),
        ("ondine AND fibre", "(AND ondine fibre)"),
        ("ondine && fibre", "(AND ondine fibre)"),
        ("ondine OR fibre", "(OR ondine fibre)"),
        ("ondine || fibre", "(OR ondine fibre)"),
        ("a1 OR b1 c1", "(OR a1 (AND b1 c1))"),
        ("a1 b1 OR c1", "(OR (AND a1 b1) c1)"),
        ("a1 AND b1 OR c1 AND d1", "(OR (AND a1 b1) (AND c1 d1))"),
        ("(a1 OR b1) c1", "(AND (OR a1 b1) c1)"),
        ("a1 OR b1 OR c1", "(OR a1 b1 c1)"),
        ("ondine NOT recrutement", "(AND ondine (NOT recrutement))"),
        ("ondine AND NOT recrutement", "(AND ondine (NOT recrutement))"),
        ("a1 OR b1 NOT c1", "(OR a1 (AND b1 (NOT c1)))"),
        ("NOT a1 b1", "(AND (NOT a1) b1)"),
        ("NOT NOT a1", "(NOT (NOT a1))"),
        ("NOT (a1 OR b1)", "(NOT (OR a1 b1))"),
        ("((ondine))", "ondine"),
        ("a1 NEAR/3 b1 c1", "(AND (NEAR/3 [a1] [b1]) c1)"),
        ("c1 OR a1 NEAR/3 b1", "(OR c1 (NEAR/3 [a1] [b1]))"),
        ("NOT a1 NEAR/3 b1", "(NOT (NEAR/3 [a1] [b1]))"),
    ],
)
def test_and_binds_tighter_than_or_and_a_space_is_and(query: str, tree: str) -> None:
    assert show(parse(query)) == tree


def test_operators_are_operators_only_in_capitals() -> None:
    # In lower case they are words (the linter then refuses and/or/not as stopwords).
    assert show(parse("ondine or fibre")) == "(AND ondine or fibre)"
    assert show(parse("ondine Not fibre")) == "(AND ondine not fibre)"


def test_nodes_carry_the_span_of_their_source() -> None:
    query = 'ondine OR "service client" NOT lang:en'
    node = parse(query)
    assert isinstance(node, Or)
    assert node.span == (0, len(query))
    first, second = node.children
    assert first.span == (0, 6)
    assert isinstance(second, And)
    assert second.span == (10, len(query))
    phrase, excluded = second.children
    assert query[slice(*phrase.span)] == '"service client"'
    assert query[slice(*excluded.span)] == "NOT lang:en"
    assert isinstance(excluded, Not)
    assert query[slice(*excluded.child.span)] == "lang:en"


# --- Terms, phrases and words ---------------------------------------------------------------


def test_terms_are_folded_to_match_form() -> None:
    node = parse("Élysée")
    assert node == Phrase((Word("elysee"),), Scope.TEXT, (0, 6))


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("l'opérateur", ("l", "operateur")),
        ("l’Opérateur", ("l", "operateur")),
        ("e-commerce", ("e", "commerce")),
        ('"Service Client!"', ("service", "client")),
        ('"  service   client  "', ("service", "client")),
        ("5G+", ("5g",)),
        ("ondine🎉", ("ondine", "🎉")),
        ("snake_case", ("snake_case",)),
    ],
)
def test_a_term_is_split_into_words_like_post_text(query: str, words: tuple[str, ...]) -> None:
    node = parse(query)
    assert isinstance(node, Phrase)
    assert tuple(word.text for word in node.words) == words


@pytest.mark.parametrize(
    ("query", "word"),
    [
        ("connect*", Word("connect", prefix=True)),
        ("connect**", Word("connect", prefix=True)),
        ("colo?r", Word("color", optional=(4,))),
        ("?wom?n", Word("womn", optional=(0, 3))),
        ("colo?r*", Word("color", prefix=True, optional=(4,))),
        ("#Fibre", Word("fibre", WordKind.HASHTAG)),
        ("@Ondine", Word("ondine", WordKind.MENTION)),
        ("#fib*", Word("fib", WordKind.HASHTAG, prefix=True)),
        ("#on*", Word("on", WordKind.HASHTAG, prefix=True)),
        ("@ondine@mastodon.social", Word("ondine", WordKind.MENTION)),
    ],
)
def test_wildcards_and_signs_are_parsed_into_the_word(query: str, word: Word) -> None:
    node = parse(query)
    assert isinstance(node, Phrase)
    assert node.words == (word,)


def test_signs_in_a_phrase_belong_to_their_word() -> None:
    node = parse('"#service client @ondine"')
    assert isinstance(node, Phrase)
    assert [w.kind for w in node.words] == [WordKind.HASHTAG, WordKind.WORD, WordKind.MENTION]


# --- Proximity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("fibre NEAR/3 panne", "(NEAR/3 [fibre] [panne])"),
        ("fibre NEAR/0f panne", "(NEAR/0f [fibre] [panne])"),
        (f"a1 NEAR/{MAX_NEAR_DISTANCE} b1", f"(NEAR/{MAX_NEAR_DISTANCE} [a1] [b1])"),
        ('"service client" NEAR/5 (lent OR nul)', '(NEAR/5 ["service client"] [lent | nul])'),
        ("(a1 OR (b1 OR c1)) NEAR/2 d1", "(NEAR/2 [a1 | b1 | c1] [d1])"),
        ("title:(fibre NEAR/2 panne)", "(NEAR/2 [title:fibre] [title:panne])"),
        ("raw:(Orange NEAR/2 fibre)", "(NEAR/2 [raw:Orange] [raw:fibre])"),
    ],
)
def test_near_sides_are_terms_phrases_or_groups_of_alternatives(query: str, tree: str) -> None:
    assert show(parse(query)) == tree


# --- Fields and scopes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "name", "value"),
    [
        ("lang:fr", FieldName.LANG, "fr"),
        ("lang:FR", FieldName.LANG, "fr"),
        ("LANG:fr", FieldName.LANG, "fr"),
        ("lang:pt_BR", FieldName.LANG, "pt-br"),
        ("lang:fr-CA", FieldName.LANG, "fr-ca"),
        ("platform:Mastodon", FieldName.PLATFORM, "mastodon"),
        ("author:@Ondine_Telecom", FieldName.AUTHOR, "ondine_telecom"),
        ("author:bob@mastodon.social", FieldName.AUTHOR, "bob@mastodon.social"),
        ('author:"Ondine  Télécom"', FieldName.AUTHOR, "ondine telecom"),
        ("site:Ondine.fr", FieldName.SITE, "ondine.fr"),
        ("site:www.ondine.fr", FieldName.SITE, "ondine.fr"),
        ("site:https://www.ondine.fr/offres", FieldName.SITE, "ondine.fr"),
        ("site:shop.ondine.co.uk", FieldName.SITE, "shop.ondine.co.uk"),
    ],
)
def test_field_values_are_folded_and_normalised(query: str, name: FieldName, value: str) -> None:
    assert parse(query) == Field(name, value, (0, len(query)))


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("title:Fibre", "title:fibre"),
        ('title:"Fibre optique"', 'title:"fibre optique"'),
        ("title:(fibre OR adsl) panne", "(AND (OR title:fibre title:adsl) panne)"),
        ("raw:Orange", "raw:Orange"),
        ('raw:"Élysée Palace"', 'raw:"Élysée Palace"'),
        ("raw:(Orange NOT orange)", "(AND raw:Orange (NOT raw:orange))"),
    ],
)
def test_title_and_raw_scope_a_term_a_phrase_or_a_group(query: str, tree: str) -> None:
    assert show(parse(query)) == tree


@pytest.mark.parametrize(
    ("query", "spans"),
    [
        # Each node's span, in tree order (parent first): groups include their parentheses.
        ("(a1 OR b1) c1", [(0, 13), (0, 10), (1, 3), (7, 9), (11, 13)]),
        ("NOT (a1 OR b1)", [(0, 14), (4, 14), (5, 7), (11, 13)]),
        ("NOT (a1)", [(0, 8), (5, 7)]),
        ("x1 (a1 NEAR/2 b1)", [(0, 17), (0, 2), (3, 17), (4, 6), (14, 16)]),
        ("title:(a1 b1)", [(0, 13), (7, 9), (10, 12)]),
        ("title:(a1)", [(0, 10)]),
        ("((a1 b1))", [(0, 9), (2, 4), (5, 7)]),
    ],
)
def test_spans_cover_the_whole_source_of_each_node(
    query: str, spans: list[tuple[int, int]]
) -> None:
    def walk(node: Node) -> list[tuple[int, int]]:
        if isinstance(node, Phrase | Field):
            return [node.span]
        if isinstance(node, Not):
            return [node.span, *walk(node.child)]
        if isinstance(node, Near):
            return [node.span, *(p.span for p in (*node.left, *node.right))]
        return [node.span, *(span for child in node.children for span in walk(child))]

    assert walk(parse(query)) == spans


def test_a_scoped_group_spans_from_its_field_name() -> None:
    query = "ondine title:(fibre OR adsl)"
    node = parse(query)
    assert isinstance(node, And)
    assert node.children[1].span[0] == query.index("title:")


# --- Syntax errors and their positions ------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "code", "start", "end"),
    [
        ("", "empty", 0, 1),
        ("   ", "empty", 0, 3),
        ("ondine (fibre", "unclosed_paren", 7, 8),
        ("(ondine OR (fibre)", "unclosed_paren", 0, 1),
        ("ondine fibre)", "unopened_paren", 12, 13),
        ("ondine () fibre", "empty_group", 7, 9),
        ("title:()", "empty_group", 6, 8),
        ('ondine "service client', "unclosed_quote", 7, 8),
        ('ondine ""', "empty_phrase", 7, 9),
        ('ondine " "', "empty_phrase", 7, 10),
        ('title:""', "empty_phrase", 6, 8),
        ("ondine OR", "missing_operand", 7, 9),
        ("OR ondine", "missing_operand", 0, 2),
        ("ondine AND", "missing_operand", 7, 10),
        ("ondine AND OR fibre", "missing_operand", 7, 10),
        ("(ondine OR) fibre", "missing_operand", 8, 10),
        ("ondine NEAR/3", "missing_operand", 7, 13),
        ("NEAR/3 ondine", "missing_operand", 0, 6),
        ("ondine NOT", "missing_not_operand", 7, 10),
        ("ondine NOT)", "missing_not_operand", 7, 10),
        ("ondine NEAR fibre", "near_distance", 7, 11),
        ("ondine NEAR/ fibre", "near_distance", 7, 12),
        (f"ondine NEAR/{MAX_NEAR_DISTANCE + 1} fibre", "near_distance", 7, 15),
        ("ondine NEAR/3F fibre", "near_distance", 7, 14),
        ("ondine NEAR/3 NOT fibre", "near_operand", 14, 17),
        ("(a1 b1) NEAR/3 fibre", "near_operand", 0, 7),
        ("ondine NEAR/3 lang:fr", "near_operand", 14, 21),
        ("ondine NEAR/3 (a1 OR b1 c1)", "near_operand", 14, 27),
        ("(a1 NEAR/2 b1) NEAR/3 c1", "near_operand", 0, 14),
        ("a1 NEAR/3 b1 NEAR/3 c1", "near_chain", 13, 19),
        ("title:fibre NEAR/3 panne", "near_scope", 0, 24),
        ("fibre NEAR/3 raw:Panne", "near_scope", 0, 22),
        ("colour:red", "unknown_field", 0, 7),
        ("ondine http:x", "unknown_field", 7, 12),
        ("https://www.ondine.fr/offres", "link_term", 0, 28),
        ("ondine www.ondine.fr", "link_term", 7, 20),
        ("lang:", "field_value", 0, 5),
        ("ondine lang: fr", "field_value", 7, 12),
        ("title:", "field_value", 0, 6),
        ("author:@", "field_value", 0, 8),
        ("lang:french", "bad_lang", 0, 11),
        ("ondine lang:f", "bad_lang", 7, 13),
        ("platform:!mastodon", "bad_platform", 0, 18),
        ("site:ondine", "bad_site", 0, 11),
        ("title:(raw:Orange)", "nested_scope", 7, 11),
        ("title:raw:Orange", "nested_scope", 6, 10),
        ("raw:title:fibre", "nested_scope", 4, 10),
        ("title:(lang:fr)", "nested_scope", 7, 12),
        ("lang:(fr OR en)", "field_group", 0, 6),
        ("ondine ! fibre", "stray_operator_char", 7, 8),
        ("ondine - fibre", "stray_operator_char", 7, 8),
        ('ondine "!"', "stray_operator_char", 7, 10),
        ("con*nect", "wildcard_position", 0, 8),
        ("*connect", "wildcard_position", 0, 8),
        ("ondine co*", "wildcard_short", 7, 10),
        ("ondine ???", "wildcard_only", 7, 10),
        ("*", "wildcard_only", 0, 1),
        ("ondine near/3 fibre", "lowercase_operator", 7, 13),
        ('"apple juice"~5', "tilde", 13, 15),
        ("ondine~", "tilde", 0, 7),
        ("ondine -recrutement", "minus_sign", 7, 8),
        ("{Apple}", "braces", 0, 7),
        ("ondine {Apple Store}", "braces", 7, 13),
        ('ondine -"offre emploi"', "minus_sign", 7, 8),
        ("x" * (MAX_QUERY_CHARS + 10), "too_long", MAX_QUERY_CHARS, MAX_QUERY_CHARS + 10),
    ],
)
def test_syntax_errors_point_at_their_cause(query: str, code: str, start: int, end: int) -> None:
    assert error(query) == (code, start, end)


def test_a_query_at_the_length_limit_is_accepted() -> None:
    query = " ".join(["ondine"] * (MAX_QUERY_CHARS // 7))
    assert len(query) <= MAX_QUERY_CHARS
    assert isinstance(parse(query), And)


def test_a_syntax_error_names_the_operator_and_the_field() -> None:
    with pytest.raises(QueryError) as caught:
        parse("ondine NEAR/3")
    assert caught.value.problems[0].params["operator"] == "NEAR/3"
    with pytest.raises(QueryError) as caught:
        parse("ondine lang: fr")
    assert caught.value.problems[0].params == {"name": "lang", "example": "lang:fr"}
    with pytest.raises(QueryError) as caught:
        parse("site:https://www.ondine.fr/x OR https://www.ondine.fr/x")
    assert caught.value.problems[0].params == {"domain": "ondine.fr"}


def test_words_that_look_like_other_syntax_are_plain_words() -> None:
    # A minus inside a word, a near without slash, a field name in a phrase: all just words.
    assert show(parse("e-commerce near ondine")) == '(AND "e commerce" near ondine)'
    assert show(parse('"lang:fr"')) == '"lang fr"'
    assert show(parse("ondine, fibre!")) == "(AND ondine fibre)"
