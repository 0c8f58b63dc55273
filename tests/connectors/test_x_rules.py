"""sbu's query language translated into X's query and rule syntax, and what X cannot express."""

from __future__ import annotations

import pytest

from sbu.connectors.x_rules import MAX_CHARS, XQueryRefused, translate


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ondine", "ondine"),
        ("ondine fibre", "ondine fibre"),
        ("ondine AND fibre", "ondine fibre"),
        ("ondine OR telecom", "ondine OR telecom"),
        ('"service client" ondine', '"service client" ondine'),
        ("\u201cservice client\u201d ondine", '"service client" ondine'),
        ("e-commerce ondine", '"e commerce" ondine'),
        ("ondine NOT recrutement", "ondine -recrutement"),
        ("ondine NOT (recrutement OR emploi)", "ondine -recrutement -emploi"),
        ("ondine NOT NOT panne", "ondine panne"),
        ("(ondine OR telecom) (panne OR coupure)", "(ondine OR telecom) (panne OR coupure)"),
        ("(ondine fibre) OR (telecom panne)", "(ondine fibre) OR (telecom panne)"),
        ("ondine (fibre OR (adsl OR cuivre))", "ondine (fibre OR adsl OR cuivre)"),
        ("#FibreOptique ondine", "#fibreoptique ondine"),
        ("@TelecomOuest panne", "@telecomouest panne"),
        ("@gwen@piaille.example panne", "@gwen panne"),
        ("ondine lang:fr", "ondine lang:fr"),
        ("ondine NOT lang:en", "ondine -lang:en"),
        ("ondine lang:he", "ondine lang:iw"),
        ("ondine lang:id", "ondine lang:in"),
        ("panne author:@Ondine_Telecom", "panne from:ondine_telecom"),
        ("panne NOT author:bob", "panne -from:bob"),
        ("ondine 📶", 'ondine "📶"'),
        ("Ondine Télécom", "ondine télécom"),
    ],
)
def test_search_translations(query: str, expected: str) -> None:
    translated = translate(query, "search")
    assert translated.text == expected
    assert translated.target == "search"
    assert translated.notes == ()


def test_accented_words_are_sent_as_written_to_the_search_and_in_both_forms_to_the_stream() -> None:
    assert translate("télécom panne", "search").text == "télécom panne"
    assert translate("télécom panne", "stream").text == "(télécom OR telecom) panne"
    assert translate('"coupure générale" ondine', "stream").text == (
        '("coupure générale" OR "coupure generale") ondine'
    )
    # excluded, both forms are excluded
    assert translate("ondine NOT télécom", "stream").text == "ondine -télécom -telecom"
    # an unaccented word has one form
    assert translate("ondine panne", "stream").text == "ondine panne"


def test_an_accented_hashtag_is_sent_in_both_forms_even_to_the_search() -> None:
    # hashtags are matched exactly by X, not like keywords
    assert translate("#Télécom ondine", "search").text == "(#télécom OR #telecom) ondine"


def test_near_becomes_and_with_a_note() -> None:
    translated = translate("fibre NEAR/3 (panne OR coupure)", "search")
    assert translated.text == "fibre (panne OR coupure)"
    (note,) = translated.notes
    assert note.startswith("X has no NEAR/3: fibre NEAR/3 (panne OR coupure) is sent to X as")
    assert "bills" in note
    assert translate("fibre NEAR/2f panne", "search").notes[0].startswith("X has no NEAR/2f")


def test_raw_loses_its_case_with_a_note() -> None:
    translated = translate("raw:Orange ondine", "search")
    assert translated.text == "Orange ondine"
    (note,) = translated.notes
    assert note.startswith("X ignores case: raw:Orange is sent to X as Orange")


def test_the_same_note_is_given_once() -> None:
    translated = translate("(fibre NEAR/3 panne) OR (fibre NEAR/3 panne ondine)", "search")
    assert len(translated.notes) == 2  # two different NEARs
    translated = translate("raw:Orange OR (raw:Orange ondine)", "search")
    assert len(translated.notes) == 1


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("connect* ondine", "has a wildcard (connect*), and X's search has none"),
        ("colo?r ondine", "has a wildcard (colo?r)"),
        ("title:panne ondine", "posts on X have none: remove title:"),
        ("ondine site:ondine.fr", "remove site: from the source's query"),
        ("ondine platform:mastodon", "an X source only reads X: remove platform:"),
        ("ondine lang:pt-br", "write lang:pt"),
        ('ondine author:"ondine telecom"', "is not an X username"),
        ("ondine author:a_name_much_too_long", "is not an X username"),
        ("ondine NOT (panne fibre)", "X does not accept a negated group"),
        ("ondine (fibre OR NOT panne)", "an alternative only excludes (-panne): X refuses OR NOT"),
        ("ondine NOT raw:Orange", "X ignores case: it would exclude every post"),
        ("ondine NOT (fibre NEAR/2 panne)", "X has no NEAR"),
        ("ondine NOT ((fibre NEAR/2 panne) OR cuivre)", "X has no NEAR"),
    ],
)
def test_what_x_cannot_express_is_refused_with_a_sentence(query: str, words: str) -> None:
    with pytest.raises(XQueryRefused) as caught:
        translate(query, "search")
    message = str(caught.value)
    assert words in message
    assert message.startswith(f"In the query {query!r}, ")
    assert message.endswith(".")


def test_a_query_sbu_refuses_is_refused_with_sbu_s_own_sentence() -> None:
    with pytest.raises(XQueryRefused, match=r"column 8: .*stopword.*Fix the source's query"):
        translate("ondine the", "search")
    with pytest.raises(XQueryRefused, match="This query would match most posts"):
        translate("merci", "search")


def test_lang_alone_is_refused() -> None:
    # sbu's linter already refuses "lang:fr" alone; an author with a language is fine
    with pytest.raises(XQueryRefused, match="match most posts"):
        translate("lang:fr", "search")
    assert translate("author:ondine lang:fr", "search").text == "from:ondine lang:fr"


def _long_query(alternatives: int) -> str:
    return " OR ".join(f"panne{n:03d}" for n in range(alternatives)) + " ondine"


def test_the_search_limit_is_512_characters_and_the_stream_limit_1024() -> None:
    assert MAX_CHARS == {"search": 512, "stream": 1024}
    query = _long_query(60)  # about 660 characters once translated
    with pytest.raises(XQueryRefused, match=r"X accepts at most 512 in a recent search"):
        translate(query, "search")
    assert 512 < len(translate(query, "stream").text) <= 1024
    assert len(translate(query, "search", max_chars=4096).text) > 512
    with pytest.raises(XQueryRefused, match=r"at most 1,024 in a filtered-stream rule"):
        translate(_long_query(120), "stream")


def test_a_query_just_within_the_limit_passes() -> None:
    text = translate(_long_query(40), "search").text
    assert translate(_long_query(40), "search", max_chars=len(text)).text == text
    with pytest.raises(XQueryRefused):
        translate(_long_query(40), "search", max_chars=len(text) - 1)
