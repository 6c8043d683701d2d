"""What the trend figures are made of: the group's published reports and confirmations,
read in one query each, as plain rows (no titles, no text, no author).

Rows carry the stable keys as stored (``"fees"``, ``"resolved"``...), not enum members, and
the customer only as the group's naming policy shows it, worked out in the query: a group's
report reads a few thousand of these, and turning each into objects cost more than
counting them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

import sqlalchemy as sa

from credgroup.extensions import db
from credgroup.groups.models import CreditGroup, CustomerNaming, GroupMembership
from credgroup.portals.models import Portal
from credgroup.reports.enums import (
    ConfirmationKind,
    ContributionState,
)
from credgroup.reports.models import Report, ReportConfirmation


class ReportRow(NamedTuple):
    """One published report, reduced to what the tables count."""

    portal_id: int
    category: str  # a ProblemCategory value
    status: str  # a ReportStatus value
    company: str  # the company's pseudonym in the group: counted, never shown
    published_on: date
    status_changed_on: date | None
    fee_kind: str | None  # a FeeKind value
    fee_size_band: str | None  # a FeeSizeBand value
    buyer: str  # as far as the group's naming policy shows it now; "" if none


class ConfirmationRow(NamedTuple):
    """One "we hit this too", by the category of the report it confirms."""

    category: str  # a ProblemCategory value
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
    return dict(_run(_members_query(), {"groups": list(group_ids)}))


def _run(query: sa.Select, params: dict[str, Any]) -> list[sa.Row]:
    """Core execution on the session's connection: plain rows, no ORM result machinery.
    Pending changes are flushed first, as the session's own queries would."""
    if db.session.autoflush:
        db.session.flush()
    return db.session.connection().execute(query, params).all()


def _key(column: sa.ColumnElement) -> sa.ColumnElement[str]:
    """An enum column as its stored key (no enum objects made per row)."""
    return sa.type_coerce(column, sa.String)


def _shown_buyer() -> sa.ColumnElement[str]:
    """The customer as each group's naming policy shows it now ("" when not at all), for
    the groups bound as ``named`` and ``industry_only``. Stored names are trimmed on
    input; trimming again keeps stray spaces of older rows out of the customer table."""
    return sa.case(
        (
            Report.group_id.in_(sa.bindparam("named", expanding=True)),
            sa.func.trim(sa.func.coalesce(Report.buyer_name, "")),
        ),
        (
            Report.group_id.in_(sa.bindparam("industry_only", expanding=True)),
            sa.func.trim(sa.func.coalesce(Report.buyer_industry, "")),
        ),
        else_=sa.literal(""),
    )


# The queries are built once: SQLAlchemy then reuses their compiled form without working
# out a cache key for a freshly built statement on every report.
@functools.cache
def _rows_query() -> sa.Select:
    """The group's published reports of the period and the "we hit this too" given in it,
    in one pass over the group's reports: each report with its confirmations of the period
    joined on (a report once per confirmation, or once with none). Confirmations count by
    the day they were given, on any published report of the group, so reports published
    outside the period come along when they were confirmed in it."""
    start, end = sa.bindparam("start"), sa.bindparam("end")
    confirmed = sa.and_(
        ReportConfirmation.report_id == Report.id,
        ReportConfirmation.kind == ConfirmationKind.HIT_TOO,
        ReportConfirmation.confirmed_on >= start,
        ReportConfirmation.confirmed_on <= end,
    )
    return (
        sa.select(
            Report.portal_id,
            _key(Report.category),
            _key(Report.status),
            Report.company_pseudonym,
            Report.published_on,
            Report.status_changed_on,
            _key(Report.fee_kind),
            _key(Report.fee_size_band),
            _shown_buyer(),
            Report.group_id,
            Report.id,
            ReportConfirmation.company_pseudonym,
            ReportConfirmation.confirmed_on,
        )
        .outerjoin(ReportConfirmation, confirmed)
        .where(
            Report.group_id.in_(sa.bindparam("groups", expanding=True)),
            Report.state == ContributionState.PUBLISHED,
            sa.or_(
                sa.and_(Report.published_on >= start, Report.published_on <= end),
                ReportConfirmation.id.is_not(None),
            ),
        )
    )


@functools.cache
def _members_query() -> sa.Select:
    return (
        sa.select(GroupMembership.group_id, sa.func.count(GroupMembership.id))
        .where(GroupMembership.group_id.in_(sa.bindparam("groups", expanding=True)))
        .group_by(GroupMembership.group_id)
    )


@functools.cache
def _portals_query() -> sa.Select:
    return sa.select(Portal.id, Portal.slug, Portal.name).where(
        Portal.id.in_(sa.bindparam("ids", expanding=True))
    )


@dataclass
class GroupRows:
    """What a group's figures for a period are made of."""

    reports: list[ReportRow] = field(default_factory=list)  # published in the period
    confirmations: list[ConfirmationRow] = field(default_factory=list)  # given in it


def rows_by_group(groups: Sequence[CreditGroup], start: date, end: date) -> dict[int, GroupRows]:
    """The reports published and the confirmations given from ``start`` to ``end``
    (inclusive) in each of ``groups``, in one query."""
    naming = {g.id: g.customer_naming for g in groups}
    params = {
        "groups": list(naming),
        "named": [i for i, n in naming.items() if n is CustomerNaming.NAMED],
        "industry_only": [i for i, n in naming.items() if n is CustomerNaming.INDUSTRY_ONLY],
        "start": start,
        "end": end,
    }
    found = {group_id: GroupRows() for group_id in naming}
    seen: set[int] = set()
    for row in _run(_rows_query(), params):
        rows = found[row[9]]
        if row[11] is not None:
            rows.confirmations.append(ConfirmationRow(row[1], row[11], row[12]))
        if start <= row[4] <= end and row[10] not in seen:
            seen.add(row[10])
            rows.reports.append(ReportRow._make(row[:9]))
    return found


def group_rows(group: CreditGroup, start: date, end: date) -> GroupRows:
    return rows_by_group([group], start, end)[group.id]


def portals_by_id(ids: set[int]) -> dict[int, PortalInfo]:
    if not ids:
        return {}
    rows = _run(_portals_query(), {"ids": sorted(ids)})
    return {row.id: PortalInfo(row.id, row.slug, row.name) for row in rows}
