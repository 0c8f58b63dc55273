"""Alerts on sick sources: said once when a source falls ill, once when it recovers.

:func:`check_alerts` (run by the scheduler every ``SBU_ALERTS__CHECK_SECONDS``) looks at every
enabled source and decides which alert, if any, it is in, the most serious first:

- ``paused``: the platform refused its credentials (sbu stopped polling it);
- ``failing``: ``SBU_ALERTS__FAILURES`` polls in a row failed;
- ``stalled``: no successful poll for several poll intervals (see source_health.stalled);
- ``quota``: the quota or budget the platform reports is nearly used;
- ``token_expiring``: the token expires within ``SBU_ALERTS__TOKEN_WARNING_DAYS``.

Only *changes* are announced (a source failing for a week is one alert, not one per minute):
the alert is saved on the source (``sources.alert``) in the same transaction that decides it,
then each change is published as ``source.alert`` on the bus and POSTed to
``SBU_ALERTS__WEBHOOK_URL`` when one is set (signed like sbu's ingest webhook, with a ``text``
field that chat tools display as is). A source that leaves its alert gets a ``recovered`` alert.
The Sources page shows the alert of every source.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import httpx
import orjson
from sqlalchemy import select

from sbu.bus.base import Outgoing
from sbu.bus.subjects import SOURCE_ALERT
from sbu.connectors.webhook import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from sbu.listening.models import Source
from sbu.listening.source_health import stalled
from sbu.settings import AlertSettings

if TYPE_CHECKING:
    from sbu.bootstrap import App

log = logging.getLogger(__name__)
RECOVERED = "recovered"
WEBHOOK_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class SourceAlert:
    source_id: int
    source_name: str
    connector: str
    #: paused, failing, stalled, quota, token_expiring, or recovered.
    kind: str
    #: The alert the source was in before (None for a new alert).
    previous: str | None
    message: str
    at: datetime

    def payload(self) -> dict[str, Any]:
        return {
            "version": 1,
            "source_id": self.source_id,
            "source_name": self.source_name,
            "connector": self.connector,
            "kind": self.kind,
            "previous": self.previous,
            "message": self.message,
            "at": self.at.isoformat(),
        }


def alert_of(source: Source, now: datetime, settings: AlertSettings) -> tuple[str, str] | None:
    """(kind, sentence) of the alert an enabled source is in, or None when it is well."""
    name = source.name
    if source.paused_reason:
        return "paused", f"The source {name!r} is paused: {source.paused_reason}"
    if source.consecutive_failures >= settings.failures:
        return "failing", (
            f"The source {name!r} failed {source.consecutive_failures} polls in a row; the "
            f"last error: {source.last_error or 'unknown'}"
        )
    if stalled(source, now, settings):
        since = source.last_success_at or source.created_at
        return "stalled", (
            f"The source {name!r} has had no successful poll since {since:%Y-%m-%d %H:%M} UTC: "
            "check that a scheduler runs (sbu serve or sbu listen) and the source's last error."
        )
    quota = _quota_alert(source, settings)
    if quota is not None:
        return "quota", quota
    expires = source.token_expires_at
    if expires is not None and expires - now <= timedelta(days=settings.token_warning_days):
        when = "expired" if expires <= now else "expires"
        return "token_expiring", (
            f"The token of the source {name!r} {when} on {expires:%Y-%m-%d %H:%M} UTC: create "
            "a new one on the platform and save it with `sbu sources edit` or in Settings → "
            "Sources."
        )
    return None


def _quota_alert(source: Source, settings: AlertSettings) -> str | None:
    usage = source.usage or {}
    ratio = settings.quota_warning_ratio
    used, limit = usage.get("quota_used"), usage.get("quota_limit")
    if _nearly(used, limit, ratio):
        unit = f" {usage['unit']}" if usage.get("unit") else ""
        return (
            f"The source {source.name!r} has used {used:,.0f} of its {limit:,.0f}{unit} "
            "quota: it will stop when the quota runs out; raise the quota or the poll interval."
        )
    cost, budget = usage.get("cost"), usage.get("budget")
    if _nearly(cost, budget, ratio):
        currency = f" {usage['currency']}" if usage.get("currency") else ""
        return (
            f"The source {source.name!r} has spent {cost:,.2f} of its {budget:,.2f}"
            f"{currency} budget: it pauses when the budget is spent."
        )
    return None


def _nearly(used: Any, limit: Any, ratio: float) -> bool:
    numbers = isinstance(used, int | float) and isinstance(limit, int | float)
    return numbers and limit > 0 and used >= limit * ratio


def check_alerts(app: App) -> list[SourceAlert]:
    """Decide, save and announce the alerts that changed (see the module docstring)."""
    settings = app.settings.alerts
    now = app.clock.now()
    changes: list[SourceAlert] = []
    with app.db.write_session() as session:
        for source in session.execute(select(Source).order_by(Source.id)).scalars():
            if not source.enabled:
                if source.alert is not None:  # disabled on purpose: nothing to announce
                    source.alert, source.alerted_at = None, now
                continue
            found = alert_of(source, now, settings)
            kind = found[0] if found else None
            if kind == source.alert:
                continue
            message = found[1] if found else f"The source {source.name!r} works again."
            changes.append(
                SourceAlert(
                    source.id,
                    source.name,
                    source.connector,
                    kind or RECOVERED,
                    source.alert,
                    message,
                    now,
                )
            )
            source.alert, source.alerted_at = kind, now
        session.commit()
    if changes:
        app.bus.publish_many(
            [
                Outgoing(
                    SOURCE_ALERT,
                    alert.payload(),
                    key=f"alert:{alert.source_id}:{alert.kind}:{alert.at.isoformat()}",
                )
                for alert in changes
            ]
        )
        for alert in changes:
            log.warning("Source alert (%s): %s", alert.kind, alert.message)
            deliver(settings, alert)
    return changes


def deliver(settings: AlertSettings, alert: SourceAlert) -> bool:
    """POST the alert to the alert webhook, if one is set; a failure is logged, not raised."""
    if not settings.webhook_url:
        return False
    body = orjson.dumps({"event": SOURCE_ALERT, "text": alert.message, **alert.payload()})
    headers = {"Content-Type": "application/json"}
    if settings.webhook_secret is not None:
        stamp = str(int(time.time()))
        headers[TIMESTAMP_HEADER] = stamp
        headers[SIGNATURE_HEADER] = signature(
            settings.webhook_secret.get_secret_value(), stamp, body
        )
    try:
        response = httpx.post(
            settings.webhook_url, content=body, headers=headers, timeout=WEBHOOK_TIMEOUT
        )
    except httpx.HTTPError as exc:
        log.warning("The alert webhook could not be reached (%s): %s", type(exc).__name__, exc)
        return False
    if response.status_code >= 300:
        log.warning("The alert webhook answered HTTP %s.", response.status_code)
        return False
    return True
