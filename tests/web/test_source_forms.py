"""Form fields built from connectors' settings models, and submitted forms read back."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

import pytest
from pydantic import AnyHttpUrl, BaseModel, Field, SecretStr

from sbu.connectors.mastodon_api import MastodonSourceConfig
from sbu.connectors.reddit_config import RedditSourceConfig
from sbu.connectors.rss import RssSourceConfig
from sbu.connectors.webhook import WebhookSourceConfig
from sbu.core.credentials import MASK
from sbu.web.forms import FormError
from sbu.web.source_forms import (
    FormField,
    attribute_comments,
    display_value,
    form_fields,
    form_values,
    label_of,
    parse_form,
    secret_masks,
    submitted_values,
)


class English:
    def gettext(self, message: str) -> str:
        return message


class Shouting:
    """A "translation" that shows the translated sentence is the one used."""

    def gettext(self, message: str) -> str:
        return (
            message.upper().replace("%(FIELD)S", "%(field)s").replace("%(EXAMPLE)S", "%(example)s")
        )


UI = English()


def by_name(model: type[BaseModel]) -> dict[str, FormField]:
    return {field.name: field for field in form_fields(model)}


def form(**values: str) -> dict[str, str]:
    return {f"config.{name}": value for name, value in values.items()}


# -- building the fields -------------------------------------------------------------------------


def test_rss_fields() -> None:
    fields = form_fields(RssSourceConfig)
    assert [f.name for f in fields] == ["url", "language", "title"]
    url, language, title = fields
    assert (url.kind, url.required, url.label, url.default) == ("url", True, "URL", "")
    assert (language.kind, language.required, language.nullable) == ("text", False, True)
    assert "neither the entries nor the feed" in str(language.help)
    assert title.label == "Title"
    assert url.input_name == "config.url"
    assert url.input_id == "cfg-url"


def test_webhook_fields_take_descriptions_bounds_and_defaults() -> None:
    fields = by_name(WebhookSourceConfig)
    secret = fields["signing_secret"]
    assert (secret.kind, secret.required, secret.default) == ("password", True, "")
    assert secret.help == "Shared with the sender, who signs each request with it (32+ characters)."
    window = fields["replay_window_seconds"]
    assert (window.kind, window.integer, window.default) == ("number", True, "300")
    assert (window.minimum, window.maximum) == (30, 3600)
    assert window.label == "Replay window seconds"
    assert fields["platform"].max_length == 32
    assert fields["payload_format"].default == "sbu"
    assert fields["payload_format"].required is False


def test_mastodon_fields_literal_and_optional_secret() -> None:
    fields = by_name(MastodonSourceConfig)
    timeline = fields["timeline"]
    assert timeline.kind == "select"
    assert timeline.choices == ("public", "local", "hashtag", "search")
    assert (timeline.default, timeline.nullable) == ("public", False)
    token = fields["access_token"]
    assert (token.kind, token.required, token.nullable) == ("password", False, True)
    assert fields["instance"].required is True
    assert fields["limit"].default == "40"
    # The "#:" comment above the field is its help, without reStructuredText quotes.
    assert fields["hashtag"].help == "For timeline=hashtag: the tag, without #."


def test_reddit_fields_list_and_secrets() -> None:
    fields = by_name(RedditSourceConfig)
    subreddits = fields["subreddits"]
    assert (subreddits.kind, subreddits.required) == ("lines", True)
    assert fields["listing"].choices == ("new", "comments", "search")
    assert fields["client_id"].label == "Client ID"
    assert fields["client_secret"].kind == "password"
    assert fields["client_secret"].required is True
    assert (fields["password"].kind, fields["password"].required) == ("password", False)
    assert fields["username"].kind == "text"


class Colour(Enum):
    RED = "red"
    BLUE = "blue"


class Odd(BaseModel):
    """Every kind of field, and types the builder does not know."""

    #: Whether to follow.
    follow: bool = True
    ratio: float = Field(default=0.5, ge=0, le=1)
    count: int = Field(default=3, gt=0, lt=10)
    colour: Colour = Colour.BLUE
    mode: Literal["a", "b"] | None = None
    tags: list[str] = Field(default_factory=lambda: ["x", "y"])
    numbers: list[int] = []
    home: AnyHttpUrl | None = None
    feed_url: str = "https://example.org/feed"
    extra: dict[str, str] = {}
    either: int | str = 1
    token: SecretStr = SecretStr("default-secret")
    hidden: str = Field(default="", exclude=True)


def test_every_kind_and_the_text_fallback() -> None:
    fields = by_name(Odd)
    assert "hidden" not in fields
    assert (fields["follow"].kind, fields["follow"].default) == ("checkbox", True)
    assert fields["follow"].help == "Whether to follow."
    ratio = fields["ratio"]
    assert (ratio.kind, ratio.integer, ratio.minimum, ratio.maximum) == ("number", False, 0, 1)
    count = fields["count"]
    assert (count.minimum, count.maximum) == (1, 9)  # gt=0, lt=10 for whole numbers
    assert fields["colour"].kind == "select"
    assert fields["colour"].choices == ("red", "blue")
    assert fields["colour"].default == "blue"
    assert (fields["mode"].kind, fields["mode"].nullable) == ("select", True)
    assert (fields["tags"].kind, fields["tags"].default) == ("lines", "x\ny")
    assert fields["numbers"].kind == "text"  # a list of numbers has no input of its own
    assert fields["home"].kind == "url"
    assert fields["feed_url"].kind == "url"
    assert fields["extra"].kind == "text"
    assert fields["either"].kind == "text"
    assert fields["token"].default == ""  # a default credential is not shown either


def test_labels() -> None:
    assert label_of("replay_window_seconds") == "Replay window seconds"
    assert label_of("client_id") == "Client ID"
    assert label_of("url") == "URL"
    assert label_of("_") == "_"


def test_attribute_comments_of_a_model_without_source() -> None:
    dynamic = type("Dynamic", (BaseModel,), {"__annotations__": {"a": int}, "a": 1})
    assert attribute_comments(dynamic) == {}
    assert by_name(dynamic)["a"].help is None


# -- values shown ----------------------------------------------------------------------------


def test_values_of_a_stored_configuration_never_show_credentials() -> None:
    fields = form_fields(RedditSourceConfig)
    stored = {
        "subreddits": ["bretagne", "france"], "listing": "new", "query": None,
        "client_id": "abcdef", "client_secret": MASK + "wxyz", "username": None,
        "password": None, "limit": 50,
    }  # fmt: skip
    values = form_values(fields, stored)
    assert values["subreddits"] == "bretagne\nfrance"
    assert values["client_secret"] == ""
    assert values["query"] == ""
    assert values["limit"] == "50"
    assert secret_masks(fields, stored) == {"client_secret": MASK + "wxyz"}
    defaults = form_values(fields, None)
    assert (defaults["listing"], defaults["limit"]) == ("new", "100")


def test_a_credential_stored_in_clear_is_masked_all_the_same() -> None:
    fields = form_fields(WebhookSourceConfig)
    long = "a-signing-secret-that-is-long-enough-1234"
    assert secret_masks(fields, {"signing_secret": long}) == {"signing_secret": MASK + "1234"}
    assert secret_masks(fields, {"signing_secret": "short"}) == {"signing_secret": MASK}
    assert secret_masks(fields, {"signing_secret": 42}) == {"signing_secret": MASK}
    assert secret_masks(fields, {"signing_secret": None}) == {}


def test_submitted_values_keep_what_was_typed_but_not_secrets() -> None:
    fields = form_fields(Odd)
    typed = form(follow="1", ratio="abc", tags="a\nb", token="typed-secret", colour="red")
    values = submitted_values(fields, typed)
    assert values["follow"] is True
    assert values["ratio"] == "abc"
    assert values["tags"] == "a\nb"
    assert values["token"] == ""
    assert values["colour"] == "red"
    assert submitted_values(fields, {})["follow"] is False


def test_display_values() -> None:
    assert display_value("number", 2.0) == "2"
    assert display_value("number", 2.5) == "2.5"
    assert display_value("select", Colour.RED) == "red"
    assert display_value("checkbox", None) is False
    assert display_value("password", "secret") == ""


# -- parsing ------------------------------------------------------------------------------------


def test_parse_rss_leaves_out_empty_optional_fields() -> None:
    config = parse_form(UI, form_fields(RssSourceConfig),
                        form(url="  https://feeds.example.org/a.xml ", language="", title=""))  # fmt: skip
    assert config == {"url": "https://feeds.example.org/a.xml"}
    assert RssSourceConfig.model_validate(config).language is None
    assert parse_form(UI, form_fields(RssSourceConfig), {}) == {}


def test_parse_webhook_numbers_and_secret() -> None:
    fields = form_fields(WebhookSourceConfig)
    secret = "s3cret-" * 6
    config = parse_form(UI, fields, form(signing_secret=secret, payload_format="mastodon",
                                         platform="", replay_window_seconds="600"))  # fmt: skip
    assert config == {"signing_secret": secret, "payload_format": "mastodon",
                      "replay_window_seconds": 600}  # fmt: skip
    WebhookSourceConfig.model_validate(config)
    # An empty credential is left out: the service keeps the saved one.
    assert "signing_secret" not in parse_form(UI, fields, form(signing_secret=""))


def test_parse_reddit_lists_and_selects() -> None:
    fields = form_fields(RedditSourceConfig)
    config = parse_form(UI, fields, form(
        subreddits=" bretagne \r\n\r\nfrance\n", listing="search", query="fibre panne",
        client_id="abcdef123", client_secret="a-client-secret", username="", password="",
        limit="25"))  # fmt: skip
    assert config == {"subreddits": ["bretagne", "france"], "listing": "search",
                      "query": "fibre panne", "client_id": "abcdef123",
                      "client_secret": "a-client-secret", "limit": 25}  # fmt: skip
    model = RedditSourceConfig.model_validate(config)
    assert model.subreddits == ["bretagne", "france"]
    # A required list left empty is sent empty, so the connector's own sentence explains it.
    assert parse_form(UI, fields, form(subreddits=" \n"))["subreddits"] == []


def test_parse_mastodon_optional_token_and_select() -> None:
    fields = form_fields(MastodonSourceConfig)
    config = parse_form(UI, fields, form(instance="mastodon.example", timeline="hashtag",
                                         hashtag="fibre", access_token="", limit="",
                                         lookback_minutes="10"))  # fmt: skip
    assert config == {"instance": "mastodon.example", "timeline": "hashtag", "hashtag": "fibre",
                      "lookback_minutes": 10, "stream": False}  # fmt: skip
    MastodonSourceConfig.model_validate(config)


def test_parse_checkboxes_floats_and_optional_lists() -> None:
    fields = form_fields(Odd)
    config = parse_form(UI, fields, form(ratio="0,25", count="-2", tags=""))
    assert config["follow"] is False  # an unticked box is sent as no field at all
    assert config["ratio"] == 0.25
    assert config["count"] == -2  # the model's bounds are checked by the model
    assert "tags" not in config
    assert parse_form(UI, fields, form(follow="1"))["follow"] is True


@pytest.mark.parametrize(
    ("typed", "sentence"),
    [
        (form(replay_window_seconds="five"),
         "Replay window seconds must be a whole number, such as 300."),
        (form(replay_window_seconds="1.5"),
         "Replay window seconds must be a whole number, such as 300."),
        (form(replay_window_seconds="9" * 20),
         "Replay window seconds must be a whole number, such as 300."),
        (form(platform="x" * 20_001), "Platform is too long: keep it under 20,000 characters."),
    ],
)  # fmt: skip
def test_unreadable_values_are_refused_with_a_sentence(
    typed: dict[str, str], sentence: str
) -> None:
    with pytest.raises(FormError) as caught:
        parse_form(UI, form_fields(WebhookSourceConfig), typed)
    assert caught.value.message == sentence


def test_unreadable_floats_are_refused_in_the_page_language() -> None:
    fields = form_fields(Odd)
    for bad in ("nan", "inf", "half"):
        with pytest.raises(FormError) as caught:
            parse_form(UI, fields, form(ratio=bad))
        assert caught.value.message == "Ratio must be a number, such as 0.5."
    with pytest.raises(FormError) as shouted:
        parse_form(Shouting(), fields, form(count="x"))
    assert shouted.value.message == "Count MUST BE A WHOLE NUMBER, SUCH AS 3."


def test_every_field_of_the_registered_models_reads_back(app_models: list[Any]) -> None:
    """Showing a stored configuration and sending the form unchanged gives the same model."""
    for model, stored in app_models:
        fields = form_fields(model)
        shown = form_values(fields, stored)
        typed = {f.input_name: v for f in fields for v in [shown[f.name]] if v not in ("", False)}
        secrets = {f.input_name: "a-credential-long-enough-for-every-model-0001"
                   for f in fields if f.kind == "password" and f.name in stored}  # fmt: skip
        parsed = parse_form(UI, fields, {**typed, **secrets})
        again = model.model_validate(parsed).model_dump(mode="json")
        for name, value in stored.items():
            if not any(f.name == name and f.kind == "password" for f in fields):
                assert again[name] == value, (model.__name__, name)


@pytest.fixture
def app_models() -> list[Any]:
    return [
        (RssSourceConfig, {"url": "https://feeds.example.org/a.xml", "language": "fr",
                           "title": "Le Journal"}),
        (WebhookSourceConfig, {"signing_secret": MASK + "0001", "payload_format": "reddit",
                               "platform": "forum", "replay_window_seconds": 900}),
        (MastodonSourceConfig, {"instance": "https://mastodon.example", "timeline": "search",
                                "hashtag": None, "query": "fibre", "access_token": MASK,
                                "limit": 20, "lookback_minutes": 0}),
        (RedditSourceConfig, {"subreddits": ["bretagne", "rennes"], "listing": "comments",
                              "query": None, "client_id": "abcdef123",
                              "client_secret": MASK, "username": "someone",
                              "password": MASK, "limit": 100}),
    ]  # fmt: skip
