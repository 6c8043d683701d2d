"""What the trend figures are made of: the group's published reports and confirmations,
read in one query each, as plain rows (no titles, no text, no author)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, GroupMembership
from credgroup.portals.models import Portal
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
    FeeKind,
    FeeSizeBand,
    ProblemCategory,
    ReportStatus,
)
from credgroup.reports.models import Report, ReportConfirmation


class ReportRow(NamedTuple):
    """One published report, reduced to what the tables count."""

    portal_id: int
    category: ProblemCategory
    status: ReportStatus
    company: str  # the company's pseudonym in the group: counted, never shown
    published_on: date
    status_changed_on: date | None
    fee_kind: FeeKind | None
    fee_size_band: FeeSizeBand | None
    buyer: str  # as far as the group's naming policy shows it now; "" if none


class ConfirmationRow(NamedTuple):
    """One "we hit this too", by the category of the report it confirms."""

    category: ProblemCategory
    company: str
    confirmed_on: date


@dataclass(frozen=True)
class PortalInfo:
    id: int
    slug: str
    name: str


def member_company_count(group: CreditGroup) -> int:
    return member_company_counts([group.id]).get(group.id, 0)


def member_company_counts(group_ids: Iterable[int]) -> dict[int, int]:
    rows = db.session.execute(
        sa.select(GroupMembership.group_id, sa.func.count(GroupMembership.id))
        .where(GroupMembership.group_id.in_(list(group_ids)))
        .group_by(GroupMembership.group_id)
    ).all()
    return dict(rows)


def shown_buyer(naming: CustomerNaming, name: str, industry: str) -> str:
    """The customer as the group's naming policy shows it now ("" when not at all)."""
    if naming is CustomerNaming.NAMED:
        return (name or "").strip()
    if naming is CustomerNaming.INDUSTRY_ONLY:
        return (industry or "").strip()
    return ""


def report_rows(group: CreditGroup, start: date, end: date) -> list[ReportRow]:
    """Published reports of the group with ``start <= published_on <= end``."""
    return report_rows_by_group([group], start, end).get(group.id, [])


def report_rows_by_group(
    groups: Sequence[CreditGroup], start: date, end: date
) -> dict[int, list[ReportRow]]:
    """Published reports of several groups in one query, by group id."""
    naming = {group.id: group.customer_naming for group in groups}
    query = sa.select(
        Report.group_id,
        Report.portal_id,
        Report.category,
        Report.status,
        Report.company_pseudonym,
        Report.published_on,
        Report.status_changed_on,
        Report.fee_kind,
        Report.fee_size_band,
        Report.buyer_name,
        Report.buyer_industry,
    ).where(
        Report.group_id.in_(list(naming)),
        Report.state == ContributionState.PUBLISHED,
        Report.published_on >= start,
        Report.published_on <= end,
    )
    # Core execution on the session's connection: plain columns, no ORM result machinery.
    rows = db.session.connection().execute(query).all()
    found: dict[int, list[ReportRow]] = defaultdict(list)
    for row in rows:
        buyer = shown_buyer(naming[row.group_id], row.buyer_name, row.buyer_industry)
        found[row.group_id].append(ReportRow(*row[1:9], buyer=buyer))
    return found


def confirmation_rows(group: CreditGroup, start: date, end: date) -> list[ConfirmationRow]:
    """ "We hit this too" confirmations given in the period on the group's published
    reports."""
    return confirmation_rows_by_group([group.id], start, end).get(group.id, [])


def confirmation_rows_by_group(
    group_ids: Iterable[int], start: date, end: date
) -> dict[int, list[ConfirmationRow]]:
    rows = db.session.execute(
        sa.select(
            Report.group_id,
            Report.category,
            ReportConfirmation.company_pseudonym,
            ReportConfirmation.confirmed_on,
        )
        .join(Report, Report.id == ReportConfirmation.report_id)
        .where(
            Report.group_id.in_(list(group_ids)),
            Report.state == ContributionState.PUBLISHED,
            ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
            ReportConfirmation.confirmed_on >= start,
            ReportConfirmation.confirmed_on <= end,
        )
    ).all()
    found: dict[int, list[ConfirmationRow]] = defaultdict(list)
    for row in rows:
        found[row.group_id].append(ConfirmationRow(*row[1:]))
    return found


def portals_by_id(ids: set[int]) -> dict[int, PortalInfo]:
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(Portal.id, Portal.slug, Portal.name).where(Portal.id.in_(ids))
    ).all()
    return {row.id: PortalInfo(row.id, row.slug, row.name) for row in rows}
