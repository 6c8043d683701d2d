"""The facilitator's side: the review queue, moderation and merging duplicates.

Facilitators act on content, never on people: nothing here tells them who wrote what, and
audit entries name the content, not its author.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.audit.services import record
from credgroup.errors import ValidationError
from credgroup.extensions import db
from credgroup.groups.access import get_visible_group, require_facilitator
from credgroup.reports import signals
from credgroup.reports.anonymise import today
from credgroup.reports.enums import ConfirmationKind, ContributionState
from credgroup.reports.inputs import LIMITS, SCRUBBED_FIELDS
from credgroup.reports.models import Report, ReportComment, ReportConfirmation

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

MAX_NOTE = 4_000


@dataclass
class ReviewQueue:
    group: CreditGroup
    reports: list[Report]
    comments: list[ReportComment]

    @property
    def size(self) -> int:
        return len(self.reports) + len(self.comments)


def review_queue(viewer: User, group_slug: str) -> ReviewQueue:
    """Reports and comments waiting for the facilitator, oldest first."""
    group = get_visible_group(viewer, group_slug)
    require_facilitator(viewer, group)
    reports = db.session.scalars(
        sa.select(Report)
        .where(Report.group_id == group.id, Report.state == ContributionState.IN_REVIEW)
        .options(selectinload(Report.portal))
        .order_by(Report.updated_on, Report.id)
    )
    comments = db.session.scalars(
        sa.select(ReportComment)
        .join(Report)
        .where(Report.group_id == group.id, ReportComment.state == ContributionState.IN_REVIEW)
        .options(selectinload(ReportComment.report).selectinload(Report.portal))
        .order_by(ReportComment.posted_on, ReportComment.id)
    )
    return ReviewQueue(group, list(reports), list(comments))


def review_queue_size(group: CreditGroup) -> int:
    """How many reports and comments wait in the group's queue (for the navigation, on
    every page a facilitator opens: counted, not loaded). Callers check the viewer."""
    waiting = ContributionState.IN_REVIEW
    reports = sa.select(sa.func.count(Report.id)).where(
        Report.group_id == group.id, Report.state == waiting
    )
    comments = (
        sa.select(sa.func.count(ReportComment.id))
        .join(Report)
        .where(Report.group_id == group.id, ReportComment.state == waiting)
    )
    return (db.session.scalar(reports) or 0) + (db.session.scalar(comments) or 0)


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > MAX_NOTE:
        raise ValidationError("note", f"At most {MAX_NOTE:,} characters.")
    return note


def _label(report: Report) -> str:
    return f"{report.public_id} {report.title}"


def _edit_texts(report: Report, edits: Mapping[str, Any]) -> list[str]:
    changed = []
    for name in SCRUBBED_FIELDS:
        if name not in edits or edits[name] is None:
            continue
        value = str(edits[name]).replace("\r\n", "\n").strip()
        if name == "title" and len(value) < 5:
            raise ValidationError("title", "Give a title of at least 5 characters.")
        if len(value) > LIMITS[name]:
            raise ValidationError(name, f"At most {LIMITS[name]:,} characters.")
        if value != getattr(report, name):
            setattr(report, name, value)
            changed.append(name)
    return changed


def approve_report(
    viewer: User, report: Report, *, edits: Mapping[str, Any] | None = None, note: str = ""
) -> Report:
    """Publish a report from the queue, optionally after editing or redacting its text."""
    require_facilitator(viewer, report.group)
    if report.state is not ContributionState.IN_REVIEW:
        raise ValidationError(None, "This report is not waiting for review.")
    changed = _edit_texts(report, edits or {})
    report.state, report.review_flags = ContributionState.PUBLISHED, []
    report.published_on = report.published_on or today()
    report.facilitator_note = _clean_note(note)
    db.session.flush()
    record(
        viewer,
        "report.approve",
        target_type="report",
        target_label=_label(report),
        group=report.group,
        edited_fields=changed,
    )
    signals.report_published.send(report)
    if report.facilitator_note:
        signals.facilitator_note_left.send(report)
    return report


def reject_report(viewer: User, report: Report, *, note: str) -> Report:
    """Keep a report unpublished; the note reaches the author on their "my reports" page."""
    require_facilitator(viewer, report.group)
    note = _clean_note(note)
    if not note:
        raise ValidationError("note", "Tell the author why, so they can reword it.")
    was_published = report.state is ContributionState.PUBLISHED
    report.state, report.facilitator_note = ContributionState.REJECTED, note
    db.session.flush()
    record(
        viewer,
        "report.reject",
        target_type="report",
        target_label=_label(report),
        group=report.group,
    )
    if was_published:
        signals.report_removed.send(report)
    signals.facilitator_note_left.send(report)
    return report


def moderate_report(viewer: User, report: Report, *, edits: Mapping[str, Any], note: str = ""):
    """Edit or redact a published report's text (for example a name that slipped through)."""
    require_facilitator(viewer, report.group)
    changed = _edit_texts(report, edits)
    if not changed:
        raise ValidationError(None, "Nothing was changed.")
    report.updated_on = today()
    report.facilitator_note = _clean_note(note) or report.facilitator_note
    db.session.flush()
    record(
        viewer,
        "report.moderate",
        target_type="report",
        target_label=_label(report),
        group=report.group,
        edited_fields=changed,
    )
    signals.report_changed.send(report)
    return report


def approve_comment(viewer: User, comment: ReportComment, *, body: str | None = None):
    require_facilitator(viewer, comment.report.group)
    if comment.state is not ContributionState.IN_REVIEW:
        raise ValidationError(None, "This comment is not waiting for review.")
    if body is not None:
        comment.body = _checked_comment_body(body)
    comment.state, comment.review_flags = ContributionState.PUBLISHED, []
    db.session.flush()
    record(
        viewer,
        "comment.approve",
        target_type="comment",
        target_label=f"on {_label(comment.report)}",
        group=comment.report.group,
    )
    signals.report_changed.send(comment.report)
    return comment


def _checked_comment_body(body: str) -> str:
    body = (body or "").strip()
    if not body or len(body) > 10_000:
        raise ValidationError("body", "A comment has 1 to 10,000 characters.")
    return body


def reject_comment(viewer: User, comment: ReportComment, *, note: str) -> ReportComment:
    require_facilitator(viewer, comment.report.group)
    note = _clean_note(note)
    if not note:
        raise ValidationError("note", "Tell the author why, so they can reword it.")
    comment.state, comment.facilitator_note, comment.is_workaround = (
        ContributionState.REJECTED,
        note,
        False,
    )
    db.session.flush()
    record(
        viewer,
        "comment.reject",
        target_type="comment",
        target_label=f"on {_label(comment.report)}",
        group=comment.report.group,
    )
    signals.facilitator_note_left.send(comment)
    return comment


def merge_reports(viewer: User, duplicate: Report, target: Report) -> Report:
    """Fold a duplicate into the report it repeats. Confirmations carry over (one per
    company), and the duplicate's company counts as having hit the problem too."""
    require_facilitator(viewer, duplicate.group)
    if duplicate.id == target.id or duplicate.group_id != target.group_id:
        raise ValidationError("target", "Choose another report of the same group.")
    if target.state is not ContributionState.PUBLISHED:
        raise ValidationError("target", "Merge into a published report.")
    if duplicate.state is not ContributionState.PUBLISHED:
        raise ValidationError(None, "Only published reports can be merged.")
    _carry_confirmations(duplicate, target)
    duplicate.state, duplicate.merged_into = ContributionState.MERGED, target
    duplicate.updated_on = today()
    db.session.flush()
    record(
        viewer,
        "report.merge",
        target_type="report",
        target_label=f"{duplicate.public_id} -> {target.public_id}",
        group=target.group,
    )
    signals.report_removed.send(duplicate)
    signals.report_changed.send(target)
    return target


def _carry_confirmations(duplicate: Report, target: Report) -> None:
    have = {(c.company_pseudonym, c.kind) for c in target.confirmations}
    have.add((target.company_pseudonym, ConfirmationKind.HIT_TOO))
    carried = [
        (c.company_pseudonym, c.author_pseudonym, c.kind, c.confirmed_on)
        for c in duplicate.confirmations
    ]
    carried.append(
        (
            duplicate.company_pseudonym,
            duplicate.author_pseudonym,
            ConfirmationKind.HIT_TOO,
            duplicate.published_on or today(),
        )
    )
    for company, person, kind, on in carried:
        if (company, kind) in have:
            continue
        have.add((company, kind))
        db.session.add(
            ReportConfirmation(
                report=target,
                kind=kind,
                company_pseudonym=company,
                author_pseudonym=person,
                confirmed_on=on,
            )
        )
