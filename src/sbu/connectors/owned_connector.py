"""What the owned-channel connectors (``facebook``, ``instagram``, ``linkedin``) share.

:class:`OwnedConnector` keeps the settings, the API's address (replaced in tests), the
injectable ``sleep`` and ``clock``, and how often a source is polled by default. A poll's API
client retries like every other; a reply's is sent once (:meth:`OwnedConnector.client_settings`):
the platform may have posted it before failing, and a second attempt would post it twice.
:func:`check_reply_text` refuses an empty reply or one longer than the platform takes.
"""

from __future__ import annotations

import time

from sbu.connectors.api_client import Clock, Sleep
from sbu.connectors.api_connector import utc_now
from sbu.connectors.base import Capability
from sbu.core.errors import InvalidInput
from sbu.settings import ConnectorSettings

#: Comments on owned posts come slowly: every 15 minutes is enough, and spares the quotas.
DEFAULT_POLL_SECONDS = 900


class OwnedConnector:
    """The settings and injectable parts of a connector of the company's own pages."""

    capabilities = frozenset({Capability.OWNED_CHANNEL, Capability.POLL, Capability.REPLY})
    #: The platform's API address, unless the constructor is given another.
    default_base_url = ""

    def __init__(
        self,
        settings: ConnectorSettings,
        *,
        base_url: str | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock | None = None,
        default_poll_seconds: int = DEFAULT_POLL_SECONDS,
    ) -> None:
        self.settings = settings
        self.base_url = (base_url or self.default_base_url).rstrip("/")
        self.sleep = sleep
        self.clock: Clock = clock or utc_now
        self.default_poll_seconds = default_poll_seconds

    def client_settings(self, *, retries: bool) -> ConnectorSettings:
        """The settings of an API client: a poll's retries, a reply's single attempt."""
        return self.settings if retries else self.settings.model_copy(update={"attempts": 1})


def check_reply_text(text: str, platform: str, most: int) -> None:
    """Refuse a reply with no text, or longer than the ``most`` characters ``platform`` takes."""
    if not text.strip():
        msg = f"The reply is empty: write the text to post on {platform}."
        raise InvalidInput(msg)
    if len(text) > most:
        msg = f"The reply is {len(text):,} characters long; {platform} takes at most {most:,}: shorten it."
        raise InvalidInput(msg)
