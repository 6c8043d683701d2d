"""What a "trend report" agenda item shows of the snapshot it carries: the period, when it
was frozen, the headline figure, or why a small group has no figures.

Only the meeting's own group's snapshot is ever shown: ``trend_report_ref`` is text a
facilitator can set, and another group's snapshot id must not bring that group's figures
onto this agenda.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from credgroup.meetings.models import AgendaItem, ItemKind
from credgroup.trends import service as trends
from credgroup.trends.models import TrendSnapshot


@dataclass(frozen=True)
class TrendSummary:
    """The frozen report an agenda item points at, in a few words (all published figures)."""

    snapshot_id: str
    period_label: str
    frozen_at: datetime
    available: bool
    explanation: str | None  # why there are no figures (a group below its threshold)
    new_reports: dict[str, Any]  # {"value": int | None, "companies": int | None}
    hidden_label: str  # how a hidden figure reads: "fewer than k"

    @property
    def new_reports_text(self) -> str:
        value, companies = self.new_reports["value"], self.new_reports["companies"]
        if value is None:
            return self.hidden_label
        return f"{value} ({companies} member compan{'y' if companies == 1 else 'ies'})"

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.snapshot_id,
            "period": self.period_label,
            "frozen_at": self.frozen_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "available": self.available,
            "explanation": self.explanation,
            "new_reports": dict(self.new_reports),
        }


def item_snapshot(item: AgendaItem) -> TrendSnapshot | None:
    """The snapshot of the meeting's group that a trend-report item names, if any."""
    if item.kind is not ItemKind.TREND_REPORT or not item.trend_report_ref:
        return None
    return trends.group_snapshot(item.meeting.group_id, item.trend_report_ref)


def summarise(snapshot: TrendSnapshot) -> TrendSummary:
    payload = trends.snapshot_payload(snapshot)
    return TrendSummary(
        snapshot_id=snapshot.public_id,
        period_label=payload["period"]["label"],
        frozen_at=snapshot.generated_on,
        available=bool(payload["available"]),
        explanation=payload.get("explanation"),
        new_reports=payload["summary"]["new_reports"],
        hidden_label=payload["hidden_label"],
    )


def item_summary(item: AgendaItem) -> TrendSummary | None:
    snapshot = item_snapshot(item)
    return summarise(snapshot) if snapshot is not None else None
