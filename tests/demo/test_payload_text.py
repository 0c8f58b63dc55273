"""Platform rich text: Mastodon HTML, Bluesky facets, Reddit markdown HTML."""

from __future__ import annotations

from sbu.core.text import html_to_text
from sbu.demo.payload_text import bluesky_facets, markdown_html, mastodon_html, tokens

TEXT = "Panne à Rezé 😡 @ondine@social.ondine-telecom.example voir https://ondine-telecom.example/etat #PanneOndine"


def test_tokens_finds_mentions_tags_and_links() -> None:
    found = tokens(TEXT, "mastodon")
    assert found.mentions == ("ondine@social.ondine-telecom.example",)
    assert found.tags == ("PanneOndine",)
    assert found.links == ("https://ondine-telecom.example/etat",)
    assert tokens("écrire à @aide.ondine-telecom.example", "bluesky").mentions == (
        "aide.ondine-telecom.example",
    )


def test_mastodon_html_reads_back_as_the_text_mastodon_shows() -> None:
    markup = mastodon_html(TEXT, "piaille-ouest.example")
    assert 'class="mention hashtag"' in markup
    assert 'class="u-url mention"' in markup
    assert html_to_text(markup) == (
        "Panne à Rezé 😡 @ondine voir https://ondine-telecom.example/etat #PanneOndine"
    )


def test_mastodon_html_escapes_text_it_does_not_trust() -> None:
    markup = mastodon_html("<script>alert(1)</script> & co", "x.example")
    assert "<script>" not in markup
    assert html_to_text(markup) == "<script>alert(1)</script> & co"


def test_bluesky_facets_use_utf8_byte_offsets() -> None:
    facets = bluesky_facets(
        "Déçu 😡 #panne @aide.ondine-telecom.example", lambda h: f"did:plc:{h[:4]}"
    )
    data = "Déçu 😡 #panne @aide.ondine-telecom.example".encode()
    spans = {f["features"][0]["$type"].rsplit("#", 1)[1]: f["index"] for f in facets}
    tag, mention = spans["tag"], spans["mention"]
    assert data[tag["byteStart"] : tag["byteEnd"]].decode() == "#panne"
    assert (
        data[mention["byteStart"] : mention["byteEnd"]].decode() == "@aide.ondine-telecom.example"
    )
    assert facets[1]["features"][0]["did"] == "did:plc:aide"


def test_markdown_html_wraps_escaped_paragraphs() -> None:
    markup = markdown_html("Titre <b>\n\nSuite")
    assert markup.startswith('<!-- SC_OFF --><div class="md"><p>Titre &lt;b&gt;</p>')
    assert html_to_text(markup) == "Titre <b>\n\nSuite"
