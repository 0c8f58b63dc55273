"""The registry of payload mappers and connectors: built-ins, refusals, and third-party plugins
loaded through a real ``sbu.connectors`` entry point (a dist-info folder on ``sys.path``)."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from sbu.connectors.base import Capability
from sbu.connectors.bluesky import BlueskyPostMapper
from sbu.connectors.files import FileConnector
from sbu.connectors.mastodon import MastodonStatusMapper
from sbu.connectors.records import RecordMapper
from sbu.connectors.reddit import RedditThingMapper
from sbu.connectors.registry import ENTRY_POINT_GROUP, build_registry
from sbu.connectors.youtube import YouTubeMapper
from sbu.core.errors import ConfigError, NotFound
from sbu.listening.drafts import MentionDraft
from sbu.settings import Settings
from tests.conftest import make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(f"sqlite:///{tmp_path / 'sbu.db'}", tmp_path)


class ForumMapper:
    key = "forum"

    def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
        raise NotImplementedError


class ForumConnector:
    key = "forum"
    title = "Forum"
    capabilities = frozenset({Capability.IMPORT})
    settings_model = BaseModel


def test_builtins_are_registered_under_their_keys(settings: Settings) -> None:
    registry = build_registry(settings, load_plugins=False)
    assert set(registry.mappers) == {"sbu", "mastodon", "bluesky", "reddit", "youtube", "rss", "x",
                                     "facebook", "instagram", "linkedin"}  # fmt: skip
    assert set(registry.connectors) == {"file", "rss", "mastodon", "bluesky", "reddit", "youtube",
                                        "x", "facebook", "instagram", "linkedin", "webhook",
                                        "demo"}  # fmt: skip
    expected = {
        "sbu": RecordMapper,
        "mastodon": MastodonStatusMapper,
        "bluesky": BlueskyPostMapper,
        "reddit": RedditThingMapper,
        "youtube": YouTubeMapper,
    }
    for key, kind in expected.items():
        assert isinstance(registry.mappers[key], kind)
        assert registry.mappers[key].key == key
    assert isinstance(registry.connector("file"), FileConnector)
    for key, connector in registry.connectors.items():
        assert connector.key == key
        assert connector.title
        assert connector.capabilities


def test_the_registry_cannot_be_changed_afterwards(settings: Settings) -> None:
    registry = build_registry(settings, load_plugins=False)
    with pytest.raises(TypeError):
        registry.mappers["forum"] = ForumMapper()  # type: ignore[index]


def test_an_unknown_connector_is_named_with_the_known_ones(settings: Settings) -> None:
    registry = build_registry(settings, load_plugins=False)
    with pytest.raises(NotFound) as caught:
        registry.connector("myspace")
    assert (
        str(caught.value)
        == "There is no connector called 'myspace'. Known connectors: bluesky, demo, facebook, "
        "file, instagram, linkedin, mastodon, reddit, rss, webhook, x, youtube."
    )


def test_extra_extensions_are_registered(settings: Settings) -> None:
    registry = build_registry(settings, load_plugins=False, extra=[ForumMapper(), ForumConnector()])
    assert isinstance(registry.mappers["forum"], ForumMapper)
    assert isinstance(registry.connector("forum"), ForumConnector)


def test_a_duplicate_key_is_refused(settings: Settings) -> None:
    class AnotherMastodon(ForumMapper):
        key = "mastodon"

    with pytest.raises(ConfigError) as caught:
        build_registry(settings, load_plugins=False, extra=[AnotherMastodon()])
    assert str(caught.value) == (
        "extra registers a payload mapper called 'mastodon', but one is already registered."
    )


def test_a_duplicate_connector_key_is_refused(settings: Settings) -> None:
    with pytest.raises(ConfigError, match=r"^extra registers a connector called 'forum', but one"):
        build_registry(settings, load_plugins=False, extra=[ForumConnector(), ForumConnector()])


def test_an_object_that_is_neither_mapper_nor_connector_is_refused(settings: Settings) -> None:
    with pytest.raises(ConfigError) as caught:
        build_registry(settings, load_plugins=False, extra=["forum"])  # type: ignore[list-item]
    assert (
        str(caught.value)
        == "extra registered 'forum', which is neither a payload mapper nor a connector."
    )


def test_an_extension_without_key_is_refused(settings: Settings) -> None:
    class Nameless:
        def to_mention(self, payload: Mapping[str, Any]) -> MentionDraft:
            raise NotImplementedError

    with pytest.raises(ConfigError, match=r"without a 'key': give it a non-empty string key\.$"):
        build_registry(settings, load_plugins=False, extra=[Nameless()])  # type: ignore[list-item]


# Plugins through the real entry point mechanism ------------------------------------------------


def install_plugin(root: Path, module: str, body: str, entry: str) -> None:
    """Write ``module.py`` and a ``<dist>-0.1.dist-info`` declaring ``entry`` in ``root``."""
    (root / f"{module}.py").write_text(textwrap.dedent(body), encoding="utf-8")
    info = root / f"{module.replace('_', '-')}-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {module.replace('_', '-')}\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{entry}\n", encoding="utf-8")


@pytest.fixture
def plugin_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path``; the plugin modules imported from it are forgotten afterwards."""
    root = tmp_path / "site"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    before = set(sys.modules)
    yield root
    for name in set(sys.modules) - before:
        if name.startswith("sbu_test_plugin"):
            del sys.modules[name]


PLUGIN = """
    from sbu.connectors.base import Capability
    from sbu.listening.drafts import MentionDraft
    from sbu.connectors.fields import parse_time, req_str
    from pydantic import BaseModel


    class ForumMapper:
        key = "forum-breizh"

        def __init__(self, language):
            self.language = language

        def to_mention(self, payload):
            return MentionDraft(
                platform="forum",
                external_id=req_str(payload, "id"),
                text=req_str(payload, "message"),
                created_at=parse_time(payload.get("date"), "date"),
                raw=dict(payload),
                language=self.language,
            )


    class ForumConnector:
        key = "forum-breizh"
        title = "Forum Breizh"
        capabilities = frozenset({Capability.IMPORT})
        settings_model = BaseModel


    def extensions(settings):
        return [ForumMapper(settings.web.default_language), ForumConnector()]
"""


def test_a_plugin_is_loaded_through_its_entry_point(settings: Settings, plugin_root: Path) -> None:
    install_plugin(
        plugin_root, "sbu_test_plugin_forum", PLUGIN, "forum = sbu_test_plugin_forum:extensions"
    )
    registry = build_registry(settings)
    mapper = registry.mappers["forum-breizh"]
    assert type(mapper).__module__ == "sbu_test_plugin_forum"
    draft = mapper.to_mention(
        {"id": "77", "message": "Fibre en panne à Vannes", "date": "2026-11-27T10:00:00Z"}
    )
    assert draft.platform == "forum"
    assert draft.text == "Fibre en panne à Vannes"
    assert draft.language == settings.web.default_language  # the plugin received the settings
    assert registry.connector("forum-breizh").title == "Forum Breizh"
    assert "mastodon" in registry.mappers  # built-ins are still there


def test_plugins_are_not_loaded_when_asked_not_to(settings: Settings, plugin_root: Path) -> None:
    install_plugin(
        plugin_root, "sbu_test_plugin_off", PLUGIN, "off = sbu_test_plugin_off:extensions"
    )
    assert "forum-breizh" not in build_registry(settings, load_plugins=False).mappers
    assert "forum-breizh" in build_registry(settings).mappers


def test_a_plugin_that_raises_on_load_is_named(settings: Settings, plugin_root: Path) -> None:
    body = """
        raise RuntimeError("the forum API key is missing")
    """
    install_plugin(
        plugin_root, "sbu_test_plugin_broken", body, "broken = sbu_test_plugin_broken:extensions"
    )
    with pytest.raises(ConfigError) as caught:
        build_registry(settings)
    assert str(caught.value) == (
        "The sbu plugin 'broken' (sbu_test_plugin_broken:extensions) failed to load: the forum API "
        "key is missing. Fix or uninstall it, then start sbu again."
    )


def test_a_plugin_whose_factory_raises_is_named(settings: Settings, plugin_root: Path) -> None:
    body = """
        def extensions(settings):
            raise ValueError("SBU_FORUM__TOKEN is not set")
    """
    install_plugin(
        plugin_root, "sbu_test_plugin_factory", body, "factory = sbu_test_plugin_factory:extensions"
    )
    with pytest.raises(
        ConfigError,
        match=r"^The sbu plugin 'factory' \(sbu_test_plugin_factory:extensions\) failed to load: SBU_FORUM__TOKEN is not set\.",
    ):
        build_registry(settings)


def test_a_plugin_entry_point_naming_a_missing_module_is_named(
    settings: Settings, plugin_root: Path
) -> None:
    install_plugin(
        plugin_root, "sbu_test_plugin_typo", "", "typo = sbu_test_plugin_tpyo:extensions"
    )
    with pytest.raises(
        ConfigError,
        match=r"^The sbu plugin 'typo' \(sbu_test_plugin_tpyo:extensions\) failed to load",
    ):
        build_registry(settings)


def test_a_plugin_cannot_replace_a_builtin(settings: Settings, plugin_root: Path) -> None:
    body = """
        class Impostor:
            key = "reddit"

            def to_mention(self, payload):
                raise NotImplementedError


        def extensions(settings):
            return [Impostor()]
    """
    install_plugin(
        plugin_root,
        "sbu_test_plugin_impostor",
        body,
        "impostor = sbu_test_plugin_impostor:extensions",
    )
    with pytest.raises(ConfigError) as caught:
        build_registry(settings)
    assert str(caught.value) == (
        "impostor registers a payload mapper called 'reddit', but one is already registered."
    )
