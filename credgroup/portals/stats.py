"""What the viewer's groups know about one portal: its open reports and how many reports
each problem category has, with small counts suppressed.

Company pseudonyms are scoped to a group, so the same company has different pseudonyms in
two groups. Counting distinct companies across groups would count it twice and let a cell
through too early; every count here is therefore one group's cell, judged against that
group's own anonymity threshold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
    ProblemCategory,
    ReportStatus,
)
from credgroup.reports.models import Report, ReportConfirmation
from credgroup.reports.presenters import report_summary

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup
    from credgroup.portals.models import Portal

OPEN_STATUSES = (ReportStatus.OPEN, ReportStatus.WORKAROUND_FOUND)


def disclosed_count(reports: int, companies: int, threshold: int) -> int | None:
    """The number of reports in a cell, or None when fewer than ``threshold`` distinct member
    companies stand behind it: a small count points at its reporters."""
    if companies < threshold or reports <= 0:
        return None
    return reports


@dataclass(frozen=True)
class CategoryCount:
    category: ProblemCategory
    reports: int | None  # None: suppressed, fewer than the threshold of companies


@dataclass(frozen=True)
class GroupCategoryCounts:
    group: CreditGroup
    threshold: int
    cells: list[CategoryCount]


def category_counts(viewer: User, portal: Portal) -> list[GroupCategoryCounts]:
    """Published reports about the portal per category, for each group the viewer sees.
    One grouped query for all groups; every cell goes through ``disclosed_count``."""
    groups = visible_groups(viewer)
    if not groups:
        return []
    rows = db.session.execute(
        sa.select(
            Report.group_id,
            Report.category,
            sa.func.count(Report.id),
            sa.func.count(sa.distinct(Report.company_pseudonym)),
        )
        .where(
            Report.portal_id == portal.id,
            Report.state == ContributionState.PUBLISHED,
            Report.group_id.in_([g.id for g in groups]),
        )
        .group_by(Report.group_id, Report.category)
    ).all()
    found = {(group_id, category): (n, companies) for group_id, category, n, companies in rows}
    return [
        GroupCategoryCounts(
            group=group,
            threshold=group.anonymity_threshold,
            cells=[
                CategoryCount(
                    category,
                    disclosed_count(
                        *found.get((group.id, category), (0, 0)), group.anonymity_threshold
                    ),
                )
                for category in ProblemCategory
            ],
        )
        for group in groups
    ]


def open_reports(viewer: User, portal: Portal) -> list[dict[str, Any]]:
    """Published reports about the portal that are still open (or have a workaround), in the
    viewer's groups, newest first, as the presenter shows them."""
    group_ids = [g.id for g in visible_groups(viewer)]
    if not group_ids:
        return []
    reports = list(
        db.session.scalars(
            sa.select(Report)
            .where(
                Report.portal_id == portal.id,
                Report.state == ContributionState.PUBLISHED,
                Report.status.in_(OPEN_STATUSES),
                Report.group_id.in_(group_ids),
            )
            .options(selectinload(Report.group), selectinload(Report.portal))
            .order_by(Report.published_on.desc(), Report.id.desc())
        )
    )
    counts = _confirmation_counts([r.id for r in reports])
    return [report_summary(r, counts.get(r.id, {})) for r in reports]


def _confirmation_counts(report_ids: list[int]) -> dict[int, dict[ConfirmationKind, int]]:
    """Confirmation counts for many reports in one query (the presenter's own helper asks
    once per report)."""
    if not report_ids:
        return {}
    rows = db.session.execute(
        sa.select(ReportConfirmation.report_id, ReportConfirmation.kind, sa.func.count())
        .where(ReportConfirmation.report_id.in_(report_ids))
        .group_by(ReportConfirmation.report_id, ReportConfirmation.kind)
    ).all()
    counts: dict[int, dict[ConfirmationKind, int]] = {}
    for report_id, kind, n in rows:
        counts.setdefault(report_id, {})[kind] = n
    return counts


def report_counts_by_portal() -> dict[int, int]:
    """How many reports (in any state, any group) name each portal: what a merge would move.
    For the admins' catalogue page; says nothing about who reported."""
    rows = db.session.execute(
        sa.select(Report.portal_id, sa.func.count(Report.id)).group_by(Report.portal_id)
    ).all()
    return {portal_id: n for portal_id, n in rows}
