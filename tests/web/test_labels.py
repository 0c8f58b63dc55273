"""Every code shown on the pages has a label (translated through the catalogs)."""

from __future__ import annotations

from sbu.org.roles import DEPARTMENT_KINDS
from sbu.org.services import WEEKDAYS as SERVICE_WEEKDAYS
from sbu.org.tokens import SCOPES
from sbu.web.forms import WEEKDAYS
from sbu.web.labels import KIND_LABELS, SCOPE_LABELS, WEEKDAY_LABELS
from sbu.web.locales import load_translations


def test_every_kind_weekday_and_scope_has_a_label() -> None:
    assert set(KIND_LABELS) == set(DEPARTMENT_KINDS)
    assert tuple(WEEKDAY_LABELS) == WEEKDAYS == SERVICE_WEEKDAYS
    assert tuple(SCOPE_LABELS) == SCOPES


def test_labels_are_translated() -> None:
    french = load_translations()["fr"]
    for label in (*KIND_LABELS.values(), *WEEKDAY_LABELS.values(), *SCOPE_LABELS.values()):
        assert french.gettext(label) != label or label in {
            "Marketing",
            "Finance",
            "Social Business Unit",
        }, label
