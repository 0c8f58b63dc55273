"""How well the ingest's duplicate detection does on the demo, measured against its truth.

The demo knows which posts are intentional copies and reposts (``copy_of`` in the scenario
truth). :func:`duplicate_quality` compares that with what the ingest flagged: the share of
intentional copies it flagged (recall) and the share of the other posts it flagged anyway
(false flags: unrelated posts that look too alike). docs/demo.md reports the measured values.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from sbu.listening.models import Mention


@dataclass(slots=True)
class DuplicateQuality:
    posts: int = 0
    #: Intentional copies and reposts whose original was collected too (a copy of a post made
    #: before the history began cannot be linked to it).
    copies: int = 0
    copies_flagged: int = 0
    copies_without_original: int = 0
    others: int = 0
    others_flagged: int = 0
    #: Kinds of the other posts that were flagged, most frequent first.
    false_by_kind: Counter[str] = field(default_factory=Counter)

    @property
    def recall(self) -> float:
        return self.copies_flagged / self.copies if self.copies else 1.0

    @property
    def false_rate(self) -> float:
        return self.others_flagged / self.others if self.others else 0.0

    def describe(self) -> str:
        return (
            f"{self.posts:,} demo posts: {self.copies_flagged:,} of {self.copies:,} intentional "
            f"copies and reposts flagged ({self.recall:.1%}; {self.copies_without_original:,} more "
            f"copy posts made before the history began); {self.others_flagged:,} of "
            f"{self.others:,} other posts flagged anyway ({self.false_rate:.2%})."
        )


def duplicate_quality(session: Session) -> DuplicateQuality:
    """Compare the ingest's duplicate flags on demo mentions with the scenario truth."""
    quality = DuplicateQuality()
    rows = session.execute(
        select(
            Mention.platform, Mention.external_id, Mention.duplicate_kind, Mention.annotations
        ).where(Mention.annotations.is_not(None))
    ).all()
    stored = {(platform, external_id) for platform, external_id, _, _ in rows}
    for _, _, kind, labels in rows:
        truth = (labels or {}).get("scenario")
        if not truth:
            continue
        quality.posts += 1
        original = truth.get("copy_of")
        if original:
            if (original.get("platform"), original.get("external_id")) not in stored:
                quality.copies_without_original += 1
                continue
            quality.copies += 1
            quality.copies_flagged += kind is not None
        else:
            quality.others += 1
            if kind is not None:
                quality.others_flagged += 1
                quality.false_by_kind[str(truth.get("kind"))] += 1
    return quality
