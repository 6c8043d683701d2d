"""Load the demo reports (``credgroup/demo/report_data.py``) through the reports services.

Reports, comments, confirmations and questions are written by the same services members
use, acting as the demo person, so pseudonyms, scrubbing, the wording check and signals all
behave as for real data. The services stamp today's date; afterwards this module moves each
row's dates into the past as the data says, directly on the rows (demo data only).

A report is identified by (group slug, title): one already there, whatever happened to it
since, is left alone, so loading twice changes nothing. The caller commits.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa

from credgroup.accounts.models import User
from credgroup.demo.report_data import (
    REPORTS,
    DemoComment,
    DemoConfirmation,
    DemoQuestion,
    DemoReport,
    Stage,
)
from credgroup.extensions import db
from credgroup.groups.models import CreditGroup
from credgroup.portals.services import seed_catalogue
from credgroup.reports import authoring, discussion
from credgroup.reports.anonymise import month_of, today
from credgroup.reports.enums import ReportStatus
from credgroup.reports.models import Report


def ensure_reports(created: Counter[str]) -> None:
    """Seed the portal catalogue, then add the demo reports that are missing."""
    created["portals"] += seed_catalogue()
    for spec in REPORTS:
        group = _group(spec.group)
        if _find_report(group, spec.title) is None:
            _create(spec, group, created)


def _group(slug: str) -> CreditGroup:
    return db.session.execute(sa.select(CreditGroup).where(CreditGroup.slug == slug)).scalar_one()


def _person(email: str) -> User:
    return db.session.execute(sa.select(User).where(User.email == email)).scalar_one()


def _find_report(group: CreditGroup, title: str) -> Report | None:
    return db.session.scalar(
        sa.select(Report).where(Report.group_id == group.id, Report.title == title).limit(1)
    )


def _months_before(day: date, months: int) -> date:
    month = month_of(day)
    for _ in range(months):
        month = month_of(month - timedelta(days=1))
    return month


def payload(spec: DemoReport) -> dict[str, Any]:
    """The report as a member's form would submit it."""
    published = today() - timedelta(days=spec.days_ago)
    incident = _months_before(published, spec.incident_months_before)
    fields: dict[str, Any] = {
        "portal": spec.portal,
        "category": spec.category.value,
        "title": spec.title,
        "body": spec.body,
        "error_message": spec.error_message,
        "workaround": spec.workaround,
        "buyer_name": spec.buyer_name,
        "buyer_industry": spec.buyer_industry,
        "incident_month": incident.strftime("%Y-%m"),
        "status": spec.status.value,
    }
    optional = {
        "channel": spec.channel,
        "invoices_band": spec.invoices,
        "amount_band": spec.amount,
        "fee_kind": spec.fee_kind,
        "fee_size_band": spec.fee_size,
    }
    fields.update({name: member.value for name, member in optional.items() if member})
    return fields


def _create(spec: DemoReport, group: CreditGroup, created: Counter[str]) -> None:
    author = _person(spec.author)
    day = today() - timedelta(days=spec.days_ago)
    if spec.stage is Stage.DRAFT:
        report = authoring.save_draft(author, group, payload(spec))
        report.created_on, report.updated_on = day - timedelta(days=2), day
        created["draft reports"] += 1
        return
    report = authoring.publish_report(
        author, group, payload(spec), send_to_review=spec.stage is Stage.REVIEW
    )
    if spec.stage is Stage.REVIEW:
        report.created_on = report.updated_on = day
        created["reports waiting for review"] += 1
        return
    report.created_on = day - timedelta(days=1)  # written the day before posting
    report.published_on = report.updated_on = day
    if spec.status is not ReportStatus.OPEN:
        report.status_changed_on = _after(day, spec.status_days_after)
    created["reports"] += 1
    for comment in spec.comments:
        _add_comment(report, author, comment, day)
        created["comments"] += 1
    for confirmation in spec.confirmations:
        _add_confirmation(report, confirmation, day)
        created["confirmations"] += 1
    for question in spec.questions:
        _add_question(report, author, question, day)
        created["questions"] += 1
    report.updated_on = max(day, report.status_changed_on or day)
    db.session.flush()


def _after(day: date, days: int) -> date:
    """A later day, but never in the future."""
    return min(day + timedelta(days=days), today())


def _add_comment(report: Report, reporter: User, spec: DemoComment, day: date) -> None:
    comment = discussion.post_comment(_person(spec.author), report, spec.body)
    comment.posted_on = _after(day, spec.days_after)
    if spec.workaround:
        discussion.mark_workaround(reporter, report, comment)
        report.status_changed_on = comment.posted_on  # the reporter marked it that day


def _add_confirmation(report: Report, spec: DemoConfirmation, day: date) -> None:
    confirmation = discussion.confirm(_person(spec.by), report, spec.kind)
    confirmation.confirmed_on = _after(day, spec.days_after)


def _add_question(report: Report, reporter: User, spec: DemoQuestion, day: date) -> None:
    question = discussion.ask_reporter(_person(spec.asker), report, spec.body)
    question.asked_on = _after(day, spec.days_after)
    if spec.answer:
        discussion.answer_question(reporter, question, spec.answer, share_with_group=spec.shared)
        question.answered_on = _after(question.asked_on, spec.answer_days_later)
