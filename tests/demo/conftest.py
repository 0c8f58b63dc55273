"""Shared demo fixtures: a small scenario (2,000 posts over 30 days) and its generator."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sbu.demo.generator import Generator
from sbu.demo.plan import Event
from sbu.demo.scenario import Scenario

START = datetime(2026, 10, 29, tzinfo=UTC)
SMALL = Scenario(seed=42, start=START, days=30, posts=2000)


@pytest.fixture(scope="session")
def small_generator() -> Generator:
    return Generator(SMALL)


@pytest.fixture(scope="session")
def small_events(small_generator: Generator) -> list[Event]:
    """Every planned post of the small scenario's 30 days."""
    return small_generator.planner.events(START, START + timedelta(days=30))
