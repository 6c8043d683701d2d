"""Finding reports: the group's list with filters, one report, similar reports."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from credgroup.errors import NotFound, ValidationError
from credgroup.extensions import db
from credgroup.groups.access import can_view_group, get_visible_group, is_facilitator
from credgroup.portals.models import Portal
from credgroup.reports.enums import ConfirmationKind, ContributionState, ProblemCategory
from credgroup.reports.identity import is_author
from credgroup.reports.inputs import parse_month
from credgroup.reports.models import Report, ReportConfirmation

if TYPE_CHECKING:
    from credgroup.accounts.models import User
    from credgroup.groups.models import CreditGroup

SORTS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "most_confirmed": "Most confirmed",
    "incident": "Most recent incident",
}
PAGE_SIZE = 25
MAX_PAGE_SIZE = 200


@dataclass
class ReportFilters:
    portal: str = ""
    category: str = ""
    status: str = ""
    buyer: str = ""
    since: date | None = None  # incident month from
    until: date | None = None  # incident month to
    q: str = ""
    sort: str = "newest"

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> ReportFilters:
        """Parse query-string filters; bad values raise ValidationError naming the field."""
        from credgroup.reports.enums import ReportStatus

        filters = cls(
            portal=str(args.get("portal") or "")[:80],
            category=str(args.get("category") or ""),
            status=str(args.get("status") or ""),
            buyer=str(args.get("buyer") or "")[:200],
            since=parse_month(args.get("since"), field="since"),
            until=parse_month(args.get("until"), field="until"),
            q=str(args.get("q") or "")[:200],
            sort=str(args.get("sort") or "newest"),
        )
        if filters.category and filters.category not in {c.value for c in ProblemCategory}:
            raise ValidationError("category", "Unknown category.")
        if filters.status and filters.status not in {s.value for s in ReportStatus}:
            raise ValidationError("status", "Unknown status.")
        if filters.sort not in SORTS:
            raise ValidationError("sort", f"Sort by one of: {', '.join(SORTS)}.")
        if filters.since and filters.until and filters.since > filters.until:
            raise ValidationError("until", "The end month is before the start month.")
        return filters

    def as_args(self) -> dict[str, str]:
        args = {k: v for k, v in vars(self).items() if v and k not in ("since", "until")}
        if self.since:
            args["since"] = self.since.strftime("%Y-%m")
        if self.until:
            args["until"] = self.until.strftime("%Y-%m")
        return args


@dataclass
class ReportPage:
    items: list[Report]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def _hit_count() -> sa.ScalarSelect:
    """A report's "we hit this too" count, per row: the list reads it for the group's
    filtered reports only, through the confirmations' report index, where grouping every
    confirmation of the association first took over a second at a million reports."""
    return (
        sa.select(sa.func.count(ReportConfirmation.id))
        .where(
            ReportConfirmation.report_id == Report.id,
            ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
        )
        .scalar_subquery()
    )


def published_reports_query(group: CreditGroup, filters: ReportFilters) -> sa.Select:
    query = sa.select(Report).where(
        Report.group_id == group.id, Report.state == ContributionState.PUBLISHED
    )
    if filters.portal:
        query = query.join(Portal, Report.portal_id == Portal.id).where(
            Portal.slug == filters.portal
        )
    if filters.category:
        query = query.where(Report.category == ProblemCategory(filters.category))
    if filters.status:
        from credgroup.reports.enums import ReportStatus

        query = query.where(Report.status == ReportStatus(filters.status))
    buyer_columns = _searchable_buyer_columns(group)
    if filters.buyer and buyer_columns:
        like = f"%{_escape_like(filters.buyer)}%"
        query = query.where(sa.or_(*(column.ilike(like, escape="\\") for column in buyer_columns)))
    if filters.since:
        query = query.where(Report.incident_month >= filters.since)
    if filters.until:
        query = query.where(Report.incident_month <= filters.until)
    if filters.q:
        for word in re.findall(r"\w+", filters.q)[:8]:
            like = f"%{_escape_like(word)}%"
            query = query.where(
                sa.or_(
                    Report.title.ilike(like, escape="\\"),
                    Report.body.ilike(like, escape="\\"),
                    Report.error_message.ilike(like, escape="\\"),
                )
            )
    return _sorted(query, filters.sort)


def _searchable_buyer_columns(group: CreditGroup) -> list:
    """Only what the group's policy shows *now*: a name stored under an older, looser policy
    must not be findable (a filter that matches would reveal the hidden name)."""
    from credgroup.groups.models import CustomerNaming

    return {
        CustomerNaming.NAMED: [Report.buyer_name, Report.buyer_industry],
        CustomerNaming.INDUSTRY_ONLY: [Report.buyer_industry],
        CustomerNaming.NOT_NAMED: [],
    }[group.customer_naming]


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sorted(query: sa.Select, sort: str) -> sa.Select:
    if sort == "oldest":
        return query.order_by(Report.published_on.asc(), Report.id.asc())
    if sort == "incident":
        return query.order_by(Report.incident_month.desc().nulls_last(), Report.id.desc())
    if sort == "most_confirmed":
        return query.order_by(_hit_count().desc(), Report.published_on.desc(), Report.id.desc())
    return query.order_by(Report.published_on.desc(), Report.id.desc())


def list_reports(
    viewer: User,
    group_slug: str,
    filters: ReportFilters,
    *,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> tuple[CreditGroup, ReportPage]:
    """Published reports of a group the viewer may see, filtered, sorted and paginated."""
    group = get_visible_group(viewer, group_slug)
    if page < 1 or not 1 <= per_page <= MAX_PAGE_SIZE:
        raise ValidationError("page", f"Pages start at 1; per_page is 1 to {MAX_PAGE_SIZE}.")
    query = published_reports_query(group, filters)
    counted = query.order_by(None).with_only_columns(Report.id).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    page_query = query.options(selectinload(Report.portal)).limit(per_page)
    items = list(db.session.scalars(page_query.offset((page - 1) * per_page)))
    return group, ReportPage(items, total, page, per_page)


def load_discussions(reports: list[Report]) -> None:
    """Load the comments, confirmations and questions of many reports at once, for lists
    that show each report in full (the API's "my reports" and review queue): a query per
    kind instead of three per report."""
    ids = [r.id for r in reports]
    if not ids:
        return
    db.session.scalars(
        sa.select(Report)
        .where(Report.id.in_(ids))
        .options(
            selectinload(Report.comments),
            selectinload(Report.confirmations),
            selectinload(Report.questions),
            selectinload(Report.portal),
        )
    ).all()


def all_published(viewer: User, group_slug: str, filters: ReportFilters) -> list[Report]:
    """Every published report matching the filters (for exports)."""
    group = get_visible_group(viewer, group_slug)
    return list(db.session.scalars(published_reports_query(group, filters)))


def get_report(viewer: User, public_id: str) -> Report:
    """A report the viewer may see: published ones in their groups; their own in any state;
    ones waiting for review to the group's facilitators. Anything else is "not found"."""
    report = db.session.scalar(
        sa.select(Report)
        .where(Report.public_id == public_id)
        .options(joinedload(Report.group), joinedload(Report.portal))
    )
    if report is None or not can_view_group(viewer, report.group):
        raise NotFound("No such report.")
    if report.state is ContributionState.MERGED and report.merged_into is not None:
        return report
    if report.state is ContributionState.PUBLISHED or is_author(viewer, report):
        return report
    if report.state is ContributionState.IN_REVIEW and is_facilitator(viewer, report.group):
        return report
    raise NotFound("No such report.")


def similar_reports(
    viewer: User, group: CreditGroup, *, portal_id: int | None, category: str, title: str
) -> list[Report]:
    """Published reports that look like the one being written, so the member can confirm
    instead of duplicating: same portal first, then same category, then shared title words."""
    if not can_view_group(viewer, group):
        return []
    words = [w for w in re.findall(r"\w{4,}", title.lower())][:6]
    query = sa.select(Report).where(
        Report.group_id == group.id, Report.state == ContributionState.PUBLISHED
    )
    # Each match is worth points: same portal 3, same category 2, each shared title word 1.
    # Scored and ranked in SQL, so the best five of the whole group come back, not the
    # best of whichever rows a plain LIMIT happened to read first.
    points = []
    if portal_id:
        points.append((Report.portal_id == portal_id, 3))
    if category in {c.value for c in ProblemCategory}:
        points.append((Report.category == ProblemCategory(category), 2))
    points += [(Report.title.ilike(f"%{_escape_like(w)}%", escape="\\"), 1) for w in words]
    if not points:
        return []
    score = sum((sa.case((matches, worth), else_=0) for matches, worth in points), sa.literal(0))
    ranked = (
        query.where(sa.or_(*(matches for matches, _ in points)), score >= 3)
        .order_by(score.desc(), Report.published_on.desc(), Report.id.desc())
        .limit(5)
    )
    return list(db.session.scalars(ranked))
