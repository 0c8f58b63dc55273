"""The explicit registry of payload mappers and connectors.

Built-ins are listed here in tuples; third-party packages add theirs through the
``sbu.connectors`` entry point group: the entry point names a callable that takes the
:class:`~sbu.settings.Settings` and returns an iterable of mappers and connectors. Nothing is
discovered by scanning directories, and a plugin that fails to load stops start-up with a
sentence naming it, instead of silently disappearing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import MappingProxyType
from typing import Any

from sbu.connectors.base import Connector, PayloadMapper
from sbu.core.errors import ConfigError, NotFound
from sbu.settings import Settings

ENTRY_POINT_GROUP = "sbu.connectors"


@dataclass(frozen=True)
class Registry:
    mappers: Mapping[str, PayloadMapper]
    connectors: Mapping[str, Connector]

    def connector(self, key: str) -> Connector:
        try:
            return self.connectors[key]
        except KeyError:
            known = ", ".join(sorted(self.connectors))
            msg = f"There is no connector called {key!r}. Known connectors: {known}."
            raise NotFound(msg) from None


def builtin_extensions(settings: Settings) -> tuple[PayloadMapper | Connector, ...]:
    """The built-in mappers and connectors, in one explicit tuple."""
    from sbu.connectors.bluesky import BlueskyPostMapper
    from sbu.connectors.bluesky_api import BlueskyConnector
    from sbu.connectors.files import FileConnector
    from sbu.connectors.linkedin_mapping import LinkedInMapper
    from sbu.connectors.mastodon import MastodonStatusMapper
    from sbu.connectors.mastodon_api import MastodonConnector
    from sbu.connectors.meta_mapping import FacebookMapper, InstagramMapper
    from sbu.connectors.owned_linkedin import LinkedInConnector
    from sbu.connectors.owned_meta import FacebookConnector, InstagramConnector
    from sbu.connectors.records import RecordMapper
    from sbu.connectors.reddit import RedditThingMapper
    from sbu.connectors.reddit_api import RedditConnector
    from sbu.connectors.rss import FeedEntryMapper, RssConnector
    from sbu.connectors.webhook import WebhookConnector
    from sbu.connectors.x_api import XConnector
    from sbu.connectors.x_mapping import XPostMapper
    from sbu.connectors.youtube import YouTubeMapper
    from sbu.connectors.youtube_api import YouTubeConnector
    from sbu.demo.connector import DemoConnector

    return (
        RecordMapper(),
        MastodonStatusMapper(),
        BlueskyPostMapper(),
        RedditThingMapper(),
        YouTubeMapper(),
        FeedEntryMapper(),
        XPostMapper(),
        FacebookMapper(),
        InstagramMapper(),
        LinkedInMapper(),
        FileConnector(),
        RssConnector(settings.feeds),
        MastodonConnector(settings.connectors),
        BlueskyConnector(settings.connectors),
        RedditConnector(settings.connectors),
        YouTubeConnector(settings.connectors),
        XConnector(settings.connectors),
        FacebookConnector(settings.connectors),
        InstagramConnector(settings.connectors),
        LinkedInConnector(settings.connectors),
        WebhookConnector(),
        DemoConnector(settings.demo),
    )


def build_registry(
    settings: Settings,
    *,
    load_plugins: bool = True,
    extra: Iterable[PayloadMapper | Connector] = (),
) -> Registry:
    mappers: dict[str, PayloadMapper] = {}
    connectors: dict[str, Connector] = {}
    extensions: list[tuple[str, PayloadMapper | Connector]] = [
        ("sbu", ext) for ext in builtin_extensions(settings)
    ]
    if load_plugins:
        for entry_point in entry_points(group=ENTRY_POINT_GROUP):
            try:
                factory: Callable[[Settings], Iterable[Any]] = entry_point.load()
                loaded = list(factory(settings))
            except Exception as exc:
                msg = (
                    f"The sbu plugin {entry_point.name!r} ({entry_point.value}) failed to load: "
                    f"{exc}. Fix or uninstall it, then start sbu again."
                )
                raise ConfigError(msg) from exc
            extensions.extend((entry_point.name, ext) for ext in loaded)
    extensions.extend(("extra", ext) for ext in extra)
    for origin, ext in extensions:
        is_mapper = callable(getattr(ext, "to_mention", None))
        is_connector = callable(getattr(ext, "fetch", None)) or hasattr(ext, "capabilities")
        if not (is_mapper or is_connector):
            msg = f"{origin} registered {ext!r}, which is neither a payload mapper nor a connector."
            raise ConfigError(msg)
        key = getattr(ext, "key", None)
        if not isinstance(key, str) or not key:
            msg = f"{origin} registered {ext!r} without a 'key': give it a non-empty string key."
            raise ConfigError(msg)
        if is_mapper:
            _add(mappers, key, ext, origin, "payload mapper")
        if is_connector:
            _add(connectors, key, ext, origin, "connector")
    return Registry(MappingProxyType(mappers), MappingProxyType(connectors))


def _add(target: dict[str, Any], key: str, ext: Any, origin: str, kind: str) -> None:
    if key in target:
        msg = f"{origin} registers a {kind} called {key!r}, but one is already registered."
        raise ConfigError(msg)
    target[key] = ext
