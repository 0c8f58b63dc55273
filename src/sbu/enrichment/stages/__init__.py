"""The built-in enrichment stages, in the order they run.

Explicit, like the connectors' registry: a stage is listed here or it does not run. Each entry
builds a fresh stage (stages keep state between batches, such as the compiled topics).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sbu.enrichment.pipeline import Stage
from sbu.enrichment.stages.topic_match import TopicMatchStage

BUILTIN: tuple[Callable[[], Stage[Any]], ...] = (TopicMatchStage,)


def build_stages() -> list[Stage[Any]]:
    """A new instance of every built-in stage, in order."""
    return [make() for make in BUILTIN]
