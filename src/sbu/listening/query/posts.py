"""What a query is evaluated against: a post's words, title words and attributes.

:class:`MatchPost` is the input (a stored mention, a line of ``sbu query match``, a topic
example); :class:`PostView` is the same post read once for evaluation: its words in match form
(:mod:`.normalize`), lazily its raw words, and its folded attributes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlsplit

from sbu.core.text import fold
from sbu.listening.query.normalize import links, match_text

_HOST = re.compile(r"[\w.\-]*")


@dataclass(frozen=True, slots=True)
class MatchPost:
    id: str
    text: str
    title: str | None = None
    lang: str | None = None
    platform: str | None = None
    #: The author's handle (``ondine_telecom``, ``@bob@mastodon.social``).
    author: str | None = None
    author_name: str | None = None
    url: str | None = None
    hashtags: tuple[str, ...] = ()


def body_of(post: MatchPost) -> str:
    """The text words are looked for in: title, then text, then hashtags given apart."""
    body = f"{post.title}\n{post.text}" if post.title else post.text
    if post.hashtags:
        body += "\n" + " ".join(f"#{tag.lstrip('#')}" for tag in post.hashtags)
    return body


def site_of(url: str) -> str | None:
    """The domain of a link, without ``www.`` and without the punctuation that may follow a
    link written in text (``(https://example.com).`` is ``example.com``)."""
    try:
        host = urlsplit(url if "//" in url else f"//{url}").hostname
    except ValueError:
        return None
    found = _HOST.match(host or "")
    host = found.group().strip(".-") if found else ""
    return host.removeprefix("www.") or None


@dataclass
class PostView:
    post: MatchPost
    #: The folded match text of title + text (see body_of); computed by the caller in batches.
    text: str | None = None
    _fields: dict[str, object] = field(default_factory=dict)

    @cached_property
    def words(self) -> list[str]:
        text = self.text if self.text is not None else match_text(body_of(self.post))
        return text.split(" ") if text else []

    @cached_property
    def raw_words(self) -> list[str]:
        text = match_text(body_of(self.post), folded=False)
        return text.split(" ") if text else []

    @cached_property
    def title_words(self) -> list[str]:
        text = match_text(self.post.title) if self.post.title else ""
        return text.split(" ") if text else []

    @cached_property
    def lang(self) -> str:
        return fold(self.post.lang or "").replace("_", "-")

    @cached_property
    def platform(self) -> str:
        return fold(self.post.platform or "")

    @cached_property
    def authors(self) -> frozenset[str]:
        """The handle without @ and instance, the full handle, and the display name, folded."""
        names: set[str] = set()
        if self.post.author:
            handle = fold(self.post.author).lstrip("@")
            names.add(handle)
            names.add(handle.split("@", 1)[0])
        if self.post.author_name:
            names.add(" ".join(fold(self.post.author_name).split()))
        return frozenset(n for n in names if n)

    @cached_property
    def sites(self) -> frozenset[str]:
        """Domains of the post's URL and of the links in its text."""
        urls = [self.post.url] if self.post.url else []
        urls.extend(links(self.post.text))
        return frozenset(site for url in urls if (site := site_of(fold(url))))
