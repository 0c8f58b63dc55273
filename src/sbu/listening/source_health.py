"""How each source is doing: the state rules the Sources page, the API and the alerts share.

For every source sbu shows (sbu.listening.queries.list_sources): its state (working, failing,
paused, stalled, disabled, waiting for its first poll), the last successful poll, the last error
in a sentence, how many of its mentions were written in the last 24 hours (per hour), its *lag*
(how old its newest mention is: a source that works but brings only old posts is as useless as
a broken one), the token expiry date and the quota or cost the platform reported.

A polled source is **stalled** when it has not had a successful poll for ``stall_factor`` times
its poll interval (at least ``stall_min_minutes``): it may not be failing loudly (a scheduler
stopped, a claim stuck) but nothing comes in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Literal

from sbu.listening.models import Source
from sbu.settings import AlertSettings

State = Literal["ok", "failing", "paused", "stalled", "disabled", "waiting"]
#: The window of the items-per-hour figure.
RECENT = timedelta(hours=24)


def stalled(source: Source, now: datetime, settings: AlertSettings) -> bool:
    """Has an enabled polled source gone too long without a successful poll?"""
    if not source.enabled or source.paused_reason or not source.poll_interval_seconds:
        return False
    since = source.last_success_at or source.created_at
    limit = max(
        timedelta(seconds=source.poll_interval_seconds * settings.stall_factor),
        timedelta(minutes=settings.stall_min_minutes),
    )
    return now - since > limit


def state_of(source: Source, now: datetime, settings: AlertSettings) -> State:
    if not source.enabled:
        return "disabled"
    if source.paused_reason:
        return "paused"
    if source.consecutive_failures > 0:
        return "failing"
    if stalled(source, now, settings):
        return "stalled"
    if source.poll_interval_seconds and source.last_polled_at is None:
        return "waiting"
    return "ok"
