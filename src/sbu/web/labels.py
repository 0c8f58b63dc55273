"""Names shown for the organisation's codes: department kinds, weekdays, token scopes.

The values are English msgids marked for extraction; templates translate them with
``{{ _(label) }}`` (they are template globals, see sbu.web.templating). tests/web/test_labels.py
checks that every department kind of sbu.org.roles has a label.
"""

from __future__ import annotations

from types import MappingProxyType

from sbu.web.messages import N_

KIND_LABELS = MappingProxyType(
    {
        "sbu": N_("Social Business Unit"),
        "care": N_("Customer care"),
        "marketing": N_("Marketing"),
        "pr": N_("Public relations"),
        "sales": N_("Sales"),
        "hr": N_("Human resources"),
        "product": N_("Product"),
        "legal": N_("Legal"),
        "it": N_("IT"),
        "finance": N_("Finance"),
        "other": N_("Other"),
    }
)

WEEKDAY_LABELS = MappingProxyType(
    {
        "mon": N_("Monday"),
        "tue": N_("Tuesday"),
        "wed": N_("Wednesday"),
        "thu": N_("Thursday"),
        "fri": N_("Friday"),
        "sat": N_("Saturday"),
        "sun": N_("Sunday"),
    }
)

SCOPE_LABELS = MappingProxyType(
    {
        "read": N_("Read: see what your role may see"),
        "write": N_("Write: also change what your role may change"),
        "admin": N_("Admin: also manage departments, members, tokens and read the audit log"),
    }
)

#: The alerts a source can be in (sbu.listening.source_alerts).
ALERT_LABELS = MappingProxyType(
    {
        "paused": N_("paused: the platform refused the credentials"),
        "failing": N_("failing: several polls in a row failed"),
        "stalled": N_("stalled: no successful poll for a long time"),
        "quota": N_("quota or budget nearly used"),
        "token_expiring": N_("its token expires soon"),
    }
)
