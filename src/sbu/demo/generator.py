"""The generator: planned posts → raw items (platform payload + scenario truth).

:class:`Generator` ties the planner, the writer and the payload shaper of one scenario together.
Each raw item carries, beside its payload, the scenario truth in ``annotations["scenario"]``: the
storyline, intended sentiment, intent and department, the actors, who wrote it, and for
intentional copies and reposts which post they copy. The ingest service stores it in
``Mention.annotations`` (docs/demo.md lists the fields and their values).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sbu.demo.authors import Authors
from sbu.demo.payloads import Shaper
from sbu.demo.plan import Event, Planner
from sbu.demo.scenario import Scenario
from sbu.demo.writer import Writer
from sbu.listening.drafts import RawItem

TRUTH_VERSION = 1


class Generator:
    """Raw items of one scenario, any time window, any platform."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.authors = Authors(scenario.seed)
        self.planner = Planner(scenario, self.authors)
        self.writer = Writer(scenario.seed)
        self.shaper = Shaper(scenario.seed)

    def items(self, platform: str, start: datetime, end: datetime) -> list[RawItem]:
        return [self.item(e) for e in self.planner.events(start, end, platform)]

    def item(self, event: Event) -> RawItem:
        return RawItem(
            mapper=event.platform,
            payload=self.payload(event),
            locator=f"demo post {event.key} ({event.platform})",
            annotations={"scenario": self.truth(event)},
        )

    def payload(self, event: Event) -> dict[str, Any]:
        written = self.writer.write(event)
        shaper = self.shaper
        platform = event.platform
        if platform == "mastodon":
            original = None
            if event.copy_kind == "repost" and event.copy_of is not None:
                original = shaper.mastodon(event.copy_of, self.writer.write(event.copy_of).text)
            return shaper.mastodon(event, written.text, original)
        if platform == "bluesky":
            return shaper.bluesky(event, written.text)
        if platform == "reddit":
            original = None
            if event.copy_kind == "crosspost" and event.copy_of is not None:
                source = self.writer.write(event.copy_of)
                original = shaper.reddit(event.copy_of, source.text, source.title)
            title = written.title
            if event.parent is not None:
                title = self.writer.write(event.thread_root).title
            return shaper.reddit(event, written.text, title, original)
        if platform == "youtube":
            return shaper.youtube(event, written.text, written.title)
        return shaper.rss(event, written.text, written.title)

    def truth(self, event: Event) -> dict[str, Any]:
        kind = event.spec
        actors = (
            sorted({event.actor, *kind.also} - {""})
            if not kind.key.startswith("reply.")
            else ([event.actor] if event.actor else [])
        )
        live_since = self.scenario.live_since
        copy_of = event.copy_of
        return {
            "version": TRUTH_VERSION,
            "seed": self.scenario.seed,
            "storyline": event.storyline,
            "kind": event.kind,
            "phase": event.phase,
            "sentiment": kind.sentiment,
            "intent": kind.intent,
            "department": kind.department,
            "actor": event.actor or None,
            "actors": actors,
            "author_role": event.author.role,
            "language": event.lang,
            "day": int((event.at - self.scenario.start) // timedelta(days=1)),
            "live": live_since is not None and event.at >= live_since,
            "thread": "reply" if event.parent is not None else "start",
            "viral": event.viral,
            "copy_kind": self.writer.write(event).copy_kind if copy_of is not None else None,
            "copy_of": (
                {"platform": copy_of.platform, "external_id": self.shaper.external_id(copy_of)}
                if copy_of is not None
                else None
            ),
        }
