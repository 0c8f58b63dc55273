"""The demo connector: a polling connector whose "platform" is the demo scenario.

A demo source is configured with a platform (mastodon, bluesky, reddit, rss or youtube) and the
scenario (seed, first day, length, approximate number of posts, live mode). ``fetch`` returns the
posts created between the cursor's time and ``context.now``, as raw items in that platform's
real payload format, so they go through the platform's real mapper and the real ingest path.
The posts of a time slot depend only on the scenario, so fetching a window again gives the same
posts with the same ids (ingest stores each once).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from threading import Lock
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from sbu.connectors.base import Capability, FetchContext, FetchResult
from sbu.core.errors import ConfigError
from sbu.demo.generator import Generator
from sbu.demo.scenario import Scenario
from sbu.listening.drafts import RawItem
from sbu.settings import DemoSettings

Platform = Literal["mastodon", "bluesky", "reddit", "rss", "youtube"]
PLATFORMS: tuple[Platform, ...] = ("mastodon", "bluesky", "reddit", "rss", "youtube")
#: A fetch returns at most about this many items and says ``more`` (the poller pages on).
PAGE_ITEMS = 5000
_CHUNK = timedelta(hours=6)
_GENERATORS = 8


class DemoSourceConfig(BaseModel):
    """Configuration of a demo source (``sbu demo`` creates one per platform)."""

    model_config = ConfigDict(extra="forbid")

    platform: Platform = Field(default="mastodon", description="Which platform's posts to deliver.")
    seed: int = Field(default=42, description="Seed of the scenario: same seed, same posts.")
    start: AwareDatetime = Field(description="First day of the scenario (midnight UTC).")
    days: int = Field(default=30, ge=1, le=365, description="Length of the scenario's history.")
    posts: int = Field(default=50_000, ge=100, description="Approximate posts in the history.")
    live_since: AwareDatetime | None = Field(
        default=None, description="From then on, posts arrive at the live rate."
    )
    live_per_minute: float = Field(
        default=12.0,
        gt=0,
        le=600,
        description="New conversations per minute (all platforms) in live mode; replies come on top.",
    )

    @field_validator("start", "live_since")
    @classmethod
    def _utc(cls, value: datetime | None) -> datetime | None:
        return None if value is None else value.astimezone(UTC)

    def scenario(self) -> Scenario:
        return Scenario(
            seed=self.seed,
            start=self.start,
            days=self.days,
            posts=self.posts,
            live_since=self.live_since,
            live_per_minute=self.live_per_minute,
        )


class DemoConnector:
    key = "demo"
    title = "Demo scenario"
    capabilities = frozenset({Capability.POLL})
    settings_model = DemoSourceConfig

    def __init__(self, settings: DemoSettings) -> None:
        self.settings = settings
        self.default_poll_seconds = 300
        self._generators: OrderedDict[Scenario, Generator] = OrderedDict()
        self._lock = Lock()

    def generator(self, scenario: Scenario) -> Generator:
        """The generator of a scenario (a few are kept: their caches make paging cheap)."""
        with self._lock:
            found = self._generators.get(scenario)
            if found is None:
                found = self._generators[scenario] = Generator(scenario)
                while len(self._generators) > _GENERATORS:
                    self._generators.popitem(last=False)
            else:
                self._generators.move_to_end(scenario)
            return found

    def fetch(
        self, config: BaseModel, cursor: dict[str, Any] | None, context: FetchContext
    ) -> FetchResult:
        if not isinstance(config, DemoSourceConfig):
            config = DemoSourceConfig.model_validate(config.model_dump())
        scenario = config.scenario()
        since = read_cursor(cursor) or scenario.start
        until = context.now.astimezone(UTC)
        if until <= since:
            return FetchResult(items=[], cursor={"until": since.isoformat()})
        generator = self.generator(scenario)
        items: list[RawItem] = []
        reached = since
        while reached < until and len(items) < PAGE_ITEMS:
            end = min(until, reached + _CHUNK)
            items.extend(generator.items(config.platform, reached, end))
            reached = end
        return FetchResult(items=items, cursor={"until": reached.isoformat()}, more=reached < until)


def read_cursor(cursor: dict[str, Any] | None) -> datetime | None:
    """The time a demo source's cursor has reached (None before the first fetch)."""
    if not cursor or not cursor.get("until"):
        return None
    try:
        value = datetime.fromisoformat(str(cursor["until"]))
    except ValueError as exc:
        msg = (
            f"The demo source's cursor {cursor!r} is not readable; reset the source by deleting "
            "and re-creating it with `sbu demo`."
        )
        raise ConfigError(msg) from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
