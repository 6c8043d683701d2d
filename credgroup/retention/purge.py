"""Purging reports nobody has touched for the association's retention period.

What goes, per report: the report, its comments, questions and answers, confirmations,
digest items and links to knowledge-base articles. The search index drops it through the
outbox (``report_removed``), in the same transaction. What stays, by design:

- frozen trend snapshots: their payload is the already-suppressed figures exactly as
  shown at a meeting, which no purge may rewrite;
- articles written from a report (the association's knowledge, not the report's text);
- agenda items and agenda proposals that pointed at the report keep their own title and
  text; only the link goes (their foreign keys say ``SET NULL``).

Live trend reports are computed from the reports that remain, so a period older than the
retention shows fewer reports after a purge; frozen snapshots do not move.

Each batch is one transaction, and the audit event of the run is updated in it, so a
crash halfway leaves a consistent database and an honest log. Running again is harmless:
whatever is still older than the cut-off goes, nothing else.
"""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from credgroup.audit.models import AuditEvent
from credgroup.audit.services import record
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.kb.models import ArticleReportLink
from credgroup.meetings.models import AgendaItem, ItemSubmission
from credgroup.reports import signals
from credgroup.reports.models import (
    DigestItem,
    Report,
    ReportComment,
    ReportConfirmation,
    ReportQuestion,
)

BATCH = 500
# One run purges at most this many batches, so a first run over years of reports does not
# hold the worker's database connection for long; the next run carries on.
MAX_BATCHES = 40
ACTION = "reports.purged_by_retention"
ACTOR_LABEL = "worker (report retention)"
# Rows that belong to a report and go with it.
OWNED_BY_REPORT = (ReportComment, ReportConfirmation, ReportQuestion, DigestItem, ArticleReportLink)
# Rows that point at a report but are someone else's: they keep their text, lose the link.
POINTING_AT_REPORT = (AgendaItem, ItemSubmission)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier (the month's last day if shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _active_since(cutoff: date) -> list[sa.ColumnElement[bool]]:
    """Anything that happened to a report on or after ``cutoff`` keeps it."""
    return [
        sa.exists().where(ReportComment.report_id == Report.id, ReportComment.posted_on >= cutoff),
        sa.exists().where(
            ReportConfirmation.report_id == Report.id, ReportConfirmation.confirmed_on >= cutoff
        ),
        sa.exists().where(
            ReportQuestion.report_id == Report.id,
            sa.or_(ReportQuestion.asked_on >= cutoff, ReportQuestion.answered_on >= cutoff),
        ),
    ]


def inactive_before(cutoff: date) -> sa.ColumnElement[bool]:
    """Reports with no activity at all on or after ``cutoff``."""
    return sa.and_(
        Report.created_on < cutoff,
        Report.updated_on < cutoff,
        sa.func.coalesce(Report.published_on, Report.created_on) < cutoff,
        sa.func.coalesce(Report.status_changed_on, Report.created_on) < cutoff,
        *(sa.not_(active) for active in _active_since(cutoff)),
    )


def count_expired(months: int, today: date) -> int:
    """How many reports a purge with ``months`` would remove today (for the settings page)."""
    cutoff = months_before(today, months)
    query = sa.select(sa.func.count(Report.id)).where(inactive_before(cutoff))
    return db.session.scalar(query) or 0


@dataclass
class PurgeResult:
    cutoff: date | None = None
    reports: int = 0
    by_group: Counter[int] = field(default_factory=Counter)
    more: bool = False  # stopped at MAX_BATCHES: the next run goes on

    def __str__(self) -> str:
        if self.cutoff is None:
            return "retention not set; nothing purged"
        rest = "; more next run" if self.more else ""
        noun = "report" if self.reports == 1 else "reports"
        return f"purged {self.reports} {noun} inactive since before {self.cutoff}{rest}"


def purge_expired(
    months: int, today: date, *, batch: int = BATCH, max_batches: int = MAX_BATCHES
) -> PurgeResult:
    """Purge reports with no activity for ``months`` months, one committed batch at a time."""
    result = PurgeResult(cutoff=months_before(today, months))
    event: AuditEvent | None = None
    for _ in range(max_batches):
        ids = _next_batch(result.cutoff, batch)
        if not ids:
            db.session.rollback()
            return result
        _purge_batch(ids, result)
        event = _audit(event, result, months)
        db.session.commit()
    result.more = bool(_next_batch(result.cutoff, 1))
    db.session.rollback()
    return result


def _next_batch(cutoff: date, limit: int) -> list[int]:
    query = sa.select(Report.id).where(inactive_before(cutoff)).order_by(Report.id).limit(limit)
    return list(db.session.scalars(query))


def _purge_batch(ids: list[int], result: PurgeResult) -> None:
    reports = list(db.session.scalars(sa.select(Report).where(Report.id.in_(ids))))
    for report in reports:
        # The search listener queues the index deletion in this transaction.
        signals.report_removed.send(report)
        result.by_group[report.group_id] += 1
    db.session.flush()
    for model in OWNED_BY_REPORT:
        _execute(sa.delete(model).where(model.report_id.in_(ids)))
    for model in POINTING_AT_REPORT:
        _execute(sa.update(model).where(model.report_id.in_(ids)).values(report_id=None))
    _execute(sa.update(Report).where(Report.merged_into_id.in_(ids)).values(merged_into_id=None))
    _execute(sa.delete(Report).where(Report.id.in_(ids)))
    for report in reports:
        db.session.expunge(report)
    result.reports += len(reports)


def _execute(statement: sa.Executable) -> None:
    # Core statements: SQLite does not enforce ON DELETE here, so every table is explicit.
    db.session.execute(statement.execution_options(synchronize_session=False))


def _audit(event: AuditEvent | None, result: PurgeResult, months: int) -> AuditEvent:
    """One event per run, rewritten in each batch's transaction: the log always matches
    what was committed. Counts per group only: nothing about any report's author."""
    rows = db.session.execute(
        sa.select(CreditGroup.id, CreditGroup.name).where(CreditGroup.id.in_(result.by_group))
    )
    names = {group_id: name for group_id, name in rows}
    details = {
        "months": months,
        "inactive_before": result.cutoff.isoformat(),
        "reports": result.reports,
        "by_group": {names.get(gid, str(gid)): n for gid, n in sorted(result.by_group.items())},
    }
    if event is None:
        event = record(None, ACTION, target_type="reports", target_label="Inactive reports")
        event.actor_label = ACTOR_LABEL
    event.details = details
    return event
