"""Trend reports frozen onto upcoming agendas by the worker alone.

Every meeting that is not cancelled or held and starts within ``TRENDS_SNAPSHOT_DAYS_BEFORE``
days gets its group's trend report frozen (``trends.service.freeze_meeting_snapshot``) and
put on its agenda as a "trend report" item. Once per meeting: the snapshot's unique meeting
id lets one insert win however many workers or reruns try, and only the one that froze it
adds the agenda item. A meeting that already has a snapshot (the facilitator froze one, or
froze one and took it off the agenda again) is left as it is.

A group with fewer member companies than its threshold k still gets its snapshot: the
frozen report holds the explanation instead of figures, and the agenda shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.meetings.agenda import attach_frozen_trend_report
from credgroup.meetings.meetings import ACTIVE
from credgroup.meetings.models import Meeting
from credgroup.trends.models import TrendSnapshot
from credgroup.trends.periods import Quarter
from credgroup.trends.service import freeze_meeting_snapshot

# The snapshot covers the last two whole calendar quarters before the day it is frozen.
# Whole quarters, because figures are published per quarter only and a frozen whole quarter
# is exactly what the live report of that quarter shows, so nothing can be learnt by
# subtracting one from the other (a part-quarter frozen on one day and read again later
# would give away what was reported in between), and because a part-quarter reads low and
# would make "rising" look like falling. Two of them, so the report shows which way each
# portal and problem went quarter on quarter, six months in its monthly line, and rising
# problems against the half-year before; a monthly or quarterly group sees the latest whole
# quarter in it at every meeting.
SNAPSHOT_QUARTERS = 2


def snapshot_quarters(today: date) -> tuple[Quarter, Quarter]:
    """First and last quarter of a snapshot frozen on ``today``."""
    last = Quarter.of(today).shift(-1)
    return last.shift(-(SNAPSHOT_QUARTERS - 1)), last


def due_meetings(now: datetime, days_before: int) -> list[Meeting]:
    """Meetings starting within ``days_before`` days that have no snapshot yet, soonest
    first (drafts included: the facilitator prepares the agenda before publishing it)."""
    has_snapshot = sa.exists().where(TrendSnapshot.meeting_id == Meeting.id)
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .where(
                Meeting.status.in_(ACTIVE),
                Meeting.starts_at > now,
                Meeting.starts_at <= now + timedelta(days=days_before),
                ~has_snapshot,
            )
            .order_by(Meeting.starts_at, Meeting.id)
        )
    )


@dataclass
class SnapshotRun:
    """What one run did, for the worker's log (counts only: nothing about anyone)."""

    attached: int = 0
    without_figures: list[str] = field(default_factory=list)  # meeting public ids
    taken_elsewhere: int = 0  # another worker froze them first

    def __str__(self) -> str:
        text = f"trend report frozen onto {self.attached} agenda{'' if self.attached == 1 else 's'}"
        if self.without_figures:
            text += (
                f"; {len(self.without_figures)} of them for a group below its threshold "
                "(the explanation instead of figures)"
            )
        if self.taken_elsewhere:
            text += f"; {self.taken_elsewhere} already done by another worker"
        return text


def freeze_due_trend_reports(now: datetime, days_before: int) -> SnapshotRun:
    """Freeze and attach the trend report of every meeting that is due (the caller commits)."""
    run = SnapshotRun()
    first, last = snapshot_quarters(now.date())
    for meeting in due_meetings(now, days_before):
        frozen = freeze_meeting_snapshot(
            meeting.group, first.start, last.end, meeting_id=meeting.id
        )
        if not frozen.created:
            run.taken_elsewhere += 1
            continue
        payload = frozen.snapshot.payload
        attach_frozen_trend_report(meeting, frozen.snapshot.public_id, payload["period"]["label"])
        run.attached += 1
        if not payload["available"]:
            run.without_figures.append(meeting.public_id)
    return run
