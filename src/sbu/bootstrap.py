"""The composition root: ``build(settings)`` wires every component sbu runs with.

Nothing else in sbu reads the environment or creates engines, buses or clocks: the CLI, the web
app and the tests call :func:`build` and pass the resulting :class:`App` (or the parts of it a
component needs) down.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sbu.bus.base import MessageBus
from sbu.bus.bridge import SyncBus
from sbu.bus.memory import MemoryBus
from sbu.connectors.registry import Registry, build_registry
from sbu.core.clock import Clock, SystemClock
from sbu.core.credentials import CredentialBox
from sbu.core.errors import ConfigError
from sbu.db.engine import Database
from sbu.listening.ingest import IngestService
from sbu.settings import Settings


@dataclass
class App:
    settings: Settings
    db: Database
    clock: Clock
    bus: SyncBus
    registry: Registry
    ingest: IngestService
    #: Encrypts and decrypts the credentials of sources (SBU_CREDENTIALS__KEY).
    credentials: CredentialBox

    def close(self) -> None:
        self.bus.close()
        self.db.dispose()


def build_bus(settings: Settings) -> MessageBus:
    if settings.bus.backend == "memory":
        return MemoryBus()
    try:
        from sbu.bus.nats import NatsBus
    except ModuleNotFoundError as exc:
        msg = (
            "SBU_BUS__BACKEND=nats needs the NATS client: install it with "
            "`pip install 'sbu[nats]'`, or use SBU_BUS__BACKEND=memory."
        )
        raise ConfigError(msg) from exc
    return NatsBus(settings.bus.nats_url, stream=settings.bus.stream)


def build(
    settings: Settings,
    *,
    clock: Clock | None = None,
    bus: MessageBus | None = None,
    registry: Registry | None = None,
) -> App:
    """Build the application from typed settings; tests inject a clock, a bus or a registry."""
    logging.getLogger("sbu").setLevel(settings.log_level)
    clock = clock or SystemClock()
    db = Database(settings.database)
    sync_bus = SyncBus(bus or build_bus(settings))
    registry = registry or build_registry(settings)
    ingest = IngestService(
        db, clock, registry.mappers, settings.ingest, publish=sync_bus.publish_many
    )
    return App(
        settings=settings,
        db=db,
        clock=clock,
        bus=sync_bus,
        registry=registry,
        ingest=ingest,
        credentials=CredentialBox(settings.credentials),
    )
