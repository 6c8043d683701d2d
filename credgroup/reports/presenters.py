"""What a report looks like to someone else: the ONE place that decides which fields leave
the server, for the pages, the JSON API and exports alike.

No pseudonym, user, company or internal id is ever put in these dictionaries. People appear
only as the labels of ``credgroup.anonymity.labels``; dates are calendar days, the incident
a month.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from credgroup.anonymity.labels import REPORTER, participant_labels
from credgroup.groups.models import CustomerNaming
from credgroup.reports.discussion import (
    confirmation_counts,
    confirmation_counts_of,
    questions_for,
)
from credgroup.reports.enums import ConfirmationKind, ContributionState
from credgroup.reports.identity import contributor

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.reports.models import Report, ReportComment, ReportQuestion


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _month(value: date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _key(member) -> str | None:
    return member.value if member is not None else None


def buyer_fields(report: Report) -> dict[str, str]:
    """The customer as the group's policy allows *now* (a stricter policy hides old names)."""
    policy = report.group.customer_naming
    name = report.buyer_name if policy is CustomerNaming.NAMED else ""
    industry = report.buyer_industry if policy is not CustomerNaming.NOT_NAMED else ""
    return {"buyer_name": name, "buyer_industry": industry}


def report_summary(report: Report, counts: dict | None = None) -> dict[str, Any]:
    """Fields for lists, exports and the API's list endpoint."""
    counts = counts if counts is not None else confirmation_counts(report)
    return {
        "id": report.public_id,
        "group": report.group.slug,
        "title": report.title,
        "portal": {"slug": report.portal.slug, "name": report.portal.name},
        **buyer_fields(report),
        "category": report.category.value,
        "category_label": report.category.label,
        "channel": _key(report.channel),
        "invoices_band": _key(report.invoices_band),
        "amount_band": _key(report.amount_band),
        "fee_kind": _key(report.fee_kind),
        "fee_size_band": _key(report.fee_size_band),
        "incident_month": _month(report.incident_month),
        "status": report.status.value,
        "status_label": report.status.label,
        "state": report.state.value,
        "published_on": _day(report.published_on),
        "hit_too": counts.get(ConfirmationKind.HIT_TOO, 0),
        "workaround_worked": counts.get(ConfirmationKind.WORKAROUND_WORKED, 0),
        "has_workaround": bool(report.workaround),
    }


def report_summaries(reports: list[Report]) -> list[dict[str, Any]]:
    """``report_summary`` of each report, their confirmations counted in one query."""
    counts = confirmation_counts_of([r.id for r in reports])
    return [report_summary(r, counts.get(r.id, {})) for r in reports]


def discussion_labels(report: Report) -> dict[str, str]:
    comments = [c for c in report.comments if c.state is ContributionState.PUBLISHED]
    return participant_labels(
        report.author_pseudonym,
        [c.author_pseudonym for c in comments],
        staff=[c.author_pseudonym for c in comments if c.by_staff],
    )


def comment_view(comment: ReportComment, labels: dict[str, str], me: str) -> dict[str, Any]:
    return {
        "id": comment.public_id,
        "author": labels.get(comment.author_pseudonym, "Member"),
        "is_mine": comment.author_pseudonym == me,
        "body": comment.body,
        "is_workaround": comment.is_workaround,
        "posted_on": _day(comment.posted_on),
    }


def question_view(question: ReportQuestion, me: str, reporter: bool) -> dict[str, Any]:
    return {
        "id": question.public_id,
        "asked_by": "Facilitator" if question.by_staff else "A member",
        "is_mine": question.asker_pseudonym == me,
        "body": question.body,
        "asked_on": _day(question.asked_on),
        "answer": question.answer or None,
        "answered_on": _day(question.answered_on),
        "shared_with_group": question.answer_public,
        "can_answer": reporter and not question.answered_on,
    }


def report_detail(viewer: User, report: Report) -> dict[str, Any]:
    """Everything the viewer may see about one report, with their own relation to it."""
    me = contributor(viewer, report.group_id)
    is_reporter = me.person == report.author_pseudonym
    labels = discussion_labels(report)
    mine_confirmed = {
        c.kind.value
        for c in report.confirmations
        if me.company and c.company_pseudonym == me.company
    }
    # The confirmations are loaded for the viewer's own anyway: count them here too.
    counts = dict.fromkeys(ConfirmationKind, 0)
    for confirmation in report.confirmations:
        counts[confirmation.kind] += 1
    detail = report_summary(report, counts)
    detail.update(
        body=report.body,
        error_message=report.error_message,
        workaround=report.workaround,
        redactions=report.redactions or {},
        merged_into=report.merged_into.public_id if report.merged_into else None,
        comments=[
            comment_view(c, labels, me.person)
            for c in report.comments
            if c.state is ContributionState.PUBLISHED
        ],
        questions=[question_view(q, me.person, is_reporter) for q in questions_for(viewer, report)],
        viewer={
            "is_reporter": is_reporter,
            "label": REPORTER if is_reporter else labels.get(me.person),
            "company_confirmed": sorted(mine_confirmed),
            "same_company_as_reporter": bool(me.company) and me.company == report.company_pseudonym,
        },
    )
    if is_reporter:
        detail["facilitator_note"] = report.facilitator_note or None
        detail["review_flags"] = report.review_flags or []
    return detail
