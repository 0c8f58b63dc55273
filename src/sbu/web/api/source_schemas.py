"""Request and response models of ``/api/v1/sources``: creating, reading and changing a source.

A source's ``config`` is its connector's settings (see each connector's page in
docs/listening/connectors/). Credentials (the connector's ``SecretStr`` fields) are accepted in
requests but never returned: responses show them masked (``••••••••`` and, for long values, the
last four characters), or null when none is saved.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from sbu.core.credentials import MASK, mask
from sbu.listening.models import Source
from sbu.listening.queries import SourceRow
from sbu.web.api.schemas import SourceStatusOut, source_status_out

CONFIG_IN = (
    "The connector's settings, checked by its model (unknown keys are refused). Credentials "
    "are stored encrypted; send one empty, null or as its mask to keep the saved one."
)


class SourceIn(BaseModel):
    """A new source."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        max_length=100,
        description="Unique: 1 to 100 letters, digits, spaces, dots, dashes or underscores.",
    )
    connector: str = Field(
        max_length=50, description="The connector's key: rss, webhook, mastodon, reddit..."
    )
    config: dict[str, Any] = Field(default_factory=dict, description=CONFIG_IN)
    poll_interval_seconds: int | None = Field(
        default=None,
        ge=1,
        le=10_000_000,
        description="Seconds between polls (polling connectors; default: the connector's).",
    )
    purpose: str | None = Field(
        default=None, max_length=500, description="Why the source is collected (GDPR records)."
    )


class SourcePatch(BaseModel):
    """Changes to a source: only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    config: dict[str, Any] | None = Field(
        default=None,
        description=(
            "Settings to change, merged into the saved ones: the keys sent replace theirs, the "
            "others stay; credentials left out, empty, null or masked stay as saved. "
            + "The result is checked by the connector's model."
        ),
    )
    poll_interval_seconds: int | None = Field(
        default=None, ge=1, le=10_000_000, description="Seconds between polls (polling only)."
    )
    enabled: bool | None = Field(
        default=None,
        description="false stops collecting (mentions stay); true starts again and resumes a "
        "source paused because its credentials were refused.",
    )


class SourceDetailOut(SourceStatusOut):
    """A source with its settings (credentials masked)."""

    config: dict[str, Any] = Field(
        description="The connector's settings; credentials masked (••••••••a1b2) or null."
    )
    credentials: list[str] = Field(
        description="Which keys of config are credentials (never returned in full)."
    )
    purpose: str | None


def masked_config(config: dict[str, Any] | None, secrets: list[str]) -> dict[str, Any]:
    """``config`` with every credential masked: the stored configuration already holds masks
    (sbu.core.credentials), and a value that is not one is masked here all the same."""
    shown = dict(config or {})
    for name in secrets:
        value = shown.get(name)
        if isinstance(value, str) and value and not value.startswith(MASK):
            shown[name] = mask(value)
        elif value is not None and not isinstance(value, str):
            shown[name] = MASK
    return shown


def source_detail_out(row: SourceRow, source: Source, secrets: list[str]) -> SourceDetailOut:
    status = source_status_out(row)
    return SourceDetailOut(
        **status.model_dump(),
        config=masked_config(source.config, secrets),
        credentials=secrets,
        purpose=source.purpose,
    )
