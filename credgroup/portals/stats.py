"""What the viewer's groups know about one portal: its open reports and how many reports
each problem category has, with small counts suppressed.

Company pseudonyms are scoped to a group, so the same company has different pseudonyms in
two groups. Counting distinct companies across groups would count it twice and let a cell
through too early; every count here is therefore one group's cell, judged against that
group's own anonymity threshold.

The counts are the current quarter's figures of each group's trend report, suppressed by
``credgroup.trends.disclosure`` (the one place that decides what aggregates may show), so
the portal page and the trend report cannot be compared to give away a hidden figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import immediateload

from credgroup.extensions import db
from credgroup.groups.access import visible_groups
from credgroup.reports.anonymise import today
from credgroup.reports.enums import (
    ContributionState,
    ProblemCategory,
    ReportStatus,
)
from credgroup.reports.models import Report
from credgroup.reports.presenters import report_summaries
from credgroup.trends.disclosure import disclosed_count  # noqa: F401  (the one rule, re-exported)
from credgroup.trends.portal_figures import portal_figures

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup
    from credgroup.portals.models import Portal

OPEN_STATUSES = (ReportStatus.OPEN, ReportStatus.WORKAROUND_FOUND)


@dataclass(frozen=True)
class CategoryCount:
    category: ProblemCategory
    reports: int | None  # None: suppressed, fewer than the threshold of companies


@dataclass(frozen=True)
class GroupCategoryCounts:
    group: CreditGroup
    threshold: int
    cells: list[CategoryCount]
    period: str = ""  # the quarter the counts cover, e.g. "Q2 2026"


def category_counts(viewer: User, portal: Portal) -> list[GroupCategoryCounts]:
    """Published reports about the portal per category this quarter, for each group the
    viewer sees, as that group's trend report shows them (see credgroup.trends)."""
    groups = visible_groups(viewer)
    return [
        GroupCategoryCounts(
            group=found.group,
            threshold=found.threshold,
            cells=[
                CategoryCount(category, figure.value)  # type: ignore[arg-type]
                for category, figure in found.by_category.items()
            ],
            period=found.quarter.label,
        )
        for found in portal_figures(groups, portal.id, today())
    ]


# A busy portal has hundreds of open reports across a member's groups: the page shows the
# newest and links to each group's filtered list for the rest.
OPEN_REPORTS_SHOWN = 20


def _open_reports_query(viewer: User, portal: Portal) -> sa.Select | None:
    group_ids = [g.id for g in visible_groups(viewer)]
    if not group_ids:
        return None
    return sa.select(Report).where(
        Report.portal_id == portal.id,
        Report.state == ContributionState.PUBLISHED,
        Report.status.in_(OPEN_STATUSES),
        Report.group_id.in_(group_ids),
    )


def open_reports(
    viewer: User, portal: Portal, limit: int = OPEN_REPORTS_SHOWN
) -> list[dict[str, Any]]:
    """The newest published reports about the portal that are still open (or have a
    workaround), in the viewer's groups, as the presenter shows them."""
    query = _open_reports_query(viewer, portal)
    if query is None:
        return []
    # The groups and the portal are in the session already (the viewer's groups, the
    # page's portal): taken from there as each report is loaded, without a query.
    reports = list(
        db.session.scalars(
            query.options(immediateload(Report.group), immediateload(Report.portal))
            .order_by(Report.published_on.desc(), Report.id.desc())
            .limit(limit)
        )
    )
    return report_summaries(reports)


def open_report_count(viewer: User, portal: Portal) -> int:
    """How many such reports there are in all (a count of reports, not of companies: the
    same as the length of the groups' own report lists, which members see anyway)."""
    query = _open_reports_query(viewer, portal)
    if query is None:
        return 0
    counted = query.with_only_columns(Report.id).subquery()
    return db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0


def report_counts_by_portal() -> dict[int, int]:
    """How many reports (in any state, any group) name each portal: what a merge would move.
    For the admins' catalogue page; says nothing about who reported."""
    rows = db.session.execute(
        sa.select(Report.portal_id, sa.func.count(Report.id)).group_by(Report.portal_id)
    ).all()
    return {portal_id: n for portal_id, n in rows}
