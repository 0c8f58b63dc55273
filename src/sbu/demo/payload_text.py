"""Rich text of the platforms: Mastodon HTML, Bluesky facets, Reddit's markdown HTML.

A post's plain text is written first; these functions find its mentions, hashtags and links and
render them the way each platform delivers them, so the mappers' text extraction is exercised on
realistic markup. Text is always escaped: demo posts, like real ones, are never trusted as HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_LINK = re.compile(r"https?://[^\s<>\"]+[^\s<>\".,;:!?)]")
_TAG = re.compile(r"(?<![\w/#])#(\w+)")
_MASTODON_MENTION = re.compile(r"(?<![\w/@])@([A-Za-z0-9_]+(?:@[A-Za-z0-9.\-]+[A-Za-z0-9])?)")
_BLUESKY_MENTION = re.compile(r"(?<![\w/@])@([a-z0-9][a-z0-9\-]*(?:\.[a-z0-9\-]+)+)")


@dataclass(frozen=True, slots=True)
class Tokens:
    mentions: tuple[str, ...]
    tags: tuple[str, ...]
    links: tuple[str, ...]


def tokens(text: str, platform: str) -> Tokens:
    links = tuple(m.group() for m in _LINK.finditer(text))
    without_links = _LINK.sub(" ", text)
    mention = _BLUESKY_MENTION if platform == "bluesky" else _MASTODON_MENTION
    mentions = tuple(dict.fromkeys(m.group(1) for m in mention.finditer(without_links)))
    tags = tuple(dict.fromkeys(m.group(1) for m in _TAG.finditer(without_links)))
    return Tokens(mentions, tags, links)


def mastodon_html(text: str, home: str) -> str:
    """Mastodon's status HTML: paragraphs, <br />, links, hashtags and h-card mentions."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{_mastodon_inline(p, home)}</p>" for p in paragraphs) or "<p></p>"


def _mastodon_inline(text: str, home: str) -> str:
    out: list[str] = []
    position = 0
    pattern = re.compile(f"{_LINK.pattern}|{_TAG.pattern}|{_MASTODON_MENTION.pattern}")
    for match in pattern.finditer(text):
        out.append(html.escape(text[position : match.start()], quote=False))
        token = match.group()
        if token.startswith("http"):
            scheme, _, rest = token.partition("://")
            out.append(
                f'<a href="{html.escape(token)}" target="_blank" rel="nofollow noopener" '
                f'translate="no"><span class="invisible">{scheme}://</span>'
                f'<span class="">{html.escape(rest, quote=False)}</span>'
                '<span class="invisible"></span></a>'
            )
        elif token.startswith("#"):
            tag = html.escape(token[1:], quote=False)
            out.append(
                f'<a href="https://{home}/tags/{tag.lower()}" class="mention hashtag" '
                f'rel="tag">#<span>{tag}</span></a>'
            )
        else:
            user, _, instance = token[1:].partition("@")
            instance = instance or home
            out.append(
                f'<span class="h-card" translate="no"><a href="https://{instance}/@{user}" '
                f'class="u-url mention">@<span>{html.escape(user, quote=False)}</span></a></span>'
            )
        position = match.end()
    out.append(html.escape(text[position:], quote=False))
    return "".join(out).replace("\n", "<br />")


def bluesky_facets(text: str, did_of: Callable[[str], str]) -> list[dict[str, Any]]:
    """Rich-text facets (byte ranges of the UTF-8 text) for links, mentions and tags."""
    facets: list[dict[str, Any]] = []

    def span(match: re.Match[str]) -> dict[str, int]:
        start = len(text[: match.start()].encode())
        return {"byteStart": start, "byteEnd": start + len(match.group().encode())}

    for match in _LINK.finditer(text):
        facets.append({"index": span(match), "features": [
            {"$type": "app.bsky.richtext.facet#link", "uri": match.group()}]})  # fmt: skip
    masked = _LINK.sub(lambda m: " " * len(m.group()), text)
    for match in _BLUESKY_MENTION.finditer(masked):
        facets.append({"index": span(match), "features": [
            {"$type": "app.bsky.richtext.facet#mention", "did": did_of(match.group(1))}]})  # fmt: skip
    for match in _TAG.finditer(masked):
        facets.append({"index": span(match), "features": [
            {"$type": "app.bsky.richtext.facet#tag", "tag": match.group(1)}]})  # fmt: skip
    facets.sort(key=lambda f: int(f["index"]["byteStart"]))
    return facets


def markdown_html(text: str) -> str:
    """Reddit's rendered markdown: ``<div class="md"><p>…</p></div>``."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    body = "\n\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return f'<!-- SC_OFF --><div class="md">{body}\n</div><!-- SC_ON -->'
